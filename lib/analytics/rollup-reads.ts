/**
 * Reads of delivery_rollups_hourly (kept by the state machine, lib/analytics/rollups.ts), summed
 * per bucket, and the raw-row equivalent for minute buckets over short windows.
 */
import { attemptsMadeSql } from "@/lib/delivery-log/attempt-log";
import { getDb } from "@/lib/db/client";
import {
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  percentileFromHistogram,
} from "@/lib/analytics/rollups";

export type BucketUnit = "minute" | "hour" | "day" | "week";

export interface Aggregate {
  created: number;
  succeeded: number;
  failed: number;
  /** Events a payload filter kept from an endpoint (no delivery); hourly rollups only. */
  filtered: number;
  attempts: number;
  attemptsFailed: number;
  latencySumMs: number;
  latencyMaxMs: number;
  histogram: number[];
}

export function emptyAggregate(): Aggregate {
  return {
    created: 0,
    succeeded: 0,
    failed: 0,
    filtered: 0,
    attempts: 0,
    attemptsFailed: 0,
    latencySumMs: 0,
    latencyMaxMs: 0,
    histogram: new Array<number>(LATENCY_BUCKET_COUNT).fill(0),
  };
}

const UNIT_MS: Record<Exclude<BucketUnit, "week">, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};
const WEEK_MS = 7 * 86_400_000;

/** Start of the UTC bucket holding `at` (weeks start on Monday, like Postgres' date_trunc). */
export function bucketStart(at: Date, unit: BucketUnit): Date {
  const t = at.getTime();
  if (unit !== "week") return new Date(Math.floor(t / UNIT_MS[unit]) * UNIT_MS[unit]);
  const day = Math.floor(t / UNIT_MS.day) * UNIT_MS.day;
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day - weekday * UNIT_MS.day);
}

export function nextBucket(start: Date, unit: BucketUnit): Date {
  return new Date(start.getTime() + (unit === "week" ? WEEK_MS : UNIT_MS[unit]));
}

/** Bucket starts from the one holding `from` to the one holding `to`, both included. */
export function bucketStarts(from: Date, to: Date, unit: BucketUnit): Date[] {
  const out: Date[] = [];
  const last = bucketStart(to, unit).getTime();
  for (let b = bucketStart(from, unit); b.getTime() <= last; b = nextBucket(b, unit)) out.push(b);
  return out;
}

export function bucketCount(from: Date, to: Date, unit: BucketUnit): number {
  const first = bucketStart(from, unit).getTime();
  const last = bucketStart(to, unit).getTime();
  return Math.floor((last - first) / (unit === "week" ? WEEK_MS : UNIT_MS[unit])) + 1;
}

interface RollupScope {
  appId: string;
  endpointId?: string;
  /** Hours from the one holding `from`... */
  from: Date;
  /** ...to the one holding `to`, both included. */
  to: Date;
}

function rollupWhere(scope: RollupScope): { sql: string; params: unknown[] } {
  const params: unknown[] = [
    scope.appId,
    bucketStart(scope.from, "hour"),
    nextBucket(bucketStart(scope.to, "hour"), "hour"),
  ];
  let sql = "r.app_id = $1 AND r.hour >= $2 AND r.hour < $3";
  if (scope.endpointId) {
    params.push(scope.endpointId);
    sql += " AND r.endpoint_id = $4";
  }
  return { sql, params };
}

/** `sum(latency_histogram[1]) AS h0, ...`: element-wise sums in the same pass (no unnest). */
const HISTOGRAM_SUMS = Array.from(
  { length: LATENCY_BUCKET_COUNT },
  (_, i) => `sum(r.latency_histogram[${i + 1}]) AS h${i}`,
).join(", ");

type RollupRow = {
  b: Date;
  created: string;
  succeeded: string;
  failed: string;
  filtered: string;
  attempts: string;
  attempts_failed: string;
  latency: string;
  latency_max: number;
} & Record<`h${number}`, string | null>;

/**
 * Hourly rollups summed per bucket (`unit` hour, day or week; null for one total, keyed 0), in
 * one pass over at most (hours × endpoints) rows; never the attempts.
 */
