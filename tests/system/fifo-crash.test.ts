/**
 * Ordered delivery across processes and a crash: two servers on one database (the second on the
 * first's embedded PostgreSQL through DATABASE_URL) accept and deliver the events of three FIFO
 * endpoints; the second is killed with kill -9 (its whole process group) mid-stream. Each
 * endpoint's receiver must see the events in the order they were accepted: a webhook-id may
 * arrive again after the crash (at-least-once), but judged by each webhook-id's first arrival,
 * no event arrives before one accepted earlier.
 */
import { afterAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { readLock } from "@/lib/db/data-dir";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  startServer,
  stopAllServers,
  tempDataDir,
  waitFor,
  type RunningServer,
} from "../helpers/server";

const ENDPOINTS = 3;
const EVENTS = 120;

/** The job driver's counters in the server's public health report. */
async function jobsOf(server: RunningServer): Promise<Record<string, unknown>> {
  const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
    jobs: { details?: Record<string, unknown> };
  };
  return health.jobs.details ?? {};
}

let receiver: Receiver | undefined;
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

describe("FIFO endpoints, two server processes, kill -9 of one", () => {
  it(
    "every FIFO endpoint receives its events in acceptance order",
    { timeout: 180_000 },
    async () => {
      // A little slow, so the kill finds attempts in flight and lines still queued.
      receiver = await startReceiver((_req, res) => void setTimeout(() => res.end("ok"), 40));
      const secret = randomBytes(32).toString("hex");
      const env = {
        HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
        HOOKLINE_POLL_INTERVAL_MS: "300",
        HOOKLINE_SECRET: secret,
      };
      const first = await startServer({ dataDir: tempDataDir("fifo-a"), env });
      const databaseUrl = readLock(first.dataDir)?.databaseUrl;
      expect(databaseUrl).toBeTruthy();
      const second = await startServer({
        dataDir: tempDataDir("fifo-b"),
        env: { ...env, DATABASE_URL: databaseUrl },
        detached: true,
      });

      const key = await first.createApiKey();
      const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
      const post = (server: RunningServer, path: string, body: unknown) =>
        fetch(`${server.url}/api/v1${path}`, {
          method: "POST",
          headers,
          body: JSON.stringify(body),
        });
      expect((await post(first, "/apps", { slug: "ordered", name: "Ordered" })).status).toBe(201);
      for (let i = 0; i < ENDPOINTS; i++) {
        // A 1 s timeout: a lease the killed process held expires 16 s later.
        const res = await post(first, "/apps/ordered/endpoints", {
          url: `${receiver.url}/ep${i}`,
          ordering: "fifo",
          timeout_seconds: 1,
        });
        expect(res.status).toBe(201);
      }

      // One producer, each event sent after the previous one was accepted, alternating servers.
      // From the middle on, the kill waits for a moment when the second process has delivered
      // some and has an attempt in flight; the producer keeps sending meanwhile, so there is
      // always a backlog for the second process to claim from (a busy machine can let the first
      // win every head for a while). After the kill, EVENTS / 2 more go to the first.
      const accepted: number[] = [];
      let killedAfter = -1;
      const mostEvents = EVENTS * 5;
      for (let n = 0; killedAfter < 0 ? n < mostEvents : n <= killedAfter + EVENTS / 2; n++) {
        const target = killedAfter < 0 && n % 2 === 1 ? second : first;
        const res = await post(target, "/apps/ordered/events", {
          event_name: "order.updated",
          payload: { n },
        });
        expect(res.status).toBe(202);
        accepted.push(n);
        if (killedAfter < 0 && n >= EVENTS / 2) {
          const jobs = await jobsOf(second);
          if (Number(jobs.attempted) > 0 && Number(jobs.in_flight) > 0) {
            await second.killGroup9();
            killedAfter = n;
          }
        }
      }
      if (killedAfter < 0)
        throw new Error(
          `the second process never had an attempt in flight at a check while ${mostEvents} events were sent`,
        );
      expect(killedAfter).toBeGreaterThan(0);
      const beforeKill = receiver.requests.length;

      const firstArrivals = (endpoint: number): number[] => {
        const seen = new Set<string>();
        const order: number[] = [];
        for (const r of receiver!.requests) {
          if (!r.path.endsWith(`/ep${endpoint}`)) continue;
          const id = r.headers["webhook-id"]!;
          if (seen.has(id)) continue;
          seen.add(id);
          order.push((JSON.parse(r.body) as { data: { n: number } }).data.n);
        }
        return order;
      };
      await waitFor(
        "every accepted event at every endpoint",
        async () =>
          Array.from({ length: ENDPOINTS }, (_, i) => firstArrivals(i).length).every(
            (count) => count >= accepted.length,
          ),
        120_000,
        500,
      ).catch(() => {
        throw new Error(
          `after the kill: ${Array.from({ length: ENDPOINTS }, (_, i) => firstArrivals(i).length).join(", ")} of ${accepted.length} arrived`,
        );
      });
      for (let i = 0; i < ENDPOINTS; i++)
        expect(firstArrivals(i), `order at ep${i}`).toEqual(accepted);

      const repeats = [...receiver.countsById().values()].filter((c) => c > 1).length;
      console.info(
        `fifo crash: ${accepted.length} events x ${ENDPOINTS} FIFO endpoints, ${beforeKill} requests before the kill, ${repeats} repeated after it`,
      );
      // Only what the killed process had in flight can repeat: at most one delivery per line.
      expect(repeats).toBeLessThanOrEqual(ENDPOINTS);
      expect(await first.stop()).toBe(0);
    },
  );
});
