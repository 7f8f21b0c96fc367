import { z } from "zod";
import { checkDateOrder, dateTimeParam } from "@/lib/delivery-log/date-range";
import { deliverySearchParams } from "@/lib/delivery-log/search-params";
import { cursorParam, limitParam } from "@/lib/http/pagination";

/**
 * The delivery log's request and response shapes: the single source for validation, TS types,
 * the OpenAPI document and the SDK.
 */

export const DELIVERY_STATUSES = ["pending", "retrying", "success", "failed", "cancelled"] as const;
export const ATTEMPT_TRIGGERS = ["auto", "manual", "replay", "test"] as const;

/** Deep offsets make Postgres walk and discard every skipped row; past this, use the cursor. */
export const MAX_OFFSET = 100_000;

export const deliveryStatusParam = z.enum(DELIVERY_STATUSES, {
  message: `must be one of ${DELIVERY_STATUSES.join(", ")}`,
});

/** `404` exactly, or a class: `4xx`. */
export const httpStatusParam = z
  .string()
  .regex(
    /^([1-5][0-9][0-9]|[1-5]xx)$/,
    "must be an HTTP status code (e.g. 503) or a class (e.g. 5xx)",
  )
  .describe("The delivery's last HTTP status: a code like `503` or a class like `5xx`.");

export const listDeliveriesQuery = z
  .strictObject({
    status: deliveryStatusParam.optional().describe("Only deliveries in this status."),
    event_name: z
      .string()
      .min(1, "must not be empty")
      .max(200, "is too long")
      .optional()
      .describe("Only this event name (exact)."),
    endpoint_id: z
      .string()
      .min(1, "must not be empty")
      .max(100, "is too long")
      .optional()
      .describe("Only deliveries to this endpoint."),
    start_date: dateTimeParam.optional().describe("Created at or after this instant (RFC 3339)."),
    end_date: dateTimeParam.optional().describe("Created at or before this instant (RFC 3339)."),
    http_status: httpStatusParam.optional(),
    ...deliverySearchParams,
    limit: limitParam.describe("Page size (default 50, at most 250)."),
    cursor: cursorParam.describe(
      "`next_cursor` of the previous page (only valid with the same filters).",
    ),
    offset: z.coerce
      .number({ message: "must be a whole number" })
      .int("must be a whole number")
      .min(0, "must be at least 0")
      .max(MAX_OFFSET, `must be at most ${MAX_OFFSET} (use the cursor to go further)`)
      .default(0)
      .describe(
        "Rows to skip (after the cursor, if one is given). Pass a fixed `end_date` to keep offset pages stable while new deliveries arrive.",
      ),
  })
  .superRefine(checkDateOrder);
export type ListDeliveriesQuery = z.output<typeof listDeliveriesQuery>;

export const deliverySummary = z.object({
  id: z.string().describe("The delivery id; also the `webhook-id` header of every attempt."),
  app_id: z.string(),
  event_id: z.string(),
  event_name: z.string(),
  endpoint_id: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempt_count: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  last_attempt_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type DeliverySummary = z.infer<typeof deliverySummary>;

export const attemptResponse = z.object({
  id: z.string(),
  attempt_number: z.number().int(),
  trigger: z.enum(ATTEMPT_TRIGGERS),
  request_url: z.string(),
  /** Signatures appear as `v1,***`; secret-looking custom headers as `***`. */
  request_headers: z.record(z.string(), z.string()),
  response_status: z.number().int().nullable(),
  response_headers: z.record(z.string(), z.unknown()).nullable(),
  response_body: z.string().nullable(),
  response_body_truncated: z.boolean(),
  /** True when the retention period removed the response body. */
  response_body_expired: z.boolean(),
  duration_ms: z.number().int(),
  error: z.string().nullable(),
  created_at: z.string(),
});
export type AttemptResponse = z.infer<typeof attemptResponse>;

export const deliveryEndpointSummary = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  is_active: z.boolean(),
  disabled_reason: z.string().nullable(),
  deleted: z.boolean(),
});

export const deliveryDetail = deliverySummary.extend({
  /** The payload as triggered; null once expired (see `payload_expired`). */
  payload: z.unknown(),
  payload_expired: z.boolean(),
  payload_expired_at: z.string().nullable(),
  event_created_at: z.string(),
  endpoint: deliveryEndpointSummary,
  attempts: z.array(attemptResponse),
  /**
   * A waiting delivery of a FIFO endpoint held back by the one ahead of it (`delivery_id`; null
   * while earlier events are still being fanned out); null when nothing holds it back.
   */
  blocked_by: z.object({ delivery_id: z.string().nullable() }).nullable(),
});
export type DeliveryDetail = z.infer<typeof deliveryDetail>;
