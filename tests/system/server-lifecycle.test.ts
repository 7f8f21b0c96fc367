import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  runStartToExit,
  startServer,
  stopAllServers,
  tempDataDir,
  waitFor,
} from "../helpers/server";

afterAll(stopAllServers);

async function getJson(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as any }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function postgresRunningOn(dataDir: string): boolean {
  return fs.readdirSync("/proc").some((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(path.join(dataDir, "pg"));
    } catch {
      return false;
    }
  });
}

describe("npm start on the embedded database", () => {
  it("starts on a fresh data directory, is healthy, and the CLI's key works until revoked", async () => {
    const dataDir = tempDataDir("lifecycle");
    const server = await startServer({ dataDir });
    const health = await getJson(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: "ok",
      database: { status: "up", embedded: true },
      jobs: { driver: "embedded" },
    });
    expect(fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"))).toBe(true);
    expect(fs.statSync(path.join(dataDir, "secret")).mode & 0o077).toBe(0);

    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("Hookline");

    // The CLI shares the running server's database; the key is alone on stdout.
    const created = await server.cli(["keys", "create", "--name", "backend"]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^hk_[A-Za-z0-9_-]+\n$/);
    const key = created.stdout.trim();
    const auth = { authorization: `Bearer ${key}` };

    // The web server runs under the heap limit (HOOKLINE_MAX_HEAP_MB, 224 MB by default).
    const metrics = await (await fetch(`${server.url}/api/metrics`, { headers: auth })).text();
    const limit = Number(/^hookline_process_heap_limit_bytes (\d+)$/m.exec(metrics)?.[1]);
    expect(limit / 1024 / 1024).toBeGreaterThanOrEqual(224);
    expect(limit / 1024 / 1024).toBeLessThan(300);

    const app = await getJson(`${server.url}/api/v1/apps`, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json" },
      body: JSON.stringify({ slug: "wh_42", name: "Billing Webhooks" }),
    });
    expect(app.status).toBe(201);
    expect((await server.cli(["apps", "create", "--slug", "wh_7", "--name", "Seven"])).code).toBe(
      0,
    );

    const list = await server.cli(["keys", "list"]);
    expect(list.stdout).toContain("backend");
    expect(list.stdout).not.toContain(key);
    const id = /key_[0-9a-z]+/.exec(list.stdout)![0];
    expect((await server.cli(["keys", "revoke", id])).code).toBe(0);
    const refused = await getJson(`${server.url}/api/v1/apps`, { headers: auth });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe("unauthorized");

    expect(await server.stop()).toBe(0);
    expect(postgresRunningOn(dataDir)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "hookline.lock"))).toBe(false);
  });

  it("keeps its data across a restart", async () => {
    const dataDir = tempDataDir("restart");
    const first = await startServer({ dataDir });
    for (const slug of ["wh_42", "wh_7"])
      expect((await first.cli(["apps", "create", "--slug", slug, "--name", slug])).code).toBe(0);
    expect(await first.stop()).toBe(0);

    const server = await startServer({ dataDir });
    const key = await server.createApiKey("after-restart");
    const apps = await getJson(`${server.url}/api/v1/apps`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(apps.status).toBe(200);
    expect(apps.body.data.map((a: { slug: string }) => a.slug).sort()).toEqual(["wh_42", "wh_7"]);

    // A second server on the same data directory refuses with a clear message and touches nothing.
    const second = await runStartToExit({
      HOOKLINE_DATA_DIR: dataDir,
      PORT: String(server.port + 1),
      HOOKLINE_HOST: "127.0.0.1",
    });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`the data directory ${dataDir} is in use by another Hookline`);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });

  it("stops on its own when the launcher is killed, and the next start takes the data directory over", async () => {
    const dataDir = tempDataDir("orphan");
    const server = await startServer({ dataDir });
    const key = await server.createApiKey();
    expect((await server.cli(["apps", "create", "--slug", "wh_1", "--name", "One"])).code).toBe(0);
    await server.kill9();
    // The web server, left without its launcher, notices and stops serving.
    await waitFor(
      "the web server to stop after its launcher",
      async () => {
        try {
          await fetch(`${server.url}/api/health`);
          return false;
        } catch {
          return true;
        }
      },
      30_000,
      250,
    );
    const next = await startServer({ dataDir });
    const apps = await getJson(`${next.url}/api/v1/apps`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(apps.status).toBe(200);
    expect(apps.body.data.map((a: { slug: string }) => a.slug)).toEqual(["wh_1"]);
    expect(await next.stop()).toBe(0);
    expect(postgresRunningOn(dataDir)).toBe(false);
  });

  it("stops at start-up with one line naming a bad variable", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ HOOKLINE_JOBS: "redis" }, /HOOKLINE_JOBS must be "embedded" or "inngest" \(got "redis"\)/],
      [{ PORT: "99999" }, /PORT must be a whole number from 1 to 65535/],
      [{ HOOKLINE_SECRET: "short" }, /HOOKLINE_SECRET must be at least 32 characters/],
      [{ HOOKLINE_RETRY_SCHEDULE: "60,soon" }, /HOOKLINE_RETRY_SCHEDULE/],
      [
        { HOOKLINE_ALLOW_PRIVATE_TARGETS: "maybe" },
        /HOOKLINE_ALLOW_PRIVATE_TARGETS must be true or false/,
      ],
      [{ DATABASE_URL: "mysql://x@y/z" }, /DATABASE_URL must be a postgresql:\/\/ URL/],
      [
        { HOOKLINE_WORKER_CONCURRENCY: "0" },
        /HOOKLINE_WORKER_CONCURRENCY must be a whole number from 1 to 1000/,
      ],
      [
        { HOOKLINE_OPERATOR_WEBHOOK_URL: "https://ops.example/hook" },
        /HOOKLINE_OPERATOR_WEBHOOK_SECRET is required/,
      ],
      [
        { DATABASE_URL: "postgresql://u:p@127.0.0.1:1/db", NODE_ENV: "production" },
        /HOOKLINE_SECRET is required when DATABASE_URL is set and NODE_ENV=production/,
      ],
    ];
    const dir = tempDataDir("config");
    for (const [env, expected] of cases) {
      const result = await runStartToExit({ HOOKLINE_DATA_DIR: dir, ...env });
      expect(result.code, JSON.stringify(env)).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines, JSON.stringify(env)).toHaveLength(1);
      expect(lines[0]).toMatch(/^hookline: invalid configuration: /);
      expect(lines[0]).toMatch(expected);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
