/**
 * Issue 23 item 2: while the embedded PostgreSQL restarts after kill -9 under load, the API
 * answers only success or `503 database_unavailable` with `Retry-After`, never a 500. The
 * restart passes through "the database system is starting up / not yet accepting connections"
 * (57P03), which Prisma's driver adapter reports under `meta.driverAdapterError`.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  postmasterPid,
  startServer,
  stopAllServers,
  tempDataDir,
  waitFor,
} from "../helpers/server";
import { startReceiver, type Receiver } from "../helpers/receiver";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

interface Answer {
  kind: "trigger" | "read";
  status: number;
  retryAfter: string | null;
  code?: string;
}

describe("kill -9 of PostgreSQL under load", () => {
  it("answers only 2xx or 503 with Retry-After while the database restarts", async () => {
    const dataDir = tempDataDir("db-restart");
    const server = await startServer({
      dataDir,
      env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: "true", HOOKLINE_LOG_LEVEL: "warn" },
    });
    const key = await server.createApiKey();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    expect(
      (
        await fetch(`${server.url}/api/v1/apps`, {
          method: "POST",
          headers,
          body: JSON.stringify({ slug: "restart", name: "Restart" }),
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await fetch(`${server.url}/api/v1/apps/restart/endpoints`, {
          method: "POST",
          headers,
          body: JSON.stringify({ url: receiver.url, events: ["*"] }),
        })
      ).status,
    ).toBe(201);

    const answers: Answer[] = [];
    let stop = false;
    const record = async (kind: Answer["kind"], res: Response) => {
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      answers.push({
        kind,
        status: res.status,
        retryAfter: res.headers.get("retry-after"),
        code: body.error?.code,
      });
    };
    // Producers and readers keep calling through the crash: triggers (raw SQL and the group
    // commit) and an endpoint listing (Prisma).
    const client = async (n: number) => {
      for (let i = 0; !stop; i++) {
        try {
          if (n % 4 === 3) {
            await record(
              "read",
              await fetch(`${server.url}/api/v1/apps/restart/endpoints`, { headers }),
            );
          } else {
            await record(
              "trigger",
              await fetch(`${server.url}/api/v1/apps/restart/events`, {
                method: "POST",
                headers,
                body: JSON.stringify({ event_name: "load.tick", payload: { n, i } }),
              }),
            );
          }
        } catch {
          // The server itself is never down here; a refused fetch would show up as no answers.
        }
      }
    };
    const clients = Array.from({ length: 16 }, (_, n) => client(n));
    await waitFor("answers before the crash", async () => answers.length >= 50, 30_000, 50);

    const first = postmasterPid(dataDir);
    process.kill(first, "SIGKILL");
    const answeredBeforeCrash = answers.length;
    await waitFor(
      "PostgreSQL restarted and answering",
      async () =>
        fs.existsSync(path.join(dataDir, "pg", "postmaster.pid")) &&
        postmasterPid(dataDir) !== first &&
        (await fetch(`${server.url}/api/health`)).status === 200,
      60_000,
      100,
    );
    const answeredAtRecovery = answers.length;
    await waitFor(
      "50 answers after recovery",
      async () => answers.length >= answeredAtRecovery + 50,
      30_000,
      50,
    );
    stop = true;
    await Promise.all(clients);

    const during = answers.slice(answeredBeforeCrash);
    expect(during.length).toBeGreaterThan(50);
    const unexpected = during.filter(
      (a) => !(a.status === 202 || a.status === 200 || a.status === 503),
    );
    expect(unexpected).toEqual([]);
    const unavailable = during.filter((a) => a.status === 503);
    for (const a of unavailable) {
      expect(a.code).toBe("database_unavailable");
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    // The outage was seen (the test is about the answers during it) and the API recovered.
    expect(unavailable.length).toBeGreaterThan(0);
    expect(answers.slice(-16).some((a) => a.status === 202)).toBe(true);
    expect(server.output()).not.toContain("unhandled error");
    expect(await server.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});
