/**
 * Hourly per-endpoint counters (delivery_rollups_hourly), upserted inside the transaction that
 * changes a delivery, so analytics read a few rows instead of scanning attempts.
 */
import type { PoolClient } from "pg";
import { SqlParams } from "@/lib/delivery/sql";

/**
 * Upper bounds (ms, inclusive) of the attempt-latency buckets. `latency_histogram[i]` counts
 * attempts with latency <= LATENCY_BUCKET_BOUNDS_MS[i] (and above the previous bound); the extra
 * last element counts everything slower than the last bound.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000];

/** Length of `latency_histogram`: one per bound plus the overflow bucket. */
export const LATENCY_BUCKET_COUNT = LATENCY_BUCKET_BOUNDS_MS.length + 1;

export function latencyBucketIndex(durationMs: number): number {
  const index = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : index;
}

/**
 * The rollup row a statement writes, among ROLLUP_SLOTS per endpoint and hour: chosen by the
 * database session, so two sessions rarely share one and concurrent triggers and outcomes of an
 * endpoint do not queue on one row lock (one did cap an app's triggers at ~300/s). Readers sum.
 */
export const ROLLUP_SLOTS = 8;
export const ROLLUP_SLOT_SQL = `(pg_backend_pid() % ${ROLLUP_SLOTS})::smallint`;
/** The conflict target of every rollup upsert. */
export const ROLLUP_KEY = "(app_id, endpoint_id, hour, slot)";

/** The hour a timestamp falls in (UTC), the rollup's key. */
export function hourOf(at: Date): Date {
  const hour = new Date(at.getTime());
  hour.setUTCMinutes(0, 0, 0);
  return hour;
}

/**
 * Approximate percentile (ms) from a histogram: the upper bound of the bucket holding it
 * (the last bound for the overflow bucket). Null when empty.
 */
export function percentileFromHistogram(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(total * quantile));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return LATENCY_BUCKET_BOUNDS_MS[Math.min(i, LATENCY_BUCKET_BOUNDS_MS.length - 1)]!;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
}

/** Counts deliveries created for each endpoint (duplicates counted), in one statement. */
export async function rollupDeliveriesCreated(
  client: PoolClient,
  input: { appId: string; endpointIds: readonly string[]; at: Date },
): Promise<void> {
  if (input.endpointIds.length === 0) return;
  const params = new SqlParams();
  const text = rollupDeliveriesCreatedSql(params, input);
  await client.query(text, params.values);
}

/**
 * The upsert behind `rollupDeliveriesCreated`, as SQL for a larger statement (the fan-out writes
 * its deliveries and their counts together). `endpointIds` must not be empty.
 */
