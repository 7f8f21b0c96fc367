/**
 * The SDK's public types, derived from the zod schemas the routes validate with (requests:
 * `z.input`, what a caller may send; responses: `z.output`, what the server answers), so the
 * SDK cannot drift from the API. Type-only imports: nothing here reaches the SDK's runtime, and
 * `npm run build:sdk` prints every alias below as a plain structural type, so the published
 * package needs neither zod nor these modules.
 */
import type { z } from "zod";
import type * as apps from "@/lib/apps/schemas";
import type * as skip from "@/lib/delivery-log/skip-schemas";
import type * as endpoints from "@/lib/endpoints/schemas";
import type * as eventTypes from "@/lib/event-types/schemas";
import type * as events from "@/lib/events/schemas";
import type * as filters from "@/lib/filters/test-filter-schemas";
import type { listQuery } from "@/lib/openapi/shared-schemas";
import type { ERROR_CODES } from "@/lib/http/error-codes";
import type * as sessions from "@/lib/sessions/schemas";

/** A page of a list: newest first; pass `next_cursor` as `cursor` for the next page. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

export type ListOptions = Partial<z.output<typeof listQuery>>;
/** Every code the API answers with (lib/http/error-codes.ts). */
export type ApiErrorCode = keyof typeof ERROR_CODES;
/** `HooklineError.code`: the API's codes and the client's own. */
export type HooklineErrorCode = ApiErrorCode | "missing_api_key" | "network_error" | "http_error";
export type ApiErrorBody = {
  error: {
    code: ApiErrorCode;
    message: string;
    details?: unknown;
    request_id?: string;
  };
};

// Apps
export type CreateWebhookAppRequest = z.input<typeof apps.createAppRequest>;
export type UpdateWebhookAppRequest = z.input<typeof apps.updateAppRequest>;
export type WebhookApp = z.output<typeof apps.appResponse>;
export type RotateWebhookSecretResponse = z.output<typeof apps.rotateAppSecretsResponse>;
export type RevokeWebhookPortalSessionsResponse = z.output<typeof sessions.revokeSessionsResponse>;

// Payload filters (docs/filters.md). A recursive type does not flatten, so these are written out
// here and the schema-derived types below take their `filter` from them; lib/sdk/types.test.ts
// fails type-checking if they drift from lib/filters.
export type FilterValue = string | number | boolean | null;
/** One comparison of the value at `field`: exactly one operator. */
export interface FilterCondition {
  field: string;
  eq?: FilterValue;
  ne?: FilterValue;
  in?: FilterValue[];
  not_in?: FilterValue[];
  exists?: boolean;
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  starts_with?: string;
}
export type PayloadFilter =
  FilterCondition | { and: PayloadFilter[] } | { or: PayloadFilter[] } | { not: PayloadFilter };
/** What the API takes: the JSON form or the text form (`amount > 0 and region = "eu"`). */
export type PayloadFilterInput = PayloadFilter | string;
type WithFilter<T, F> = { [K in keyof T]: K extends "filter" ? F : T[K] };

// Endpoints
export type CreateWebhookEndpointRequest = WithFilter<
  z.input<typeof endpoints.createEndpointRequest>,
  PayloadFilterInput | null | undefined
>;
export type UpdateWebhookEndpointRequest = WithFilter<
  z.input<typeof endpoints.updateEndpointRequest>,
  PayloadFilterInput | null | undefined
>;
export type WebhookEndpoint = WithFilter<
  z.output<typeof endpoints.endpointResponse>,
  PayloadFilter | null
>;
export type CreatedWebhookEndpoint = WithFilter<
  z.output<typeof endpoints.createdEndpointResponse>,
  PayloadFilter | null
>;
export type RotateSecretOptions = z.input<typeof endpoints.rotateSecretRequest>;
export type RotateEndpointSecretOptions = z.input<typeof endpoints.rotateEndpointSecretRequest>;
export type RotateEndpointSecretResponse = z.output<typeof endpoints.rotateSecretResponse>;
export type WebhookEndpointSecret = z.output<typeof endpoints.endpointSecretResponse>;
export type WebhookEndpointOrdering = z.output<typeof endpoints.endpointOrdering>;
export type FifoBlocker = z.output<typeof endpoints.fifoBlocker>;
export type SkipWebhookDeliveryResponse = z.output<typeof skip.skipDeliveryResponse>;
export type TestWebhookEndpointRequest = z.input<typeof endpoints.testEndpointRequest>;
export type TestWebhookEndpointResponse = z.output<typeof endpoints.testEndpointResponse>;

// Testing a filter
export type TestWebhookFilterRequest = WithFilter<
  z.input<typeof filters.testFilterRequest>,
  PayloadFilterInput
>;
export type TestWebhookFilterResponse = WithFilter<
  z.output<typeof filters.testFilterResponse>,
  PayloadFilter
>;

// Event catalog
export type CreateEventTypeRequest = z.input<typeof eventTypes.createEventTypeRequest>;
export type UpdateEventTypeRequest = z.input<typeof eventTypes.updateEventTypeRequest>;
export type EventType = z.output<typeof eventTypes.eventTypeResponse>;
export type ListEventTypesOptions = Partial<z.output<typeof eventTypes.listEventTypesQuery>>;

// Events
export type TriggerWebhookRequest = z.input<typeof events.triggerEventRequest>;
export type TriggerWebhookResponse = z.output<typeof events.triggerEventResponse>;
export interface TriggerWebhookOptions {
  /** Sent as the `Idempotency-Key` header: a repeat within 24 h returns the first event. */
  idempotencyKey?: string;
}

