import type { App } from "@/generated/prisma/client";
import {
  averageLatency,
  emptyAggregate,
  latencyPercentile,
  readRollups,
  successRate,
  type Aggregate,
} from "@/lib/analytics/rollup-reads";
import {
  ANALYTICS_FIELDS,
  type AnalyticsField,
  type AnalyticsResponse,
} from "@/lib/analytics/schemas";
import { checkEndpointFilter, DAY_MS } from "@/lib/delivery-log/date-range";
import { apiErrors } from "@/lib/http/errors";

/** Default period: the 7 days up to now. */
export const DEFAULT_ANALYTICS_DAYS = 7;
/** Longest period one request may sum (hours × endpoints rollup rows). */
export const MAX_ANALYTICS_DAYS = 400;

export interface AnalyticsInput {
  start_date?: Date;
  end_date?: Date;
  endpoint_id?: string;
  fields?: AnalyticsField[];
}

const compute: Record<AnalyticsField, (a: Aggregate) => number | null> = {
  total_deliveries: (a) => a.created,
  successful: (a) => a.succeeded,
  failed: (a) => a.failed,
  pending: (a) => a.created - a.succeeded - a.failed,
  filtered: (a) => a.filtered,
  success_rate: (a) => successRate(a.succeeded, a.failed),
  total_attempts: (a) => a.attempts,
  failed_attempts: (a) => a.attemptsFailed,
  avg_latency_ms: (a) => averageLatency(a),
  p50_latency_ms: (a) => latencyPercentile(a, 0.5),
  p95_latency_ms: (a) => latencyPercentile(a, 0.95),
  p99_latency_ms: (a) => latencyPercentile(a, 0.99),
};

/**
 * `GET /apps/{slug}/analytics`: totals over a period from the hourly rollups (hour resolution:
 * the hours holding start_date and end_date count whole). Only the asked `fields` come back.
 */
export async function getAnalytics(
  app: Pick<App, "id">,
  input: AnalyticsInput,
): Promise<AnalyticsResponse> {
  await checkEndpointFilter(app, input.endpoint_id);
  const to = input.end_date ?? new Date();
  const from = input.start_date ?? new Date(to.getTime() - DEFAULT_ANALYTICS_DAYS * DAY_MS);
  if (from.getTime() > to.getTime())
    throw apiErrors.invalidParameter([{ field: "start_date", message: "is after end_date" }]);
  if (to.getTime() - from.getTime() > MAX_ANALYTICS_DAYS * DAY_MS) {
    throw apiErrors.invalidParameter([
      { field: "start_date", message: `the period may span at most ${MAX_ANALYTICS_DAYS} days` },
    ]);
  }
  const sums = await readRollups({ appId: app.id, endpointId: input.endpoint_id, from, to }, null);
  const total = sums.get(0) ?? emptyAggregate();
  const out: Record<string, number | null> = {};
  for (const field of input.fields ?? ANALYTICS_FIELDS) out[field] = compute[field](total);
  return out as AnalyticsResponse;
}
