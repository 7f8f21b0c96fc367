import { z } from "zod";
import { checkDateOrder, dateTimeParam } from "@/lib/delivery-log/date-range";
import { deliveryStatusParam } from "@/lib/delivery-log/schemas";
import { cursorParam, limitParam } from "@/lib/http/pagination";

/**
 * Replay shapes: the single source for validation, TS types, the OpenAPI document and the SDK.
 * Limits that depend on the server's configuration (range width, match count) are checked in
 * `createReplayTask`, which answers 422 with the numbers.
 */

/** Hard cap on `delivery_ids`; HOOKLINE_REPLAY_MAX_DELIVERIES may lower it. */
export const MAX_DELIVERY_IDS = 100_000;

export const REPLAY_TASK_STATUSES = [
  "queued",
  "running",
  "completed",
  "cancelled",
  "failed",
] as const;
export type ReplayTaskStatus = (typeof REPLAY_TASK_STATUSES)[number];

/** Which deliveries of a date range a replay takes, by status. */
export const REPLAY_STATUS_FILTERS = ["failed", "failed_or_retrying", "all"] as const;
export type ReplayStatusFilter = (typeof REPLAY_STATUS_FILTERS)[number];

export const replayDeliveriesRequest = z
  .strictObject({
    delivery_ids: z
      .array(z.string().min(1, "must not be empty").max(100, "is too long"))
      .min(1, "must name at least one delivery")
      .max(MAX_DELIVERY_IDS, `at most ${MAX_DELIVERY_IDS} ids`)
      .optional()
      .describe("Replay exactly these deliveries (instead of a date range)."),
    start_date: dateTimeParam
      .optional()
      .describe("Deliveries created at or after this instant (with `end_date`)."),
    end_date: dateTimeParam
      .optional()
      .describe("Deliveries created at or before this instant (with `start_date`)."),
    event_names: z
      .array(z.string().min(1, "must not be empty").max(200, "is too long"))
      .min(1, "must name at least one event")
      .max(100, "at most 100 event names")
      .optional()
      .describe("Only these event names."),
    endpoint_id: z
      .string()
      .min(1, "must not be empty")
      .max(100, "is too long")
      .optional()
      .describe("Only deliveries to this endpoint."),
    status: z
      .enum(REPLAY_STATUS_FILTERS, {
        message: `must be one of ${REPLAY_STATUS_FILTERS.join(", ")}`,
      })
      .optional()
      .describe(
        "`failed` (default for a date range): deliveries that ran out of retries; `failed_or_retrying`: those too and the ones still retrying after a failed attempt (brought forward to now); `all` (default with `delivery_ids`): any status.",
      ),
    dry_run: z
      .boolean()
      .optional()
      .describe("Only count what would be replayed: answers `{ count }` and creates nothing."),
  })
  .superRefine((v, ctx) => {
    const hasRange = v.start_date !== undefined || v.end_date !== undefined;
    if (v.delivery_ids && hasRange) {
      ctx.addIssue({
        code: "custom",
        path: ["delivery_ids"],
        message: "send delivery_ids or start_date and end_date, not both",
      });
      return;
    }
    if (!v.delivery_ids && !hasRange) {
      ctx.addIssue({
        code: "custom",
        path: ["delivery_ids"],
        message: "send delivery_ids, or start_date and end_date",
      });
      return;
    }
    if (hasRange) {
      if (!v.start_date)
        ctx.addIssue({
          code: "custom",
          path: ["start_date"],
          message: "is required with end_date",
        });
      if (!v.end_date)
        ctx.addIssue({
          code: "custom",
          path: ["end_date"],
          message: "is required with start_date",
        });
      checkDateOrder(v, ctx);
    }
  });
export type ReplayDeliveriesRequest = z.output<typeof replayDeliveriesRequest>;

/** What a task stores as its filter (JSON in replay_tasks.filter). */
export interface StoredReplayFilter {
  delivery_ids?: string[];
  start_date?: string;
  end_date?: string;
  event_names?: string[];
  endpoint_id?: string;
  status: ReplayStatusFilter;
}

export const replayFilterResponse = z.object({
  /** At most the first 100; `delivery_id_count` says how many there are. */
  delivery_ids: z.array(z.string()).nullable(),
  delivery_id_count: z.number().int().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  event_names: z.array(z.string()).nullable(),
  endpoint_id: z.string().nullable(),
  status: z.enum(REPLAY_STATUS_FILTERS),
});

export const REPLAY_SKIP_REASONS = [
  "endpoint_inactive",
  "in_flight",
  "payload_expired",
  "not_found",
] as const;
export type ReplaySkipReason = (typeof REPLAY_SKIP_REASONS)[number];
export const replaySkip = z.object({
  delivery_id: z.string(),
  reason: z.enum(REPLAY_SKIP_REASONS),
  /** What happened and what to do, in words. */
  message: z.string(),
});
export type ReplaySkip = z.infer<typeof replaySkip>;

export const replayTaskResponse = z.object({
  id: z.string(),
  /** Same as `id` (seed 001 reads `task_id`). */
  task_id: z.string(),
  app_id: z.string(),
  status: z.enum(REPLAY_TASK_STATUSES),
  filter: replayFilterResponse,
  /** Deliveries that matched when the task was created. */
  total: z.number().int(),
  /** Deliveries worked through so far (replayed + failed). */
  processed: z.number().int(),
  /** Rescheduled: each gets a new attempt with the same webhook-id. */
  replayed: z.number().int(),
  /** Could not be replayed: endpoint disabled or deleted, attempt in flight, payload expired. */
  failed: z.number().int(),
  /** Which deliveries could not be replayed and why (the first 100; `failed` counts them all). */
  skipped: z.array(replaySkip),
  /** processed / total, 0-100. */
  progress: z.number(),
  requested_by: z.string(),
  error: z.string().nullable(),
  cancel_requested_at: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  updated_at: z.string(),
});
export type ReplayTaskResponse = z.infer<typeof replayTaskResponse>;

export const replayDryRunResponse = z.object({ count: z.number().int() });
export type ReplayDryRunResponse = z.infer<typeof replayDryRunResponse>;

export const listReplayTasksQuery = z.strictObject({
  status: z
    .enum(REPLAY_TASK_STATUSES, { message: `must be one of ${REPLAY_TASK_STATUSES.join(", ")}` })
    .optional(),
  limit: limitParam,
  cursor: cursorParam,
});
export type ListReplayTasksQuery = z.output<typeof listReplayTasksQuery>;

/** `POST /deliveries/{id}/replay`: takes no body (an empty object is accepted). */
export const replayDeliveryRequest = z.strictObject({});

/** `POST /replays/{id}/cancel`: takes no body (an empty object is accepted). */
export const cancelReplayTaskRequest = z.strictObject({});

export const replayDeliveryResponse = z.object({
  delivery_id: z.string(),
  /** The `webhook-id` the new attempt carries: the delivery's id, unchanged. */
  webhook_id: z.string(),
  status: deliveryStatusParam,
  /** Recorded on the new attempt. */
  trigger: z.literal("manual"),
  next_attempt_at: z.string().nullable(),
  attempt_count: z.number().int(),
});
export type ReplayDeliveryResponse = z.infer<typeof replayDeliveryResponse>;
