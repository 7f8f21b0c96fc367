/**
 * The claim's plan reaches the log and the queue by id. Joined on `d.id = l.delivery_id` alone,
 * PostgreSQL hashed a sequential scan of every log partition (twice) and of the whole queue for
 * each claim of 100 rows, so a claim cost more the longer the log grew; found by keys, its cost
 * follows the rows it leases. Checked on the plan PostgreSQL runs, with the statistics of a log
 * of 12,000 deliveries: the custom plan, and the generic plan that the claim connection keeps
 * (lib/db/client.ts, `claimPool`) so that the claim is not planned at every call.
 */
import type { PoolClient } from "pg";
import { describe, expect, it } from "vitest";
import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { claimDueDeliveries, claimDueStatement } from "@/lib/delivery/claim-deliveries";
import { createEventCache } from "@/lib/delivery/claimed-delivery";
import { acceptAppEvent } from "@/lib/events/trigger-event";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";

useTestDatabase();

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Actual Loops": number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

describe("the claim statement", () => {
  let app: App;

  it("leases 100 of 12,000 queued deliveries", { timeout: 120_000 }, async () => {
    app = await createTestApp();
    for (let i = 0; i < 12; i++) await createTestEndpoint(app, { url: `http://127.0.0.1:9/${i}` });
    for (let batch = 0; batch < 20; batch++)
      await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          acceptAppEvent(
            app,
            { name: "order.created", payload: { n: batch * 50 + i }, key: null, channels: [] },
            "event_name",
          ),
        ),
      );
    expect(await fanOutNow()).toBe(12_000);
    await getDb().pool.query("ANALYZE");
  });

  const statement = () =>
    claimDueStatement({
      workerId: "plan-test",
      limit: 100,
      defaultEndpointSlots: 16,
      events: createEventCache(),
    });

  /** The relations a plan read whole (a sequential scan that ran). */
  function readWhole(plan: PlanNode): (string | undefined)[] {
    return planNodes(plan)
      .filter((n) => n["Node Type"] === "Seq Scan" && n["Actual Loops"] > 0)
      .map((n) => n["Relation Name"]);
  }

  async function expectKeyedReads(plan: PlanNode, client: PoolClient) {
    const leased = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM delivery_queue WHERE leased_by = 'plan-test'",
    );
    expect(leased.rows[0]!.n).toBe(100);
    const whole = readWhole(plan);
    // The log's partitions are deliveries_p_*; the small tables (apps, endpoints, secrets) may
    // be read whole.
    expect(whole.filter((r) => r?.startsWith("deliveries"))).toEqual([]);
    expect(whole).not.toContain("delivery_queue");
    expect(whole).not.toContain("events");
  }

  it("reads no log partition and not the queue by a sequential scan", async () => {
    const { text, values } = statement();
    const client = await getDb().pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${text}`,
        values,
      );
      await expectKeyedReads(rows[0]!["QUERY PLAN"][0].Plan, client);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("runs on the claim connection with one generic plan, keyed the same way", async () => {
    const claimed = await claimDueDeliveries({
      workerId: "worker",
      limit: 100,
      defaultEndpointSlots: 16,
      events: createEventCache(),
    });
    expect(claimed).toHaveLength(100);
    const claim = statement();
    // The pool holds the one connection that claim ran on.
    const client = await getDb().claimPool.connect();
    try {
      await client.query("BEGIN");
      // EXECUTE takes its arguments as SQL (no bind parameters).
      const literal = (v: unknown): string =>
        v === null
          ? "NULL"
          : client.escapeLiteral(
              Array.isArray(v)
                ? `{${v.map((x) => `"${String(x).replace(/["\\]/g, "\\$&")}"`).join(",")}}`
                : String(v),
            );
      const { rows } = await client.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE ${claim.name}(${claim.values.map(literal).join(", ")})`,
      );
      await expectKeyedReads(rows[0]!["QUERY PLAN"][0].Plan, client);
      const plans = await client.query<{ generic_plans: string; custom_plans: string }>(
        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = $1",
        [claim.name],
      );
      expect(plans.rows[0]).toEqual({ generic_plans: "2", custom_plans: "0" });
      expect(getDb().claimPool.totalCount).toBe(1);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });
});