export async function readRollups(
  scope: RollupScope,
  unit: Exclude<BucketUnit, "minute"> | null,
): Promise<Map<number, Aggregate>> {
  const { sql, params } = rollupWhere(scope);
  // Rollup hours are already whole UTC hours.
  const bucket =
    unit === null
      ? `'epoch'::timestamptz`
      : unit === "hour"
        ? "r.hour"
        : `date_trunc('${unit}', r.hour, 'UTC')`;
  const { rows } = await getDb().pool.query<RollupRow>(
    `SELECT ${bucket} AS b, sum(r.created) AS created, sum(r.succeeded) AS succeeded, sum(r.failed) AS failed, sum(r.filtered) AS filtered,
            sum(r.attempts) AS attempts, sum(r.attempts_failed) AS attempts_failed, sum(r.latency_sum_ms) AS latency, max(r.latency_max_ms) AS latency_max, ${HISTOGRAM_SUMS}
     FROM delivery_rollups_hourly r WHERE ${sql} GROUP BY 1`,
    params,
  );
  const out = new Map<number, Aggregate>();
  for (const r of rows) {
    const agg = emptyAggregate();
    agg.created = Number(r.created);
    agg.succeeded = Number(r.succeeded);
    agg.failed = Number(r.failed);
    agg.filtered = Number(r.filtered);
    agg.attempts = Number(r.attempts);
    agg.attemptsFailed = Number(r.attempts_failed);
    agg.latencySumMs = Number(r.latency);
    agg.latencyMaxMs = Number(r.latency_max ?? 0);
    for (let i = 0; i < LATENCY_BUCKET_COUNT; i++) agg.histogram[i] = Number(r[`h${i}`] ?? 0);
    out.set(unit ? r.b.getTime() : 0, agg);
  }
  return out;
}

/**
 * Minute buckets from the raw rows, for short windows (the caller caps them), by the same rule
 * as the rollups: deliveries in the minute they were created, by current state; attempts in the
 * minute they were made. A filtered event leaves no row, so `filtered` is not counted here.
 */
export async function readMinuteBuckets(scope: RollupScope): Promise<Map<number, Aggregate>> {
  const { pool } = getDb();
  const from = bucketStart(scope.from, "minute");
  const to = nextBucket(bucketStart(scope.to, "minute"), "minute");
  const params: unknown[] = [scope.appId, from, to];
  const endpointFilter = (alias: string) =>
    scope.endpointId ? ` AND ${alias}.endpoint_id = $4` : "";
  if (scope.endpointId) params.push(scope.endpointId);
  // width_bucket over bound+1 puts a latency equal to a bound in that bound's bucket, as the rollups do.
  const thresholds = `ARRAY[${LATENCY_BUCKET_BOUNDS_MS.map((b) => b + 1).join(",")}]::int[]`;
  const [created, attempts] = await Promise.all([
    pool.query<{ b: Date; n: string; succeeded: string; failed: string }>(
      `SELECT date_trunc('minute', d.created_at, 'UTC') AS b, count(*) AS n,
              count(*) FILTER (WHERE d.status = 'success') AS succeeded, count(*) FILTER (WHERE d.status IN ('failed', 'cancelled')) AS failed
       FROM deliveries d WHERE d.app_id = $1 AND d.created_at >= $2 AND d.created_at < $3${endpointFilter("d")} GROUP BY 1`,
      params,
    ),
    pool.query<{
      b: Date;
      bucket: number;
      attempts: string;
      attempts_failed: string;
      latency: string;
      latency_max: number;
    }>(
      `SELECT date_trunc('minute', a.created_at, 'UTC') AS b, width_bucket(a.duration_ms, ${thresholds}) AS bucket,
              count(*) AS attempts, count(*) FILTER (WHERE a.error IS NOT NULL) AS attempts_failed, sum(a.duration_ms) AS latency,
              max(a.duration_ms) AS latency_max
       FROM all_attempts a
       WHERE a.app_id = $1 AND ${[...attemptsMadeSql("a", ">=", "$2::timestamptz"), ...attemptsMadeSql("a", "<", "$3::timestamptz")].join(" AND ")}${endpointFilter("a")}
       GROUP BY 1, 2`,
      params,
    ),
  ]);
  const out = new Map<number, Aggregate>();
  const at = (b: Date) => {
    let agg = out.get(b.getTime());
    if (!agg) out.set(b.getTime(), (agg = emptyAggregate()));
    return agg;
  };
  for (const r of created.rows) {
    const agg = at(r.b);
    agg.created += Number(r.n);
    agg.succeeded += Number(r.succeeded);
    agg.failed += Number(r.failed);
  }
  for (const r of attempts.rows) {
    const agg = at(r.b);
    agg.attempts += Number(r.attempts);
    agg.attemptsFailed += Number(r.attempts_failed);
    agg.latencySumMs += Number(r.latency);
    agg.latencyMaxMs = Math.max(agg.latencyMaxMs, Number(r.latency_max ?? 0));
    agg.histogram[Math.min(Number(r.bucket), LATENCY_BUCKET_COUNT - 1)]! += Number(r.attempts);
  }
  return out;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function successRate(succeeded: number, failed: number): number | null {
  const total = succeeded + failed;
  return total === 0 ? null : round2((succeeded / total) * 100);
}

export function averageLatency(agg: Aggregate): number | null {
  return agg.attempts === 0 ? null : round2(agg.latencySumMs / agg.attempts);
}

export function latencyPercentile(agg: Aggregate, quantile: number): number | null {
  return percentileFromHistogram(agg.histogram, quantile, agg.latencyMaxMs);
}
