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
    // Just before the kill the receiver stops answering: the requests it holds then are exactly
    // the deliveries in flight at the kill, the only ones that may be sent again.
    let frozen = false;
    const answered = new Set<string>();
    receiver = await startReceiver((req, res) => {
      if (frozen) return;
      setTimeout(() => {
        if (frozen) return;
        res.on("finish", () => answered.add(req.headers["webhook-id"] ?? ""));
        res.end("ok");
      }, 20);
    });
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
    const successes = async () => {
      const res = await fetch(`${server.url}/api/v1/apps/crash/stats`, { headers });
      return ((await res.json()) as { by_status: { success: number } }).by_status.success;
    };
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
          frozen = true;
          // Every answered delivery is recorded before the kill, so what is left in flight is
          // what the receiver holds.
          await waitFor(
            "every answered delivery recorded",
            async () => (await successes()) >= answered.size,
            30_000,
            100,
          );
          await server.killGroup9();
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    // The kill cut the stream of triggers: the requests after it were not accepted.
    expect(accepted.size).toBeLessThan(EVENTS);
    expect(accepted.size).toBeGreaterThan(EVENTS / 4);
    const receivedBeforeRestart = receiver.requests.length;
    // In flight at the kill: what the frozen receiver got and never answered. Counted after the
    // kill, not before it: the workers kept sending (up to their slots) until the very end.
    const inFlightAtKill = new Set(
      receiver.requests.slice(0, receivedBeforeRestart).map((r) => r.headers["webhook-id"] ?? ""),
    );
    for (const id of answered) inFlightAtKill.delete(id);
    frozen = false;

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
    // Repeats (same webhook-id) only for deliveries in flight at the crash, once each.
    const byId = receiver.countsById();
    const repeated = [...byId].filter(([, c]) => c > 1);
    console.info(
      `crash: ${accepted.size} events accepted, ${receivedBeforeRestart} requests before the kill, ${inFlightAtKill.size} in flight at it, ${repeated.length} deliveries repeated after it`,
    );
    expect(repeated.filter(([id]) => !inFlightAtKill.has(id))).toEqual([]);
    expect(repeated.filter(([, c]) => c > 2)).toEqual([]);
    expect(await restarted.stop()).toBe(0);
  });
});
