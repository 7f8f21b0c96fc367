/**
 * Issue 23 item 11: one app's big fan-out does not queue the other apps' deliveries behind it.
 * App A's event goes to 2,000 endpoints; app B's single delivery, triggered once A's are under
 * way, is delivered while most of A's backlog is still queued (claims take turns across apps;
 * the fan-out does A's endpoints in chunks, so B's event is not stuck behind all of them).
 * Asserted on order and counts, not on time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";
import { fanOutQueuedEvents } from "@/lib/delivery/fan-out-events";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

const A_ENDPOINTS = 2_000;
let driver: EmbeddedDriver | undefined;
const receivers: Receiver[] = [];

afterAll(async () => {
  await driver?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A receiver that holds each request `holdMs`, so a backlog drains at a known pace. */
async function receiver(holdMs: number) {
  const r = await startReceiver(async (_req, res) => {
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    res.end("ok");
  });
  receivers.push(r);
  return r;
}

describe("fan-out in chunks", () => {
  it("does a big event a chunk at a time, with the events queued behind it in the first chunk", async () => {
    const big = await createTestApp();
    const small = await createTestApp();
    await db().pool.query(
      `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at)
       SELECT 'ep_chunk' || i, $1, 'https://r.example/hook', ARRAY['*'], now() FROM generate_series(1, 2500) AS i`,
      [big.id],
    );
    await createTestEndpoint(small, { url: "https://s.example/hook" });
    const bigEvent = await triggerEvent(big, { event_name: "bulk.update", payload: {} });
    const smallEvent = await triggerEvent(small, { event_name: "single.update", payload: {} });

    const first = await fanOutQueuedEvents({ limit: 100, endpointsPerEvent: 1_000 });
    expect({ events: first.events, unfinished: first.unfinished }).toEqual({
      events: 2,
      unfinished: 1,
    });
    expect(first.deliveries).toHaveLength(1_001);
    const calls = [first];
    while (calls.at(-1)!.unfinished > 0)
      calls.push(await fanOutQueuedEvents({ limit: 100, endpointsPerEvent: 1_000 }));
    expect(calls.map((c) => c.deliveries.length)).toEqual([1_001, 1_000, 500]);
    const { rows } = await db().pool.query<{ event_id: string; n: number; endpoints: number }>(
      `SELECT event_id, count(*)::int AS n, count(DISTINCT endpoint_id)::int AS endpoints
       FROM deliveries WHERE event_id = ANY($1::text[]) GROUP BY event_id ORDER BY n`,
      [[bigEvent.event_id, smallEvent.event_id]],
    );
    expect(rows).toEqual([
      { event_id: smallEvent.event_id, n: 1, endpoints: 1 },
      { event_id: bigEvent.event_id, n: 2_500, endpoints: 2_500 },
    ]);
    const queued = await db().pool.query("SELECT 1 FROM event_fanout_queue WHERE event_id = $1", [
      bigEvent.event_id,
    ]);
    expect(queued.rowCount).toBe(0);
    await db().pool.query("DELETE FROM delivery_queue WHERE app_id = ANY($1::text[])", [
      [big.id, small.id],
    ]);
  });
});