// Deliveries, replay and analytics. Their schemas (lib/delivery-log, lib/replays, lib/analytics)
// share a module that reaches the database client, which the SDK build refuses to follow, so
// these are written out here; lib/sdk/types.test.ts fails type-checking if they drift.
export type DeliveryStatus = "pending" | "retrying" | "success" | "failed" | "cancelled";
export type ListWebhookDeliveriesOptions = {
  status?: DeliveryStatus;
  event_name?: string;
  endpoint_id?: string;
  /** RFC 3339 (or a bare date). */
  start_date?: string;
  end_date?: string;
  /** `503` or a class like `5xx`. */
  http_status?: string;
  /** Only the deliveries of this event (`msg_...`). */
  event_id?: string;
  /** Only the deliveries of the event holding this idempotency key (or the `event_id` sent with the trigger). */
  idempotency_key?: string;
  /** A condition on the event's payload, in the filter language's text form: `customer.id = "cus_123"`. */
  payload?: string;
  limit?: number;
  cursor?: string;
  offset?: number;
};
export type WebhookDelivery = {
  id: string;
  app_id: string;
  event_id: string;
  event_name: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
};
export type WebhookDeliveryAttempt = {
  id: string;
  attempt_number: number;
  trigger: "auto" | "manual" | "replay" | "test";
  request_url: string;
  request_headers: Record<string, string>;
  response_status: number | null;
  response_headers: Record<string, unknown> | null;
  response_body: string | null;
  response_body_truncated: boolean;
  response_body_expired: boolean;
  duration_ms: number;
  error: string | null;
  created_at: string;
};
export type WebhookDeliveryDetail = WebhookDelivery & {
  payload: unknown;
  payload_expired: boolean;
  payload_expired_at: string | null;
  event_created_at: string;
  endpoint: {
    id: string;
    url: string;
    description: string | null;
    is_active: boolean;
    disabled_reason: string | null;
    deleted: boolean;
  };
  attempts: WebhookDeliveryAttempt[];
  /** A waiting delivery of a FIFO endpoint: the delivery ahead of it (null id: earlier events still fanning out); else null. */
  blocked_by: { delivery_id: string | null } | null;
};
export type ReplayWebhookDeliveryResponse = {
  delivery_id: string;
  webhook_id: string;
  status: DeliveryStatus;
  trigger: "manual";
  next_attempt_at: string | null;
  attempt_count: number;
};
export type ReplayWebhookDeliveriesRequest = {
  delivery_ids?: string[];
  start_date?: string;
  end_date?: string;
  event_names?: string[];
  endpoint_id?: string;
  status?: "failed" | "failed_or_retrying" | "all";
  /** Only count what would be replayed. */
  dry_run?: boolean;
};
export type ReplayTaskStatus = "queued" | "running" | "completed" | "cancelled" | "failed";
export type ReplayTask = {
  id: string;
  task_id: string;
  app_id: string;
  status: ReplayTaskStatus;
  filter: {
    delivery_ids: string[] | null;
    delivery_id_count: number | null;
    start_date: string | null;
    end_date: string | null;
    event_names: string[] | null;
    endpoint_id: string | null;
    status: "failed" | "failed_or_retrying" | "all";
  };
  total: number;
  processed: number;
  replayed: number;
  failed: number;
  /** Which deliveries could not be replayed and why (the first 100; `failed` counts them all). */
  skipped: {
    delivery_id: string;
    reason: "endpoint_inactive" | "in_flight" | "payload_expired" | "not_found";
    message: string;
  }[];
  progress: number;
  requested_by: string;
  error: string | null;
  cancel_requested_at: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
};
export type ReplayDryRun = { count: number };
export type ListReplayTasksOptions = { status?: ReplayTaskStatus; limit?: number; cursor?: string };
export type AnalyticsField =
  | "total_deliveries"
  | "successful"
  | "failed"
  | "pending"
  | "filtered"
  | "success_rate"
  | "total_attempts"
  | "failed_attempts"
  | "avg_latency_ms"
  | "p50_latency_ms"
  | "p95_latency_ms"
  | "p99_latency_ms";
export type AnalyticsOptions = {
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
  /** Sent comma-separated. */
  fields?: AnalyticsField[] | string;
};
export type WebhookAnalytics = {
  total_deliveries?: number;
  successful?: number;
  failed?: number;
  /** Not final yet: successful + failed + pending = total_deliveries. */
  pending?: number;
  /** Events kept from the endpoints by their payload filters (no delivery made). */
  filtered?: number;
  success_rate?: number | null;
  total_attempts?: number;
  failed_attempts?: number;
  avg_latency_ms?: number | null;
  p50_latency_ms?: number | null;
  p95_latency_ms?: number | null;
  p99_latency_ms?: number | null;
};
export type TimeseriesInterval = "minute" | "hour" | "day" | "week";
export type TimeseriesOptions = {
  interval?: TimeseriesInterval;
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
};
export type WebhookTimeseries = {
  interval: TimeseriesInterval;
  start_date: string;
  end_date: string;
  endpoint_id: string | null;
  timeseries: {
    timestamp: string;
    total_deliveries: number;
    successful: number;
    failed: number;
    pending: number;
    /** Null in minute buckets (filtered events are counted per hour). */
    filtered: number | null;
    success_rate: number | null;
    total_attempts: number;
    failed_attempts: number;
    avg_latency_ms: number | null;
    p95_latency_ms: number | null;
  }[];
};
export type WebhookStats = {
  total_deliveries: number;
  by_status: {
    pending: number;
    retrying: number;
    success: number;
    failed: number;
    cancelled: number;
  };
  success_rate: number | null;
  endpoints: { total: number; active: number; failing: number; disabled: number };
  deliveries_last_24h: number;
  last_24h: {
    total_deliveries: number;
    successful: number;
    failed: number;
    pending: number;
    filtered: number;
    success_rate: number | null;
  };
};
