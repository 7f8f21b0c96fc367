/**
 * Issue 13: kill -9 of the embedded postmaster under the running server (`npm start`). The
 * launcher restarts PostgreSQL; /api/health is 200 again within 30 s without anyone touching the
 * server, and no event is lost: the one committed just before the crash and the one a producer
 * retried through the outage are both delivered.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, stopAllServers, tempDataDir, waitFor } from "../helpers/server";
import { startReceiver, type Receiver } from "../helpers/receiver";

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
}

describe("the embedded database dies under the running server", () => {
  it("is restarted: healthy again within 30 s, no event lost", async () => {
    const dataDir = tempDataDir("db-crash");
    const server = await startServer({
      dataDir,
      env: {
        HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
        HOOKLINE_POLL_INTERVAL_MS: "250",
        HOOKLINE_RETRY_SCHEDULE: "1",
      },
    });
    const key = await server.createApiKey();
    const post = (p: string, body: unknown) =>
      fetch(`${server.url}${p}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post("/api/v1/apps", { slug: "crash", name: "Crash" })).status).toBe(201);
    expect(
      (await post("/api/v1/apps/crash/endpoints", { url: receiver.url, events: ["*"] })).status,
    ).toBe(201);

    expect(
      (await post("/api/v1/apps/crash/events", { event_name: "order.before", payload: { n: 1 } }))
        .status,
    ).toBe(202);
    const first = postmasterPid(dataDir);
    process.kill(first, "SIGKILL");
    const killedAt = Date.now();

    // A producer retrying through the outage (503 means nothing was written: retry). Any other
    // answer during the outage is a failure.
    const outageStatuses = new Set<number>();
    const accepted = await waitFor(
      "a trigger accepted after the crash",
      async () => {
        const res = await fetch(`${server.url}/api/v1/apps/crash/events`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${key}`,
            "content-type": "application/json",
            "idempotency-key": "after-crash",
          },
          body: JSON.stringify({ event_name: "order.after", payload: { n: 2 } }),
        });
        outageStatuses.add(res.status);
        return res.status === 202 && ((await res.json()) as { event_id: string });
      },
      30_000,
      250,
    );
    expect([...outageStatuses].filter((s) => s !== 202 && s !== 503)).toEqual([]);
    expect(accepted.event_id).toMatch(/^msg_/);
    await waitFor(
      "GET /api/health = 200",
      async () => (await fetch(`${server.url}/api/health`)).status === 200,
      30_000,
      250,
    );
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(postmasterPid(dataDir)).not.toBe(first);
    expect(server.output()).toContain("the embedded database is back");

    await waitFor(
      "both events delivered",
      async () => {
        const bodies = receiver.requests.map((r) => r.body).join("\n");
        return bodies.includes("order.before") && bodies.includes("order.after");
      },
      30_000,
    );
    expect(await server.stop()).toBe(0);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 180_000);
});
