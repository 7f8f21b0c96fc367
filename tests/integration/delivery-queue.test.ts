/**
 * The queue apart from the log: due work lives in delivery_queue (inserted at fan-out, leased by
 * claims, rescheduled by a retry, deleted when final), so the log row is written at creation and
 * at outcomes only; ingest shares statements (group commit); fan-out happens behind the answer,
 * once per event, surviving a crash between the event's commit and its fan-out.
 */
import { describe, expect, it, vi } from "vitest";
import pg from "pg";
import { useTestDatabase } from "../helpers/db";
import {
  attemptResult,
  createTestApp,
  createTestEndpoint,
  fanOutNow,
} from "../helpers/delivery-fixtures";
import { poolConfigFromUrl } from "@/lib/db/url";
import { claimDueDeliveries, claimsOf } from "@/lib/delivery/claim-deliveries";
import { fanOutQueuedEvents } from "@/lib/delivery/fan-out-events";
import {
  createEventCache,
  type EventCache,
  type LoadedEvent,
} from "@/lib/delivery/claimed-delivery";
import { recordAttemptOutcome } from "@/lib/delivery/record-attempt";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({ HOOKLINE_RETRY_SCHEDULE: "60" });

const result = (ok: boolean) => attemptResult(ok);

async function logRow(id: string) {
  const { rows } = await db().pool.query<{ xmin: string; status: string }>(
    "SELECT xmin::text, status FROM deliveries WHERE id = $1",
    [id],
  );
  return rows[0]!;
}

async function queueRow(id: string) {
  const { rows } = await db().pool.query<{ run_at: Date; leased_by: string | null }>(
    "SELECT run_at, leased_by FROM delivery_queue WHERE delivery_id = $1",
    [id],
  );
  return rows[0];
}

describe("delivery_queue", () => {
  it("claims lease the queue row only; a retry reschedules it; the final outcome deletes it", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://r.example/hook", maxRetries: 1 });
    await triggerEvent(app, { event_name: "a", payload: { n: 1 } });
    await fanOutNow();
    const { id } = await db().prisma.delivery.findFirstOrThrow({ where: { appId: app.id } });
    const created = await logRow(id);
    expect(await queueRow(id)).toMatchObject({ leased_by: null });

    const events = createEventCache();
    const [claim] = await claimDueDeliveries({
      workerId: "w1",
      limit: 10,
      defaultEndpointSlots: 10,
      events,
    });
    expect(claim!.deliveryId).toBe(id);
    expect(await queueRow(id)).toMatchObject({ leased_by: "w1" });
    // The lease did not touch the log row (same row version).
    expect((await logRow(id)).xmin).toBe(created.xmin);

    const retry = await recordAttemptOutcome(claim!, {
      attemptedAt: new Date(),
      requestHeaders: {},
      result: result(false),
    });
    expect(retry).toMatchObject({ status: "retrying", recorded: true });
    const waiting = await queueRow(id);
    expect(waiting).toMatchObject({ leased_by: null });
    expect(waiting!.run_at.getTime()).toBe(retry.nextAttemptAt!.getTime());
    expect((await logRow(id)).status).toBe("retrying");
    // Not due yet: nothing to claim.
    expect(
      await claimDueDeliveries({ workerId: "w1", limit: 10, defaultEndpointSlots: 10, events }),
    ).toEqual([]);

    await db().pool.query("UPDATE delivery_queue SET run_at = now() WHERE delivery_id = $1", [id]);
    const [again] = await claimDueDeliveries({
      workerId: "w2",
      limit: 10,
      defaultEndpointSlots: 10,
      events,
    });
    const done = await recordAttemptOutcome(again!, {
      attemptedAt: new Date(),
      requestHeaders: {},
      result: result(true),
    });
    expect(done).toMatchObject({ status: "success", final: true });
    expect(await queueRow(id)).toBeUndefined();
    expect((await logRow(id)).status).toBe("success");
  });

  it("a fan-out leases what its worker picks, in its own transaction; the claim never hands those out", async () => {
    const app = await createTestApp();
    const plain = await createTestEndpoint(app, { url: "https://r.example/plain" });
    const other = await createTestEndpoint(app, { url: "https://r.example/other" });
    await triggerEvent(app, { event_name: "a", payload: { n: 1 } });
    const offered: string[][] = [];
    const result = await fanOutQueuedEvents({
      limit: 10,
      lease: {
        holder: "fan-out-worker",
        heldEventIds: () => [],
        pick: (made) => {
          offered.push(made.map((d) => d.endpointId).sort());
          return made.filter((d) => d.endpointId === plain.endpoint.id).map((d) => d.deliveryId);
        },
      },
    });
    expect(offered).toEqual([[plain.endpoint.id, other.endpoint.id].sort()]);
    expect(result.leased.map((r) => r.endpoint_id)).toEqual([plain.endpoint.id]);
    const [leasedRow] = result.leased;
    expect(await queueRow(leasedRow!.id)).toMatchObject({ leased_by: "fan-out-worker" });

    const events = createEventCache();
    const [claim] = await claimsOf(result.leased, events);
    expect(claim).toMatchObject({
      deliveryId: leasedRow!.id,
      leasedBy: "fan-out-worker",
      url: "https://r.example/plain",
      event: { payloadText: '{"n":1}' },
    });
    expect(claim!.secrets).toEqual([plain.secret]);
    // Another worker's claim gets the delivery left unleased, never the leased one.
    const claimed = await claimDueDeliveries({
      workerId: "w2",
      limit: 10,
      defaultEndpointSlots: 10,
      events: createEventCache(),
    });
    expect(claimed.map((c) => c.endpointId)).toEqual([other.endpoint.id]);
    // The file's other tests claim from the same queue.
    await db().pool.query("DELETE FROM delivery_queue WHERE app_id = $1", [app.id]);
  });
});