export function rollupDeliveriesCreatedSql(params: SqlParams, input: { appId: string; endpointIds: readonly string[]; at: Date }): string {
  const counts = new Map<string, number>();
  for (const id of input.endpointIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  // Sorted so concurrent triggers lock rollup rows in the same order (no deadlocks).
  const ids = [...counts.keys()].sort();
  return `INSERT INTO delivery_rollups_hourly (app_id, endpoint_id, hour, slot, created)
     SELECT ${params.add(input.appId)}, e.endpoint_id, ${params.add(hourOf(input.at), "::timestamptz")}, ${ROLLUP_SLOT_SQL}, e.n
     FROM unnest(${params.add(ids, "::text[]")}, ${params.add(ids.map((id) => counts.get(id)!), "::int[]")}) AS e(endpoint_id, n)
     ORDER BY e.endpoint_id
     ON CONFLICT ${ROLLUP_KEY} DO UPDATE SET created = delivery_rollups_hourly.created + EXCLUDED.created`;
}

export interface AttemptRollup {
  appId: string;
  endpointId: string;
  at: Date;
  durationMs: number;
  attemptFailed: boolean;
  /** Set when this attempt made the delivery final. */
  finalStatus: "success" | "failed" | null;
}

/**
 * The upsert that adds one attempt (and a final outcome, if any) to its hour's counters, as SQL
 * for a larger statement: one row per row of `source` (a CTE name, or `(SELECT 1) AS one`).
 */
export function rollupAttemptSql(params: SqlParams, input: AttemptRollup, source: string): string {
  const histogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
  histogram[latencyBucketIndex(input.durationMs)] = 1;
  return `INSERT INTO delivery_rollups_hourly
       (app_id, endpoint_id, hour, slot, attempts, attempts_failed, latency_sum_ms, latency_histogram, succeeded, failed)
     SELECT ${params.add(input.appId)}, ${params.add(input.endpointId)}, ${params.add(hourOf(input.at), "::timestamptz")}, ${ROLLUP_SLOT_SQL}, 1,
       ${params.add(input.attemptFailed ? 1 : 0, "::int")}, ${params.add(Math.max(0, Math.round(input.durationMs)), "::bigint")},
       ${params.add(histogram, "::int[]")}, ${params.add(input.finalStatus === "success" ? 1 : 0, "::int")},
       ${params.add(input.finalStatus === "failed" ? 1 : 0, "::int")}
     FROM ${source}
     ON CONFLICT ${ROLLUP_KEY} DO UPDATE SET
       attempts = delivery_rollups_hourly.attempts + 1,
       attempts_failed = delivery_rollups_hourly.attempts_failed + EXCLUDED.attempts_failed,
       latency_sum_ms = delivery_rollups_hourly.latency_sum_ms + EXCLUDED.latency_sum_ms,
       succeeded = delivery_rollups_hourly.succeeded + EXCLUDED.succeeded,
       failed = delivery_rollups_hourly.failed + EXCLUDED.failed,
       -- element-wise sum; the shorter array counts as zeros
       latency_histogram = ARRAY(
         SELECT COALESCE(a, 0) + COALESCE(b, 0)
         FROM unnest(delivery_rollups_hourly.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS h(a, b, i)
         ORDER BY i)`;
}

/**
 * The upsert that adds many successful attempts (each making its delivery final) to their hours'
 * counters, as SQL for a larger statement: `source` is a CTE with one row per attempt and the
 * columns app_id, endpoint_id, hour, duration_ms (rounded, >= 0) and bucket (latencyBucketIndex).
 * Rows are summed per (endpoint, hour) first and upserted in endpoint order, the order the
 * trigger's `rollupDeliveriesCreated` locks them in.
 */
export function rollupSuccessesSql(source: string): string {
  return `INSERT INTO delivery_rollups_hourly
       (app_id, endpoint_id, hour, slot, attempts, attempts_failed, latency_sum_ms, latency_histogram, succeeded, failed)
     SELECT g.app_id, g.endpoint_id, g.hour, ${ROLLUP_SLOT_SQL}, g.n, 0, g.latency_ms,
       ARRAY(SELECT (SELECT count(*) FROM unnest(g.buckets) AS b WHERE b = k)::int
             FROM generate_series(0, ${LATENCY_BUCKET_COUNT - 1}) AS k ORDER BY k),
       g.n, 0
     FROM (SELECT app_id, endpoint_id, hour, count(*)::int AS n, sum(duration_ms)::bigint AS latency_ms, array_agg(bucket) AS buckets
           FROM ${source} GROUP BY app_id, endpoint_id, hour) AS g
     ORDER BY g.endpoint_id, g.hour
     ON CONFLICT ${ROLLUP_KEY} DO UPDATE SET
       attempts = delivery_rollups_hourly.attempts + EXCLUDED.attempts,
       attempts_failed = delivery_rollups_hourly.attempts_failed + EXCLUDED.attempts_failed,
       latency_sum_ms = delivery_rollups_hourly.latency_sum_ms + EXCLUDED.latency_sum_ms,
       succeeded = delivery_rollups_hourly.succeeded + EXCLUDED.succeeded,
       failed = delivery_rollups_hourly.failed + EXCLUDED.failed,
       latency_histogram = ARRAY(
         SELECT COALESCE(a, 0) + COALESCE(b, 0)
         FROM unnest(delivery_rollups_hourly.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS h(a, b, i)
         ORDER BY i)`;
}
