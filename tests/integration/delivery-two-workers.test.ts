/**
 * Two worker processes on one database: 2,000 deliveries, each delivered exactly once, and
 * both processes take part.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { spawnWorker, type WorkerHandle } from "../helpers/spawn-worker";
import { triggerEvent } from "@/lib/events/trigger-event";

const EVENTS = 1_000;
const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

let receiver: Receiver;
const workers: WorkerHandle[] = [];
beforeAll(async () => {
  receiver = await startReceiver(
    (_req, res) => void setTimeout(() => res.end("ok"), Math.random() * 4),
  );
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await receiver?.close();
});

describe("two workers", () => {
  it(
    `deliver ${EVENTS * 2} deliveries exactly once between them`,
    { timeout: 120_000 },
    async () => {
      const app = await createTestApp();
      // Two endpoints on one receiver: 2 deliveries per event.
      const a = await createTestEndpoint(app, { url: receiver.url, timeoutSeconds: 5 });
      const b = await createTestEndpoint(app, { url: `${receiver.url}?b`, timeoutSeconds: 5 });
      // Created before the workers start, so both find a full backlog and compete for every row.
      for (let i = 0; i < EVENTS; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, EVENTS - i) }, (_, j) =>
            triggerEvent(app, { event_name: "order.created", payload: { n: i + j } }),
          ),
        );
      }
      const env = {
        HOOKLINE_WORKER_CONCURRENCY: "16",
        HOOKLINE_ENDPOINT_CONCURRENCY: "16",
        HOOKLINE_POLL_INTERVAL_MS: "250",
      };
      const started = Date.now();
      workers.push(
        spawnWorker(db().url, { ...env, WORKER_ID: "worker-1" }),
        spawnWorker(db().url, { ...env, WORKER_ID: "worker-2" }),
      );
      await Promise.all(workers.map((w) => w.ready));
      await receiver.waitFor(EVENTS * 2, 90_000);
      const elapsed = Date.now() - started;
      await eventually(
        async () =>
          (await db().prisma.delivery.count({ where: { appId: app.id, status: "success" } })) ===
          EVENTS * 2
            ? true
            : undefined,
        20_000,
        "every delivery to be recorded as success",
      );
      const [one, two] = await Promise.all(workers.map((w) => w.stop()));

      const counts = receiver.countsById();
      expect(counts.size).toBe(EVENTS * 2);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(receiver.requests).toHaveLength(EVENTS * 2);
      expect(await countAttempts({ appId: app.id })).toBe(EVENTS * 2);
      expect(
        await db().prisma.delivery.count({ where: { appId: app.id, attemptCount: { not: 1 } } }),
      ).toBe(0);
      const attempted = [one?.attempted, two?.attempted].map(Number);
      expect(attempted[0]! + attempted[1]!).toBe(EVENTS * 2);
      expect(Math.min(...attempted)).toBeGreaterThan(0);
      console.info(
        `two workers: ${attempted.join(" + ")} attempts in ${elapsed} ms (endpoints ${a.endpoint.id}, ${b.endpoint.id})`,
      );
    },
  );
});
