/**
 * A crash of everything (kill -9 of the server's process group: launcher, web server, embedded
 * PostgreSQL) while events are being triggered and delivered, then a restart on the same data
 * directory: every event that was answered 202 reaches every subscribed endpoint (at least once,
 * with the same webhook-id on a repeat).
 */
import { afterAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startServer, stopAllServers, tempDataDir, waitFor } from "../helpers/server";

const ENDPOINTS = 5;
const EVENTS = 600;
const CLIENTS = 16;

let receiver: Receiver | undefined;
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

describe("kill -9 of the whole server during delivery", () => {
  it("loses no accepted event", { timeout: 240_000 }, async () => {
    // A little slow, so the crash finds work at every stage: queued for fan-out, queued, in flight.
    receiver = await startReceiver((_req, res) => void setTimeout(() => res.end("ok"), 20));
    const dataDir = tempDataDir("crash");
    const env = { HOOKLINE_ALLOW_PRIVATE_TARGETS: "true", HOOKLINE_POLL_INTERVAL_MS: "500" };
    const server = await startServer({ dataDir, env, detached: true });
    const key = await server.createApiKey();
    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    expect(
      (
        await fetch(`${server.url}/api/v1/apps`, {
          method: "POST",
          headers,
          body: JSON.stringify({ slug: "crash", name: "Crash" }),
        })
      ).status,
    ).toBe(201);
    for (let i = 0; i < ENDPOINTS; i++) {
      const res = await fetch(`${server.url}/api/v1/apps/crash/endpoints`, {
        method: "POST",
        headers,
        body: JSON.stringify({ url: `${receiver.url}/ep${i}` }),
      });
      expect(res.status).toBe(201);
    }

    const accepted = new Set<number>();
    let next = 0;
    let killed = false;
    const client = async () => {
      while (next < EVENTS) {
        const n = next++;
        try {
          const res = await fetch(`${server.url}/api/v1/apps/crash/events`, {
            method: "POST",
            headers,
            body: JSON.stringify({ event_name: "order.paid", payload: { n } }),
          });
          if (res.status === 202) accepted.add(n);
        } catch {
          // The server died under this request: not accepted, the producer would retry.
        }
        if (!killed && n === EVENTS / 2) {
          killed = true;
          await server.killGroup9();
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(killed).toBe(true);
    expect(accepted.size).toBeGreaterThan(EVENTS / 4);
    const receivedBeforeRestart = receiver.requests.length;

    const restarted = await startServer({ dataDir, env });
    const missing = () => {
      const got = new Set(
        receiver!.requests.map(
          (r) =>
            `${r.path.split("/").pop()} ${(JSON.parse(r.body) as { data: { n: number } }).data.n}`,
        ),
      );
      const out: string[] = [];
      for (const n of accepted)
        for (let i = 0; i < ENDPOINTS; i++) if (!got.has(`ep${i} ${n}`)) out.push(`ep${i} ${n}`);
      return out;
    };
    await waitFor(
      "every accepted event at every endpoint",
      async () => missing().length === 0,
      120_000,
      500,
    ).catch(() => {
      throw new Error(
        `missing after restart: ${missing().length} of ${accepted.size * ENDPOINTS} (first: ${missing().slice(0, 5).join(", ")})`,
      );
    });
    // Repeats only for deliveries in flight at the crash, with the same webhook-id.
    const byId = receiver.countsById();
    const repeats = [...byId.values()].filter((c) => c > 1).length;
    console.info(
      `crash: ${accepted.size} events accepted, ${receivedBeforeRestart} requests before the kill, ${repeats} deliveries repeated after it`,
    );
    // Only a delivery sent before the crash can be sent again.
    expect(repeats).toBeLessThanOrEqual(receivedBeforeRestart);
    expect(await restarted.stop()).toBe(0);
  });
});
