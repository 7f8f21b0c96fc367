/**
 * Crash safety: a worker process is killed with SIGKILL in the middle of delivering 2,000
 * events; after a restart every event is delivered, none is lost, and the only duplicates are
 * attempts that were in flight when it died (their leases expire and they are made again).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { spawnWorker, type WorkerHandle } from "../helpers/spawn-worker";
import { triggerEvent } from "@/lib/events/trigger-event";

const EVENTS = 2_000;
const CONCURRENCY = 16;
const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

let receiver: Receiver;
const workers: WorkerHandle[] = [];
// Once frozen, the receiver holds every request unanswered: the requests it holds at the kill
// are exactly the attempts in flight then.
let frozen = false;
const answered = new Set<string>();
const held = new Set<string>();
beforeAll(async () => {
  receiver = await startReceiver((req, res) => {
    const id = req.headers["webhook-id"] ?? "";
    if (frozen) return void held.add(id);
    setTimeout(() => {
      res.on("finish", () => answered.add(id));
      res.end("ok");
    }, 5);
  });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await receiver?.close();
});

describe("crash safety", () => {
  it(
    `kill -9 mid-delivery of ${EVENTS} events, restart: all delivered, duplicates only in-flight ones`,
    { timeout: 150_000 },
    async () => {
      const app = await createTestApp();
      const { endpoint } = await createTestEndpoint(app, {
        url: receiver.url,
        // Long enough that no held request times out before the kill; the leases it sets are
        // what the restarted worker waits out.
        timeoutSeconds: 10,
        maxRetries: 3,
      });
      const env = {
        HOOKLINE_WORKER_CONCURRENCY: String(CONCURRENCY),
        HOOKLINE_ENDPOINT_CONCURRENCY: String(CONCURRENCY),
        HOOKLINE_POLL_INTERVAL_MS: "250",
      };
      const successes = () =>
        db().prisma.delivery.count({ where: { endpointId: endpoint.id, status: "success" } });

      // The whole backlog first, so the worker is busy (every slot in flight) when it dies.
      for (let i = 0; i < EVENTS; i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, EVENTS - i) }, (_, j) =>
            triggerEvent(app, { event_name: "order.created", payload: { n: i + j } }),
          ),
        );
      }
      const first = spawnWorker(db().url, { ...env, WORKER_ID: "worker-a" });
      workers.push(first);
      await first.ready;
      await receiver.waitFor(EVENTS / 4, 60_000);
      frozen = true;
      // Every slot busy with a held request, every answered attempt recorded: then the kill.
      await eventually(
        async () =>
          held.size === CONCURRENCY && (await successes()) === answered.size ? true : undefined,
        20_000,
        "every slot held and every answer recorded",
      );
      const inFlightAtKill = new Set(held);
      await first.kill();
      const killedAt = Date.now();
      const leasedAtKill = await db().prisma.deliveryQueueEntry.count({
        where: { endpointId: endpoint.id, leasedBy: "worker-a" },
      });
      const doneAtKill = await successes();
      expect(doneAtKill).toBe(answered.size);
      expect(doneAtKill).toBeLessThan(EVENTS);
      frozen = false;

      const second = spawnWorker(db().url, { ...env, WORKER_ID: "worker-b" });
      workers.push(second);
      await second.ready;
      await eventually(
        async () => ((await successes()) === EVENTS ? true : undefined),
        100_000,
        "every delivery to succeed after the restart",
      );
      const stopped = await second.stop();
      expect(stopped).toMatchObject({ stopped: true });

      const counts = receiver.countsById();
      const deliveries = await db().prisma.delivery.findMany({
        where: { endpointId: endpoint.id },
        select: { id: true, attemptCount: true },
      });
      expect(deliveries).toHaveLength(EVENTS);
      // Nothing lost: every delivery reached the receiver.
      for (const d of deliveries) expect(counts.get(d.id) ?? 0).toBeGreaterThanOrEqual(1);
      // Duplicates: exactly the attempts in flight at the kill (sent, not recorded), once each.
      const duplicated = [...counts].filter(([, n]) => n > 1);
      expect(new Set(duplicated.map(([id]) => id))).toEqual(inFlightAtKill);
      expect(duplicated.filter(([, n]) => n !== 2)).toEqual([]);
      // The killed worker's unrecorded attempts left nothing: one recorded attempt per delivery.
      expect(deliveries.every((d) => d.attemptCount === 1)).toBe(true);
      expect(await countAttempts({ endpointId: endpoint.id })).toBe(EVENTS);
      console.info(
        `crash: ${doneAtKill}/${EVENTS} done at kill, ${leasedAtKill} leased by the dead worker, ${duplicated.length} duplicates, ` +
          `recovered in ${Date.now() - killedAt} ms`,
      );
    },
  );
});