describe("fan-out lanes", () => {
  it("keeps a big event's later chunks apart from new events", async () => {
    const big = await createTestApp();
    const small = await createTestApp();
    await db().pool.query(
      `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at)
       SELECT 'ep_lane' || i, $1, 'https://r.example/hook', ARRAY['*'], now() FROM generate_series(1, 25) AS i`,
      [big.id],
    );
    await createTestEndpoint(small, { url: "https://s.example/hook" });
    const bigEvent = await triggerEvent(big, { event_name: "bulk.update", payload: {} });
    const first = await fanOutQueuedEvents({ limit: 100, endpointsPerEvent: 10, lane: "new" });
    expect({
      events: first.events,
      unfinished: first.unfinished,
      made: first.deliveries.length,
    }).toEqual({ events: 1, unfinished: 1, made: 10 });
    expect(new Set(first.deliveries.map((d) => d.appId))).toEqual(new Set([big.id]));

    // A new event of another app: the new lane takes it alone, the big event is not new now.
    const smallEvent = await triggerEvent(small, { event_name: "single.update", payload: {} });
    const next = await fanOutQueuedEvents({ limit: 100, endpointsPerEvent: 10, lane: "new" });
    expect({ events: next.events, unfinished: next.unfinished }).toEqual({
      events: 1,
      unfinished: 0,
    });
    expect(next.deliveries.map((d) => d.appId)).toEqual([small.id]);
    expect((await fanOutQueuedEvents({ limit: 100, lane: "new" })).events).toBe(0);

    // The continuing lane finishes the big one, a chunk at a time.
    const sizes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await fanOutQueuedEvents({ limit: 1, endpointsPerEvent: 10, lane: "continuing" });
      if (r.events === 0) break;
      sizes.push(r.deliveries.length);
    }
    expect(sizes).toEqual([10, 5]);
    const { rows } = await db().pool.query<{ event_id: string; n: number }>(
      `SELECT event_id, count(DISTINCT endpoint_id)::int AS n FROM deliveries
       WHERE event_id = ANY($1::text[]) GROUP BY event_id ORDER BY n`,
      [[bigEvent.event_id, smallEvent.event_id]],
    );
    expect(rows).toEqual([
      { event_id: smallEvent.event_id, n: 1 },
      { event_id: bigEvent.event_id, n: 25 },
    ]);
    await db().pool.query("DELETE FROM delivery_queue WHERE app_id = ANY($1::text[])", [
      [big.id, small.id],
    ]);
  });
});

describe("fair share across apps", () => {
  let a: Awaited<ReturnType<typeof createTestApp>>;
  let b: Awaited<ReturnType<typeof createTestApp>>;
  let aReceiver: Receiver;
  let bReceiver: Receiver;

  beforeAll(async () => {
    aReceiver = await receiver(30);
    bReceiver = await receiver(0);
    a = await createTestApp();
    b = await createTestApp();
    const { endpoint } = await createTestEndpoint(a, { url: aReceiver.url });
    // The other 1,999 endpoints of A: copies of the first, its signing secret included.
    await db().pool.query(
      `WITH ep AS (
         INSERT INTO endpoints (id, app_id, url, subscriptions, timeout_seconds, updated_at)
         SELECT $2 || '_' || lpad(i::text, 5, '0'), $1, $3, ARRAY['*'], 5, now() FROM generate_series(2, $4) AS i
         RETURNING id)
       INSERT INTO endpoint_secrets (id, endpoint_id, kind, secret_encrypted)
       SELECT 'sec_' || ep.id, ep.id, s.kind, s.secret_encrypted FROM ep, endpoint_secrets s WHERE s.endpoint_id = $2`,
      [a.id, endpoint.id, aReceiver.url, A_ENDPOINTS],
    );
    await createTestEndpoint(b, { url: bReceiver.url });
  });

  it("delivers B's event while most of A's 2,000-endpoint fan-out is still queued", async () => {
    driver = startEmbeddedDriver({
      pollIntervalMs: 200,
      concurrency: 16,
      shutdownGraceMs: 2_000,
      replays: false,
    });
    await triggerEvent(a, { event_name: "bulk.update", payload: { n: 1 } });
    await eventually(
      async () => (aReceiver.requests.length > 0 ? true : undefined),
      30_000,
      "A's first delivery",
    );
    await triggerEvent(b, { event_name: "single.update", payload: { n: 1 } });
    await eventually(
      async () => (bReceiver.requests.length > 0 ? true : undefined),
      30_000,
      "B's delivery",
    );
    const deliveredToA = aReceiver.requests.length;
    // Still owed: every endpoint without a finished delivery. The fan-out makes A's deliveries a
    // chunk at a time, so a count of open rows alone misses the chunks not yet made.
    const { rows } = await db().pool.query<{ open: number }>(
      `SELECT ($2::int - count(*))::int AS open FROM deliveries
       WHERE app_id = $1 AND status NOT IN ('pending', 'retrying')`,
      [a.id, A_ENDPOINTS],
    );
    // Before: B waited for A's whole backlog (FIFO over all apps); A had ~0 left.
    expect({ deliveredToA: deliveredToA < A_ENDPOINTS / 2, aStillOpen: rows[0]!.open }).toEqual({
      deliveredToA: true,
      aStillOpen: expect.toSatisfy((n: number) => n > A_ENDPOINTS / 2),
    });
    // A's backlog still drains completely.
    await eventually(
      async () => (aReceiver.requests.length >= A_ENDPOINTS ? true : undefined),
      60_000,
      "all of A's deliveries",
    );
  }, 120_000);
});