describe("payloads held once per event", () => {
  it("an event the worker's cache drops while a claim is on its way is read again, never taken as expired", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://r.example/hook" });
    await triggerEvent(app, { event_name: "a", payload: { keep: "me" } });
    await fanOutNow();
    const { eventId } = await db().prisma.delivery.findFirstOrThrow({ where: { appId: app.id } });
    const held: LoadedEvent = {
      id: eventId,
      name: "a",
      createdAt: new Date(),
      payloadText: JSON.stringify({ keep: "me" }),
      expired: false,
    };
    const real = createEventCache();
    // The worker held the event when it asked (so its payload is not sent), and its last attempt
    // released it right after: the first look finds it, every later one does not.
    let looks = 0;
    const dropping: EventCache = {
      get: (id) => (id === eventId && looks++ === 0 ? held : real.get(id)),
      hold: (event) => real.hold(event),
      release: (id) => real.release(id),
      ids: () => [eventId],
      get size() {
        return real.size;
      },
    };
    const [claim] = await claimDueDeliveries({
      workerId: "w1",
      limit: 10,
      defaultEndpointSlots: 10,
      events: dropping,
    });
    expect(claim!.event).toMatchObject({
      id: eventId,
      expired: false,
      payloadText: `{"keep":"me"}`,
    });
  });
});

