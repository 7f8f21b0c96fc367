/**
 * Successes recorded together (the embedded workers' group commit, createOutcomeBatcher) write
 * exactly what recording them one by one writes: each delivery final under its own lease, one
 * attempt each (in all_attempts), rollups summed per endpoint and hour (latency sum and histogram
 * included), failure streaks cleared; a delivery whose lease was lost is left untouched and reported so.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import { hourOf, LATENCY_BUCKET_COUNT, latencyBucketIndex } from "@/lib/analytics/rollups";
import type { AttemptResult } from "@/lib/delivery/http-client";
import { withTransaction } from "@/lib/delivery/sql";
import { claimDueDeliveries } from "@/lib/delivery/claim-deliveries";
import { createEventCache } from "@/lib/delivery/claimed-delivery";
import { insertPendingDeliveries } from "@/lib/delivery/enqueue-deliveries";
import { recordAttemptOutcome } from "@/lib/delivery/record-attempt";
import { createOutcomeBatcher } from "@/lib/delivery/record-successes";
import { newId } from "@/lib/ids";

const db = useTestDatabase();

const ok = (durationMs: number): AttemptResult => ({
  ok: true,
  status: 200,
  headers: { "content-type": "text/plain" },
  body: "ok",
  bodyTruncated: false,
  durationMs,
  error: null,
  errorCode: null,
  retryAfterSeconds: null,
});

describe("batched success outcomes", () => {
  it("record the same rows as one by one, per lease", async () => {
    const app = await createTestApp();
    const endpoints = await Promise.all(
      [0, 1, 2].map((i) => createTestEndpoint(app, { url: `http://127.0.0.1:9/${i}` })),
    );
    const failing = endpoints[2]!.endpoint.id;
    await db().pool.query(
      "UPDATE endpoints SET consecutive_failures = 3, failing_since = now() - interval '1 hour' WHERE id = $1",
      [failing],
    );
    const eventId = newId("msg");
    await db().pool.query(
      "INSERT INTO events (id, app_id, name, payload) VALUES ($1, $2, 'order.paid', '{}')",
      [eventId, app.id],
    );
    // 4 deliveries per endpoint.
    const endpointIds = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2].map((i) => endpoints[i]!.endpoint.id);
    await withTransaction((c) =>
      insertPendingDeliveries(c, {
        appId: app.id,
        eventId,
        eventName: "order.paid",
        endpointIds,
        createdAt: new Date(),
      }),
    );

    const events = createEventCache();
    const claims = await claimDueDeliveries({
      workerId: "w1",
      limit: 100,
      defaultEndpointSlots: 100,
      events,
    });
    expect(claims).toHaveLength(12);
    // The event's payload came once and is shared by every claim.
    expect(events.size).toBe(1);
    expect(claims.every((c) => c.event === claims[0]!.event)).toBe(true);
    // Another worker took one over (its lease expired and was claimed again).
    const stolen = claims[5]!;
    await db().pool.query("UPDATE delivery_queue SET leased_by = 'w2' WHERE delivery_id = $1", [
      stolen.deliveryId,
    ]);

    const batch = createOutcomeBatcher();
    const durations = [3, 12, 30, 70, 120, 300, 700, 2_000, 4_000, 9_000, 20_000, 40_000];
    const attemptedAt = new Date();
    // All at once: the first is written alone, the rest queue behind it and go in one statement.
    const transitions = await Promise.all(
      claims.map((claim, i) =>
        recordAttemptOutcome(
          claim,
          {
            attemptedAt,
            requestHeaders: { "webhook-id": claim.deliveryId, "webhook-signature": "v1,***" },
            result: ok(durations[i]!),
          },
          { batch },
        ),
      ),
    );
    await batch.drain();

    transitions.forEach((t, i) => {
      if (claims[i] === stolen) expect(t).toMatchObject({ recorded: false, attemptId: null });
      else
        expect(t).toMatchObject({
          deliveryId: claims[i]!.deliveryId,
          recorded: true,
          status: "success",
          attemptNumber: 1,
          final: true,
          nextAttemptAt: null,
          endpointDisabled: false,
        });
    });

    const { rows: deliveries } = await db().pool.query(
      `SELECT d.id, d.status, d.attempt_count, q.leased_by, d.last_status_code, d.last_error, d.last_attempt_at, d.completed_at, d.next_attempt_at
       FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id WHERE d.event_id = $1`,
      [eventId],
    );
    for (const d of deliveries) {
      if (d.id === stolen.deliveryId) {
        expect(d).toMatchObject({
          status: "pending",
          attempt_count: 0,
          leased_by: "w2",
          completed_at: null,
        });
      } else {
        expect(d).toMatchObject({
          status: "success",
          attempt_count: 1,
          leased_by: null,
          last_status_code: 200,
          last_error: null,
          next_attempt_at: null,
        });
        expect(d.last_attempt_at.getTime()).toBe(attemptedAt.getTime());
        expect(d.completed_at).not.toBeNull();
      }
    }

    const { rows: attempts } = await db().pool.query(
      "SELECT id, delivery_id, attempt_number, trigger, request_url, request_headers, response_status, response_headers, response_body, duration_ms, error FROM all_attempts WHERE app_id = $1",
      [app.id],
    );
    expect(attempts).toHaveLength(11);
    const attemptIds = new Map(
      transitions.filter((t) => t.recorded).map((t) => [t.deliveryId, t.attemptId]),
    );
    for (const a of attempts) {
      const i = claims.findIndex((c) => c.deliveryId === a.delivery_id);
      expect(a).toMatchObject({
        id: attemptIds.get(a.delivery_id),
        attempt_number: 1,
        trigger: "auto",
        request_url: claims[i]!.url,
        request_headers: { "webhook-id": a.delivery_id, "webhook-signature": "v1,***" },
        response_status: 200,
        response_headers: { "content-type": "text/plain" },
        response_body: "ok",
        duration_ms: durations[i],
        error: null,
      });
    }

    // Rollups: per endpoint, what the recorded attempts add up to.
    // (summed over the rollup slots: the trigger and the batch may have written different ones)
    const { rows: rollups } = await db().pool.query(
      `SELECT endpoint_id, hour, sum(created)::int AS created, sum(attempts)::int AS attempts, sum(attempts_failed)::int AS attempts_failed,
              sum(latency_sum_ms) AS latency_sum_ms, sum(succeeded)::int AS succeeded, sum(failed)::int AS failed,
              ARRAY(SELECT sum(h.n)::int FROM delivery_rollups_hourly s, unnest(s.latency_histogram) WITH ORDINALITY AS h(n, i)
                    WHERE s.app_id = $1 AND s.endpoint_id = r.endpoint_id AND s.hour = r.hour GROUP BY h.i ORDER BY h.i) AS latency_histogram
       FROM delivery_rollups_hourly r WHERE app_id = $1 GROUP BY endpoint_id, hour`,
      [app.id],
    );
    expect(rollups).toHaveLength(3);
    for (const r of rollups) {
      const mine = claims
        .map((c, i) => ({ c, d: durations[i]! }))
        .filter(({ c }) => c.endpointId === r.endpoint_id && c !== stolen);
      const histogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
      for (const { d } of mine) histogram[latencyBucketIndex(d)]!++;
      expect(r.hour.getTime()).toBe(hourOf(attemptedAt).getTime());
      expect(r).toMatchObject({
        created: 4,
        attempts: mine.length,
        attempts_failed: 0,
        succeeded: mine.length,
        failed: 0,
        latency_histogram: histogram,
      });
      expect(Number(r.latency_sum_ms)).toBe(mine.reduce((s, { d }) => s + d, 0));
    }

    // A success clears the endpoint's failure streak.
    const { rows: health } = await db().pool.query(
      "SELECT consecutive_failures, failing_since FROM endpoints WHERE id = $1",
      [failing],
    );
    expect(health[0]).toEqual({ consecutive_failures: 0, failing_since: null });
  });
});
