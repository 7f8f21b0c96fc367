/**
 * The console's overview: the whole deployment at a glance. Throughput and success rate per hour
 * over the last 24 hours across all apps (from the hourly rollups, never the delivery table),
 * backlog and lag, deliveries waiting to retry, endpoints failing or disabled, and the health of
 * the database and the job driver.
 */
import { getDb } from "@/lib/db/client";
import { checkHealth, type HealthReport } from "@/lib/health/check-health";
import { readDeliveryGauges } from "@/lib/metrics/render-metrics";
import { successRate } from "@/lib/analytics/rollup-reads";

export interface OverviewPoint {
  /** ISO start of the hour. */
  hour: string;
  created: number;
  succeeded: number;
  failed: number;
  /** Percent, null when nothing finished in the hour. */
  success_rate: number | null;
}

export interface Overview {
  generated_at: string;
  apps: number;
  last_24h: { created: number; succeeded: number; failed: number; success_rate: number | null };
  series: OverviewPoint[];
  queue: {
    due: number;
    retrying: number;
    in_flight: number;
    lag_seconds: number;
    awaiting_fan_out: number;
  };
  endpoints: { failing: number; disabled: number };
  health: HealthReport;
}

const HOUR_MS = 3_600_000;

export async function getOverview(now = new Date()): Promise<Overview> {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const start = new Date(end - 23 * HOUR_MS);
  const { pool } = getDb();
  const [series, apps, gauges, health] = await Promise.all([
    pool.query<{ hour: Date; created: string; succeeded: string; failed: string }>(
      `SELECT hour, sum(created) AS created, sum(succeeded) AS succeeded, sum(failed) AS failed
         FROM delivery_rollups_hourly WHERE hour >= $1 GROUP BY hour`,
      [start],
    ),
    pool.query<{ n: string }>("SELECT count(*) AS n FROM apps"),
    readDeliveryGauges(),
    checkHealth(),
  ]);
  const byHour = new Map(series.rows.map((r) => [r.hour.getTime(), r]));
  const points: OverviewPoint[] = [];
  for (let t = start.getTime(); t <= end; t += HOUR_MS) {
    const r = byHour.get(t);
    const succeeded = Number(r?.succeeded ?? 0);
    const failed = Number(r?.failed ?? 0);
    points.push({
      hour: new Date(t).toISOString(),
      created: Number(r?.created ?? 0),
      succeeded,
      failed,
      success_rate: successRate(succeeded, failed),
    });
  }
  const sum = (k: "created" | "succeeded" | "failed") => points.reduce((n, p) => n + p[k], 0);
  return {
    generated_at: now.toISOString(),
    apps: Number(apps.rows[0]!.n),
    last_24h: {
      created: sum("created"),
      succeeded: sum("succeeded"),
      failed: sum("failed"),
      success_rate: successRate(sum("succeeded"), sum("failed")),
    },
    series: points,
    queue: {
      due: Number(gauges.due),
      retrying: Number(gauges.scheduled),
      in_flight: Number(gauges.in_flight),
      lag_seconds: Math.max(0, Number(gauges.lag_seconds ?? 0)),
      awaiting_fan_out: Number(gauges.fan_out_waiting),
    },
    endpoints: {
      failing: Number(gauges.endpoints_failing),
      disabled: Number(gauges.endpoints_disabled),
    },
    health,
  };
}
