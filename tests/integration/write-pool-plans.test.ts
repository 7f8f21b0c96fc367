/**
 * The hot paths' statements run on the write pool (lib/db/client.ts, `writePool`), whose
 * connections keep one generic plan per named statement: planned once, not at every call. A
 * generic plan is made without the values, so each statement must reach the log, the queue and
 * the events by key whatever they are; with the statistics of a log of 12,000 deliveries and a
 * fan-out backlog of 20,000 events, no plan may read one of those tables whole. The statements are the ones the connections
 * prepared while the trigger, fan-out (with and without leases) and outcome paths ran.
 */
import type { PoolClient } from "pg";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { claimDueDeliveries } from "@/lib/delivery/claim-deliveries";
import { createEventCache } from "@/lib/delivery/claimed-delivery";
import type { AttemptResult } from "@/lib/delivery/http-client";
import { fanOutQueuedEvents } from "@/lib/delivery/fan-out-events";
import { recordAttemptOutcome } from "@/lib/delivery/record-attempt";
import { createOutcomeBatcher } from "@/lib/delivery/record-successes";
import { acceptAppEvent } from "@/lib/events/trigger-event";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";

useTestDatabase();

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

const ok: AttemptResult = {
  ok: true,
  status: 200,
  headers: { "content-type": "text/plain" },
  body: "ok",
  bodyTruncated: false,
  durationMs: 5,
  error: null,
  errorCode: null,
  retryAfterSeconds: null,
};

/** The log's and the queues' tables (a partition's name starts with its table's). */
const LARGE = ["deliveries", "attempts", "events", "delivery_queue", "event_fanout_queue"];

describe("the write pool's statements", () => {
  it(
    "keep one generic plan each, reaching the log and the queues by key",
    { timeout: 120_000 },
    async () => {
      const app = await createTestApp();
      for (let i = 0; i < 12; i++)
        await createTestEndpoint(app, { url: `http://127.0.0.1:9/${i}` });
      const trigger = (n: number) =>
        acceptAppEvent(
          app,
          { name: "order.created", payload: { n }, key: null, channels: [] },
          "event_name",
        );
      for (let batch = 0; batch < 20; batch++)
        await Promise.all(Array.from({ length: 50 }, (_, i) => trigger(batch * 50 + i)));
      expect(await fanOutNow()).toBe(12_000);
      // Another app's backlog: 20,000 events accepted behind these, not fanned out yet.
      const backlog = await createTestApp();
      await getDb().pool.query(
        `WITH ev AS (
           INSERT INTO events (id, app_id, name, payload, created_at)
           SELECT 'msg_backlog' || lpad(g::text, 6, '0'), $1, 'order.created', '{}', now() + interval '1 hour'
           FROM generate_series(1, 20000) g RETURNING id, created_at)
         INSERT INTO event_fanout_queue (event_id, created_at) SELECT id, created_at FROM ev`,
        [backlog.id],
      );
      await getDb().pool.query("ANALYZE");

      // The server's fan-out shapes: a lane's next 100 new events, the first deliveries leased
      // as the embedded workers do; a continuing lane's next event; one event by id (Inngest).
      await trigger(-1);
      const leasedAtFanOut = await fanOutQueuedEvents({
        limit: 100,
        lane: "new",
        lease: {
          holder: "plan-test",
          heldEventIds: () => [],
          pick: (made) => made.map((d) => d.deliveryId),
        },
      });
      expect(leasedAtFanOut).toMatchObject({ events: 100 });
      expect(leasedAtFanOut.leased).toHaveLength(12);
      expect(await fanOutQueuedEvents({ limit: 1, lane: "continuing" })).toMatchObject({
        events: 0,
      });
      expect(await fanOutQueuedEvents({ limit: 1, eventIds: ["msg_backlog020000"] })).toMatchObject(
        { events: 1 },
      );
      // Outcomes: one written alone, the rest queued behind it and written as one batch.
      const claims = await claimDueDeliveries({
        workerId: "plan-test-claims",
        limit: 12,
        defaultEndpointSlots: 16,
        events: createEventCache(),
      });
      expect(claims).toHaveLength(12);
      const batch = createOutcomeBatcher();
      const outcomes = await Promise.all(
        claims.map((claim) =>
          recordAttemptOutcome(
            claim,
            {
              attemptedAt: new Date(),
              requestHeaders: { "webhook-id": claim.deliveryId },
              result: ok,
            },
            { batch },
          ),
        ),
      );
      await batch.drain();
      expect(outcomes.every((o) => o.recorded)).toBe(true);

      // Every connection of the pool at once: each holds the statements it prepared.
      const pool = getDb().writePool;
      const clients: PoolClient[] = [];
      try {
        for (let i = 0; i < (pool.options.max ?? 0); i++) clients.push(await pool.connect());
        const prepared = new Map<string, { text: string; generic: number; custom: number }>();
        for (const client of clients) {
          const { rows } = await client.query<{
            name: string;
            statement: string;
            generic_plans: string;
            custom_plans: string;
          }>("SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements");
          for (const row of rows) {
            const seen = prepared.get(row.name);
            prepared.set(row.name, {
              text: row.statement,
              generic: (seen?.generic ?? 0) + Number(row.generic_plans),
              custom: (seen?.custom ?? 0) + Number(row.custom_plans),
            });
          }
        }
        expect([...prepared.keys()].sort()).toEqual(
          expect.arrayContaining([
            "hookline_accept_events",
            "hookline_fan_out_take_continuing_1",
            "hookline_fan_out_take_ids_1",
            "hookline_fan_out_take_new_100",
            "hookline_fan_out_write",
            "hookline_lease_by_ids",
            "hookline_record_final_attempt",
            "hookline_success_batch",
          ]),
        );
        // The tests' helper takes 500 events at a time, which the server never does.
        prepared.delete("hookline_fan_out_take_any_500");
        for (const [name, { text, generic, custom }] of prepared) {
          expect({ name, custom, planned: generic > 0 }).toEqual({
            name,
            custom: 0,
            planned: true,
          });
          const { rows } = await clients[0]!.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
            `EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${text}`,
          );
          const readWhole = planNodes(rows[0]!["QUERY PLAN"][0].Plan)
            .filter((n) => n["Node Type"] === "Seq Scan")
            .map((n) => n["Relation Name"] ?? "")
            .filter((relation) => LARGE.some((t) => relation.startsWith(t)))
            // The default partition catches rows no partition covers: empty (checked below), so
            // the planner scans it whole, reading nothing.
            .filter((relation) => !relation.endsWith("_p_default"));
          expect({ name, readWhole }).toEqual({ name, readWhole: [] });
        }
        const { rows: inDefault } = await clients[0]!.query<{ n: string }>(
          "SELECT (SELECT count(*) FROM deliveries_p_default) + (SELECT count(*) FROM attempts_p_default) AS n",
        );
        expect(Number(inDefault[0]!.n)).toBe(0);
      } finally {
        for (const client of clients) client.release();
      }
    },
  );
});
