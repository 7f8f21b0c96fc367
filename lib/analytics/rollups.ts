/**
 * Hourly per-endpoint counters (delivery_rollups_hourly), folded per batch inside the statement
 * that changes the deliveries, so analytics read a few rows instead of scanning attempts.
 *
 * The counting rule: a delivery counts once, in the hour it was created, by its current state
 * (`succeeded`, `failed` — cancelled included — or neither while pending); a replay moves it
 * between those, never adds it again. Attempts count separately, in the hour they were made.
 * So `succeeded + failed <= created` in every hour, on every surface.
 */

/**
 * Upper bounds (ms, inclusive) of the attempt-latency buckets. `latency_histogram[i]` counts
 * attempts with latency <= LATENCY_BUCKET_BOUNDS_MS[i] (and above the previous bound); the extra
 * last element counts everything slower than the last bound.
 */
export const LATENCY_BUCKET_BOUNDS_MS: readonly number[] = [
  10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
];

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
 * Approximate percentile (ms) from a histogram: the upper bound of the bucket holding it (the
 * last bound for the overflow bucket), but never more than the slowest attempt (`maxMs`): a 2 s
 * timeout must not read as a 2.5 s percentile. Null when empty.
 */
export function percentileFromHistogram(
  histogram: readonly number[],
  quantile: number,
  maxMs = Infinity,
): number | null {
  const bound = histogramBound(histogram, quantile);
  return bound === null ? null : Math.min(bound, maxMs);
}

function histogramBound(histogram: readonly number[], quantile: number): number | null {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(total * quantile));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank)
      return LATENCY_BUCKET_BOUNDS_MS[Math.min(i, LATENCY_BUCKET_BOUNDS_MS.length - 1)]!;
  }
  return LATENCY_BUCKET_BOUNDS_MS[LATENCY_BUCKET_BOUNDS_MS.length - 1]!;
}

/**
 * The one rollup writer. `source` is SQL for a row set (a CTE name or a parenthesised SELECT)
 * with the columns app_id, endpoint_id, hour, created, succeeded, failed (deltas of deliveries
 * by current state, counted in the hour the delivery was created), attempt (0/1),
 * attempt_failed (0/1), duration_ms and bucket (latencyBucketIndex; null without an attempt);
 * with `filtered: true` also a `filtered` column (events an endpoint's payload filter kept from
 * it: fan-out is the only source of those).
 * Rows are folded per (endpoint, hour) and upserted in endpoint order (so concurrent writers
 * lock rollup rows in one order: no deadlocks), one row per key whatever the batch size.
 */
export function foldIntoRollupsSql(source: string, columns: { filtered?: boolean } = {}): string {
  return `INSERT INTO delivery_rollups_hourly
       (app_id, endpoint_id, hour, slot, created, succeeded, failed, filtered, attempts, attempts_failed, latency_sum_ms, latency_max_ms, latency_histogram)
     SELECT g.app_id, g.endpoint_id, g.hour, ${ROLLUP_SLOT_SQL}, g.created, g.succeeded, g.failed, g.filtered, g.attempts, g.attempts_failed, g.latency_ms, g.latency_max_ms,
       CASE WHEN g.attempts = 0 THEN '{}'::int[] ELSE
         ARRAY(SELECT (SELECT count(*) FROM unnest(g.buckets) AS b WHERE b = k)::int
               FROM generate_series(0, ${LATENCY_BUCKET_COUNT - 1}) AS k ORDER BY k) END
     FROM (SELECT s.app_id, s.endpoint_id, s.hour, sum(s.created)::int AS created, sum(s.succeeded)::int AS succeeded,
                  sum(s.failed)::int AS failed, ${columns.filtered ? "sum(s.filtered)::int" : "0"} AS filtered, sum(s.attempt)::int AS attempts, sum(s.attempt_failed)::int AS attempts_failed,
                  COALESCE(sum(s.duration_ms) FILTER (WHERE s.attempt = 1), 0)::bigint AS latency_ms,
                  COALESCE(max(s.duration_ms) FILTER (WHERE s.attempt = 1), 0)::int AS latency_max_ms,
                  array_agg(s.bucket) FILTER (WHERE s.attempt = 1) AS buckets
           FROM ${source} AS s GROUP BY s.app_id, s.endpoint_id, s.hour) AS g
     ORDER BY g.endpoint_id, g.hour
     ON CONFLICT ${ROLLUP_KEY} DO UPDATE SET
       created = delivery_rollups_hourly.created + EXCLUDED.created,
       succeeded = delivery_rollups_hourly.succeeded + EXCLUDED.succeeded,
       failed = delivery_rollups_hourly.failed + EXCLUDED.failed,
       filtered = delivery_rollups_hourly.filtered + EXCLUDED.filtered,
       attempts = delivery_rollups_hourly.attempts + EXCLUDED.attempts,
       attempts_failed = delivery_rollups_hourly.attempts_failed + EXCLUDED.attempts_failed,
       latency_sum_ms = delivery_rollups_hourly.latency_sum_ms + EXCLUDED.latency_sum_ms,
       latency_max_ms = GREATEST(delivery_rollups_hourly.latency_max_ms, EXCLUDED.latency_max_ms),
       -- element-wise sum; the shorter array counts as zeros
       latency_histogram = ARRAY(
         SELECT COALESCE(a, 0) + COALESCE(b, 0)
         FROM unnest(delivery_rollups_hourly.latency_histogram, EXCLUDED.latency_histogram) WITH ORDINALITY AS h(a, b, i)
         ORDER BY i)`;
}

/** A rollup source row for a change of a delivery's state (no attempt). */
export const NO_ATTEMPT_COLUMNS =
  "0 AS attempt, 0 AS attempt_failed, 0 AS duration_ms, NULL::int AS bucket";
