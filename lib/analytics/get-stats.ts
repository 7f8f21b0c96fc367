import type { App } from "@/generated/prisma/client";
import { emptyAggregate, readRollups, successRate } from "@/lib/analytics/rollup-reads";
import type { StatsResponse } from "@/lib/analytics/schemas";
import { getDb } from "@/lib/db/client";
import { DAY_MS } from "@/lib/delivery-log/date-range";

/**
 * `GET /apps/{slug}/stats`: the app at a glance. Deliveries by current status, endpoint health
 * (active / failing / disabled; deleted ones left out), and the last 24 hours: the exact number
 * of deliveries created, and outcomes from the hourly rollups.
 */
export async function getStats(
  app: Pick<App, "id">,
  now: Date = new Date(),
): Promise<StatsResponse> {
  const { pool } = getDb();
  const since = new Date(now.getTime() - DAY_MS);
  const [statuses, endpoints, recent, rollups] = await Promise.all([
    pool.query<{ status: keyof StatsResponse["by_status"]; n: string }>(
      "SELECT status, count(*) AS n FROM deliveries WHERE app_id = $1 GROUP BY status",
      [app.id],
    ),
    pool.query<{ total: string; active: string; failing: string; disabled: string }>(
      `SELECT count(*) AS total,
              count(*) FILTER (WHERE is_active AND failing_since IS NULL AND consecutive_failures = 0) AS active,
              count(*) FILTER (WHERE is_active AND (failing_since IS NOT NULL OR consecutive_failures > 0)) AS failing,
              count(*) FILTER (WHERE NOT is_active) AS disabled
       FROM endpoints WHERE app_id = $1 AND deleted_at IS NULL`,
      [app.id],
    ),
    pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM deliveries WHERE app_id = $1 AND created_at > $2 AND created_at <= $3",
      [app.id, since, now],
    ),
    readRollups({ appId: app.id, from: since, to: now }, null),
  ]);
  const by: StatsResponse["by_status"] = {
    pending: 0,
    retrying: 0,
    success: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const r of statuses.rows) by[r.status] = Number(r.n);
  const e = endpoints.rows[0];
  const last = rollups.get(0) ?? emptyAggregate();
  return {
    total_deliveries: by.pending + by.retrying + by.success + by.failed + by.cancelled,
    by_status: by,
    success_rate: successRate(by.success, by.failed),
    endpoints: {
      total: Number(e?.total ?? 0),
      active: Number(e?.active ?? 0),
      failing: Number(e?.failing ?? 0),
      disabled: Number(e?.disabled ?? 0),
    },
    deliveries_last_24h: Number(recent.rows[0]?.n ?? 0),
    last_24h: {
      total_deliveries: last.created,
      successful: last.succeeded,
      failed: last.failed,
      pending: last.created - last.succeeded - last.failed,
      filtered: last.filtered,
      success_rate: successRate(last.succeeded, last.failed),
    },
  };
}
