import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from "@/lib/db/embedded-postgres";
import { runCli, startServer, stopAllServers, tempDataDir, waitFor } from "../helpers/server";

/** "Another Postgres": a separate cluster in its own folder on a fixed port, started and stopped at will. */
const pgDir = tempDataDir("external-pg");
let pgPort = 0;
let external: EmbeddedPostgres | undefined;
async function startExternal() {
  pgPort ||= await findFreePort();
  external = await startEmbeddedPostgres({
    dataDir: pgDir,
    port: pgPort,
    database: "hookline_ext",
  });
  return external.url;
}

afterAll(async () => {
  await stopAllServers();
  await external?.stop();
});

describe("DATABASE_URL: an external PostgreSQL", () => {
  it("waits for a database that is down at start-up, serves, answers 503 while it is gone, and recovers", async () => {
    const url = await startExternal();
    await external!.stop(); // down before Hookline starts
    const dataDir = tempDataDir("external");
    const env = { DATABASE_URL: url };
    const server = await startServer({ dataDir, env, waitForHealth: false });

    await waitFor(
      "the launcher to report the database as unavailable",
      async () => server.output().includes("database unavailable, retrying"),
      30_000,
    );
    expect(server.output()).not.toContain(decodeURIComponent(new URL(url).password)); // the password is never logged
    await startExternal();
    await waitFor(
      "health 200",
      async () => (await fetch(`${server.url}/api/health`)).status === 200,
      90_000,
      250,
    );

    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      database: { embedded: boolean };
    };
    expect(health.database.embedded).toBe(false);
    expect(fs.existsSync(path.join(dataDir, "pg"))).toBe(false); // nothing embedded was started

    const key = (
      await runCli(["keys", "create", "--name", "ext"], { HOOKLINE_DATA_DIR: dataDir, ...env })
    ).stdout.trim();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const created = await fetch(`${server.url}/api/v1/apps`, {
      method: "POST",
      headers,
      body: JSON.stringify({ slug: "ext_1", name: "External" }),
    });
    expect(created.status).toBe(201);

    // The database goes away while the server runs: 503 with the error envelope, nothing written.
    await external!.stop();
    const during = await fetch(`${server.url}/api/v1/apps`, {
      method: "POST",
      headers,
      body: JSON.stringify({ slug: "ext_2", name: "Lost" }),
    });
    expect(during.status).toBe(503);
    expect(((await during.json()) as { error: { code: string } }).error.code).toBe(
      "database_unavailable",
    );
    const down = await fetch(`${server.url}/api/health`);
    expect(down.status).toBe(503);
    // Public: the kind of failure, never the database's address.
    expect(((await down.json()) as { database: { error: string } }).database.error).toBe(
      "database unreachable",
    );

    await startExternal();
    const after = await waitFor(
      "the API to answer again",
      async () => {
        const res = await fetch(`${server.url}/api/v1/apps`, { headers });
        return res.status === 200
          ? ((await res.json()) as { data: { slug: string }[] })
          : undefined;
      },
      30_000,
      250,
    );
    expect(after.data.map((a) => a.slug)).toEqual(["ext_1"]);
    expect(await server.stop()).toBe(0);

    // Same database, new server: the data is there.
    const again = await startServer({ dataDir, env });
    const listed = (await (await fetch(`${again.url}/api/v1/apps`, { headers })).json()) as {
      data: { slug: string }[];
    };
    expect(listed.data.map((a) => a.slug)).toEqual(["ext_1"]);
    expect(await again.stop()).toBe(0);
  });
});
