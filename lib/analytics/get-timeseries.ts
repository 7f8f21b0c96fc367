import type { App } from "@/generated/prisma/client";
import {
  averageLatency,
  bucketCount,
  bucketStart,
  bucketStarts,
  emptyAggregate,
  latencyPercentile,
  nextBucket,
  readMinuteBuckets,
  readRollups,
  successRate,
} from "@/lib/analytics/rollup-reads";
import type { TimeseriesInterval, TimeseriesResponse } from "@/lib/analytics/schemas";
import { checkEndpointFilter, DAY_MS, HOUR_MS } from "@/lib/delivery-log/date-range";
import { apiErrors } from "@/lib/http/errors";

/** Default span when start_date is not given, by interval. */
export const DEFAULT_TIMESERIES_SPAN_MS: Record<TimeseriesInterval, number> = {
  minute: HOUR_MS,
  hour: DAY_MS,
  day: 30 * DAY_MS,
  week: 12 * 7 * DAY_MS,
};
/** Minute buckets come from the raw rows, so their window is capped. */
export const MAX_MINUTE_WINDOW_MS = DAY_MS;
/** Most buckets one answer may hold (e.g. 125 days of hours). */
export const MAX_TIMESERIES_POINTS = 3_000;

export interface TimeseriesInput {
  interval: TimeseriesInterval;
  start_date?: Date;
  end_date?: Date;
  endpoint_id?: string;
}

/**
 * `GET /apps/{slug}/timeseries`: one point per bucket from the bucket holding start_date to the
 * one holding end_date, zeros included; each bucket counts whole. Hour, day and week buckets sum
 * the hourly rollups (date_trunc in UTC, weeks from Monday); minute buckets read the raw rows of
 * at most 24 hours.
 */
export async function getTimeseries(
  app: Pick<App, "id">,
  input: TimeseriesInput,
): Promise<TimeseriesResponse> {
  await checkEndpointFilter(app, input.endpoint_id);
  const to = input.end_date ?? new Date();
  const from =
    input.start_date ?? new Date(to.getTime() - DEFAULT_TIMESERIES_SPAN_MS[input.interval]);
  if (from.getTime() > to.getTime())
    throw apiErrors.invalidParameter([{ field: "start_date", message: "is after end_date" }]);
  if (input.interval === "minute" && to.getTime() - from.getTime() > MAX_MINUTE_WINDOW_MS) {
    throw apiErrors.invalidParameter([
      {
        field: "interval",
        message: "minute buckets cover at most 24 hours; narrow start_date/end_date or use hour",
      },
    ]);
  }
  const points = bucketCount(from, to, input.interval);
  if (points > MAX_TIMESERIES_POINTS) {
    throw apiErrors.invalidParameter([
      {
        field: "interval",
        message: `the period holds ${points} ${input.interval} buckets; at most ${MAX_TIMESERIES_POINTS} (use a larger interval)`,
      },
    ]);
  }
  const buckets = bucketStarts(from, to, input.interval);
  // Whole buckets: the first and last hold everything in them, not only what is inside the dates.
  const first = buckets[0]!;
  const end = new Date(nextBucket(buckets[buckets.length - 1]!, input.interval).getTime() - 1);
  const scope = { appId: app.id, endpointId: input.endpoint_id, from: first, to: end };
  const sums =
    input.interval === "minute"
      ? await readMinuteBuckets(scope)
      : await readRollups(scope, input.interval);
  return {
    interval: input.interval,
    start_date: bucketStart(from, input.interval).toISOString(),
    end_date: bucketStart(to, input.interval).toISOString(),
    endpoint_id: input.endpoint_id ?? null,
    timeseries: buckets.map((b) => {
      const a = sums.get(b.getTime()) ?? emptyAggregate();
      return {
        timestamp: b.toISOString(),
        total_deliveries: a.created,
        successful: a.succeeded,
        failed: a.failed,
        pending: a.created - a.succeeded - a.failed,
        // Minute buckets come from delivery rows, which a filtered event never has: unknown, not 0.
        filtered: input.interval === "minute" ? null : a.filtered,
        success_rate: successRate(a.succeeded, a.failed),
        total_attempts: a.attempts,
        failed_attempts: a.attemptsFailed,
        avg_latency_ms: averageLatency(a),
        p95_latency_ms: latencyPercentile(a, 0.95),
      };
    }),
  };
}
