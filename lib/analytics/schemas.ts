import { z } from "zod";
import { checkDateOrder, dateTimeParam } from "@/lib/delivery-log/date-range";

/**
 * Stats, analytics and timeseries shapes: the single source for validation, TS types, the
 * OpenAPI document and the SDK.
 *
 * The counting rule (the same in all three): `total_deliveries` counts deliveries created in the
 * period, each once, by its current state: `successful`, `failed` (cancelled included) or
 * `pending` (not final yet), so `successful + failed + pending = total_deliveries` always; a
 * replay moves a delivery between them, never counts it twice. Attempts and latency count every
 * attempt made in the period. Rates are percentages (0-100, two decimals), null with nothing
 * to rate. `filtered` counts events that matched an endpoint's subscriptions but not its payload
 * filter: they made no delivery, so they are not in `total_deliveries`. Latency percentiles are the upper bound of the histogram bucket holding them
 * (bounds: 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000 ms).
 */

export const ANALYTICS_FIELDS = [
  "total_deliveries",
  "successful",
  "failed",
  "pending",
  "filtered",
  "success_rate",
  "total_attempts",
  "failed_attempts",
  "avg_latency_ms",
  "p50_latency_ms",
  "p95_latency_ms",
  "p99_latency_ms",
] as const;
export type AnalyticsField = (typeof ANALYTICS_FIELDS)[number];

const fieldsParam = z
  .union([z.string(), z.array(z.string())])
  .transform((value, ctx): AnalyticsField[] => {
    const names = (Array.isArray(value) ? value : [value])
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
    if (names.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: `must name at least one of ${ANALYTICS_FIELDS.join(", ")}`,
      });
      return z.NEVER;
    }
    const unknown = names.filter((n) => !(ANALYTICS_FIELDS as readonly string[]).includes(n));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `${unknown.map((n) => `"${n}"`).join(", ")} ${unknown.length === 1 ? "is not a known field" : "are not known fields"} (known: ${ANALYTICS_FIELDS.join(", ")})`,
      });
      return z.NEVER;
    }
    return [...new Set(names)] as AnalyticsField[];
  })
  .describe(`Comma-separated fields to return (default all): ${ANALYTICS_FIELDS.join(", ")}.`);

const endpointIdParam = z.string().min(1, "must not be empty").max(100, "is too long");

export const analyticsQuery = z
  .strictObject({
    start_date: dateTimeParam
      .optional()
      .describe("Start of the period (RFC 3339). Default: 7 days before end_date."),
    end_date: dateTimeParam.optional().describe("End of the period (RFC 3339). Default: now."),
    endpoint_id: endpointIdParam.optional().describe("Only this endpoint."),
    fields: fieldsParam.optional(),
  })
  .superRefine(checkDateOrder);
export type AnalyticsQuery = z.output<typeof analyticsQuery>;

/** Only the asked fields are present. */
export const analyticsResponse = z.object({
  total_deliveries: z.number().int().optional(),
  successful: z.number().int().optional(),
  failed: z.number().int().optional(),
  pending: z.number().int().optional(),
  filtered: z.number().int().optional(),
  success_rate: z.number().nullable().optional(),
  total_attempts: z.number().int().optional(),
  failed_attempts: z.number().int().optional(),
  avg_latency_ms: z.number().nullable().optional(),
  p50_latency_ms: z.number().nullable().optional(),
  p95_latency_ms: z.number().nullable().optional(),
  p99_latency_ms: z.number().nullable().optional(),
});
export type AnalyticsResponse = z.infer<typeof analyticsResponse>;

export const TIMESERIES_INTERVALS = ["minute", "hour", "day", "week"] as const;
export type TimeseriesInterval = (typeof TIMESERIES_INTERVALS)[number];

export const timeseriesQuery = z
  .strictObject({
    interval: z
      .enum(TIMESERIES_INTERVALS, { message: `must be one of ${TIMESERIES_INTERVALS.join(", ")}` })
      .default("hour")
      .describe("Bucket size (default hour). `minute` is limited to windows of 24 hours."),
    start_date: dateTimeParam
      .optional()
      .describe(
        "Start (RFC 3339). Default: end_date minus 1 hour (minute), 24 hours (hour), 30 days (day) or 12 weeks (week).",
      ),
    end_date: dateTimeParam.optional().describe("End (RFC 3339). Default: now."),
    endpoint_id: endpointIdParam.optional().describe("Only this endpoint."),
  })
  .superRefine(checkDateOrder);
export type TimeseriesQuery = z.output<typeof timeseriesQuery>;

export const timeseriesPoint = z.object({
  /** Start of the bucket (UTC; weeks start on Monday). */
  timestamp: z.string(),
  total_deliveries: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  /** Events kept from the endpoints by their payload filters; null in minute buckets (counted per hour only). */
  filtered: z.number().int().nullable(),
  success_rate: z.number().nullable(),
  total_attempts: z.number().int(),
  failed_attempts: z.number().int(),
  avg_latency_ms: z.number().nullable(),
  p95_latency_ms: z.number().nullable(),
});
export type TimeseriesPoint = z.infer<typeof timeseriesPoint>;

export const timeseriesResponse = z.object({
  interval: z.enum(TIMESERIES_INTERVALS),
  /** The first and last bucket starts: every bucket in between is present, zeros included. */
  start_date: z.string(),
  end_date: z.string(),
  endpoint_id: z.string().nullable(),
  timeseries: z.array(timeseriesPoint),
});
export type TimeseriesResponse = z.infer<typeof timeseriesResponse>;

export const statsQuery = z.strictObject({});

const outcomeCounts = z.object({
  total_deliveries: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
  pending: z.number().int(),
  /** Events kept from the endpoints by their payload filters (no delivery made). */
  filtered: z.number().int(),
  success_rate: z.number().nullable(),
});

export const statsResponse = z.object({
  total_deliveries: z.number().int(),
  /** Deliveries by their current status. */
  by_status: z.object({
    pending: z.number().int(),
    retrying: z.number().int(),
    success: z.number().int(),
    failed: z.number().int(),
    cancelled: z.number().int(),
  }),
  /** success / (success + failed), by current status. */
  success_rate: z.number().nullable(),
  /** Active: no failures since the last success. Failing: active but in a run of failures. Disabled: by hand or automatically. */
  endpoints: z.object({
    total: z.number().int(),
    active: z.number().int(),
    failing: z.number().int(),
    disabled: z.number().int(),
  }),
  /** Deliveries created in the last 24 hours. */
  deliveries_last_24h: z.number().int(),
  /** The last 24 hours (whole hours: the current one and the 24 before it). */
  last_24h: outcomeCounts,
});
export type StatsResponse = z.infer<typeof statsResponse>;