describe("ingest", () => {
  it("32 concurrent triggers share a few statements (group commit), every event committed and queued", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://r.example/hook" });
    await triggerEvent(app, { event_name: "warm.up", payload: {} }); // caches the app's lookups
    const spy = vi.spyOn(db().writePool, "query");
    try {
      const results = await Promise.all(
        Array.from({ length: 32 }, (_, i) =>
          triggerEvent(app, { event_name: "order.paid", payload: { i } }),
        ),
      );
      const inserts = spy.mock.calls.filter(([q]) =>
        String(typeof q === "string" ? q : (q as { text: string }).text).includes(
          "INSERT INTO events",
        ),
      );
      expect(new Set(results.map((r) => r.event_id)).size).toBe(32);
      expect(inserts.length).toBeGreaterThan(0);
      expect(inserts.length).toBeLessThanOrEqual(4);
    } finally {
      spy.mockRestore();
    }
    expect(await db().prisma.event.count({ where: { appId: app.id, name: "order.paid" } })).toBe(
      32,
    );
    expect(await db().prisma.eventFanOut.count()).toBe(33);
    expect(await fanOutNow()).toBe(33);
  });

  it("an idempotent repeat inside one batch queues one fan-out", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://r.example/hook" });
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        triggerEvent(app, { event_name: "order.paid", payload: {} }, "same-key"),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event_id)).size).toBe(1);
    expect(await fanOutNow()).toBe(1);
    expect(await db().prisma.delivery.count({ where: { appId: app.id } })).toBe(1);
  });
});

describe("deferred fan-out", () => {
  it("a crash between the event's commit and its fan-out: the fan-out is repeated, once", async () => {
    const app = await createTestApp();
    await Promise.all(
      [0, 1, 2].map((i) => createTestEndpoint(app, { url: `https://r${i}.example/hook` })),
    );
    const event = await triggerEvent(app, { event_name: "order.paid", payload: {} });

    // A fan-out that took the event and died before committing (its connection is killed).
    const doomed = new pg.Client(poolConfigFromUrl(db().url));
    await doomed.connect();
    doomed.on("error", () => {});
    await doomed.query("BEGIN");
    const taken = await doomed.query(
      "DELETE FROM event_fanout_queue WHERE event_id = $1 RETURNING event_id",
      [event.event_id],
    );
    expect(taken.rowCount).toBe(1);
    // While it holds the row, another fan-out skips it (SKIP LOCKED) rather than waiting.
    expect(await fanOutNow()).toBe(0);
    await db().pool.query("SELECT pg_terminate_backend($1)", [
      (doomed as unknown as { processID: number }).processID,
    ]);
    await doomed.end().catch(() => {});

    expect(await db().prisma.eventFanOut.count({ where: { eventId: event.event_id } })).toBe(1);
    expect(await fanOutNow()).toBe(3);
    expect(await fanOutNow()).toBe(0);
    expect(await db().prisma.delivery.count({ where: { eventId: event.event_id } })).toBe(3);
    // Each of the event's deliveries is queued once.
    const deliveries = await db().prisma.delivery.findMany({
      where: { eventId: event.event_id },
      select: { id: true },
    });
    expect(
      await db().prisma.deliveryQueueEntry.count({
        where: { deliveryId: { in: deliveries.map((d) => d.id) } },
      }),
    ).toBe(3);
  });

  it("a 10,000-endpoint event is answered before any delivery exists, then fanned out in one pass", async () => {
    const app = await createTestApp();
    await db().pool.query(
      `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at)
       SELECT 'ep_many' || i, $1, 'https://r.example/hook', ARRAY['*'], now() FROM generate_series(1, 10000) AS i`,
      [app.id],
    );
    const event = await triggerEvent(app, {
      event_name: "order.paid",
      payload: { big: "x".repeat(10_000) },
    });
    expect(await db().prisma.delivery.count({ where: { eventId: event.event_id } })).toBe(0);
    expect(await fanOutNow()).toBe(10_000);
    const ids = await db().prisma.delivery.findMany({
      where: { eventId: event.event_id },
      select: { id: true },
    });
    expect(new Set(ids.map((d) => d.id)).size).toBe(10_000);
    // Rollups counted each delivery once.
    const { rows } = await db().pool.query<{ n: number }>(
      "SELECT sum(created)::int AS n FROM delivery_rollups_hourly WHERE app_id = $1",
      [app.id],
    );
    expect(rows[0]!.n).toBe(10_000);
  });
});
