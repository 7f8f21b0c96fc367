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
import type { TimeseriesPoint } from "@/lib/analytics/schemas";

export interface Overview {
  generated_at: string;
  apps: number;
  last_24h: { created: number; succeeded: number; failed: number; success_rate: number | null };
  /** Per hour, in the shape of the analytics timeseries (the portal's charts draw it). */
  series: TimeseriesPoint[];
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
    pool.query<
      Record<
        | "created"
        | "succeeded"
        | "failed"
        | "filtered"
        | "attempts"
        | "attempts_failed"
        | "latency_sum_ms",
        string
      > & { hour: Date }
    >(
      `SELECT hour, sum(created) AS created, sum(succeeded) AS succeeded, sum(failed) AS failed,
              sum(filtered) AS filtered, sum(attempts) AS attempts,
              sum(attempts_failed) AS attempts_failed, sum(latency_sum_ms) AS latency_sum_ms
         FROM delivery_rollups_hourly WHERE hour >= $1 GROUP BY hour`,
      [start],
    ),
    pool.query<{ n: string }>("SELECT count(*) AS n FROM apps"),
    readDeliveryGauges(),
    checkHealth(),
  ]);
  const byHour = new Map(series.rows.map((r) => [r.hour.getTime(), r]));
  const points: TimeseriesPoint[] = [];
  for (let t = start.getTime(); t <= end; t += HOUR_MS) {
    const r = byHour.get(t);
    const n = (k: keyof NonNullable<typeof r>) => Number(r?.[k] ?? 0);
    const attempts = n("attempts");
    points.push({
      timestamp: new Date(t).toISOString(),
      total_deliveries: n("created"),
      successful: n("succeeded"),
      failed: n("failed"),
      pending: Math.max(0, n("created") - n("succeeded") - n("failed")),
      filtered: n("filtered"),
      success_rate: successRate(n("succeeded"), n("failed")),
      total_attempts: attempts,
      failed_attempts: n("attempts_failed"),
      avg_latency_ms: attempts ? Math.round(n("latency_sum_ms") / attempts) : null,
      p95_latency_ms: null,
    });
  }
  const sum = (k: "total_deliveries" | "successful" | "failed") =>
    points.reduce((total, p) => total + p[k], 0);
  return {
    generated_at: now.toISOString(),
    apps: Number(apps.rows[0]!.n),
    last_24h: {
      created: sum("total_deliveries"),
      succeeded: sum("successful"),
      failed: sum("failed"),
      success_rate: successRate(sum("successful"), sum("failed")),
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
