/**
 * The SDK's public types, derived from the zod schemas the routes validate with (requests:
 * `z.input`, what a caller may send; responses: `z.output`, what the server answers), so the
 * SDK cannot drift from the API. Type-only imports: nothing here reaches the SDK's runtime, and
 * `npm run build:sdk` prints every alias below as a plain structural type, so the published
 * package needs neither zod nor these modules.
 */
import type { z } from "zod";
import type * as apps from "@/lib/apps/schemas";
import type * as endpoints from "@/lib/endpoints/schemas";
import type * as eventTypes from "@/lib/event-types/schemas";
import type * as events from "@/lib/events/schemas";
import type { listQuery } from "@/lib/openapi/shared-schemas";

/** A page of a list: newest first; pass `next_cursor` as `cursor` for the next page. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

export type ListOptions = Partial<z.output<typeof listQuery>>;
export type ApiErrorBody = { error: { code: string; message: string; details?: unknown; request_id?: string } };

// Apps
export type CreateWebhookAppRequest = z.input<typeof apps.createAppRequest>;
export type UpdateWebhookAppRequest = z.input<typeof apps.updateAppRequest>;
export type WebhookApp = z.output<typeof apps.appResponse>;
export type RotateWebhookSecretResponse = z.output<typeof apps.rotateAppSecretsResponse>;

// Endpoints
export type CreateWebhookEndpointRequest = z.input<typeof endpoints.createEndpointRequest>;
export type UpdateWebhookEndpointRequest = z.input<typeof endpoints.updateEndpointRequest>;
export type WebhookEndpoint = z.output<typeof endpoints.endpointResponse>;
export type CreatedWebhookEndpoint = z.output<typeof endpoints.createdEndpointResponse>;
export type RotateSecretOptions = z.input<typeof endpoints.rotateSecretRequest>;
export type RotateEndpointSecretResponse = z.output<typeof endpoints.rotateSecretResponse>;
export type WebhookEndpointSecret = z.output<typeof endpoints.endpointSecretResponse>;
export type TestWebhookEndpointRequest = z.input<typeof endpoints.testEndpointRequest>;
export type TestWebhookEndpointResponse = z.output<typeof endpoints.testEndpointResponse>;

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

// Deliveries, replay and analytics. Their routes belong to the delivery engine and the
// deliveries log; until their schemas exist these types follow seed 003's parameters.
// TODO(issue 4/5): derive from the deliveries/replay/analytics zod schemas.
export type DeliveryStatus = "pending" | "retrying" | "success" | "failed" | "cancelled";
export interface ListWebhookDeliveriesOptions {
  status?: DeliveryStatus;
  event_name?: string;
  endpoint_id?: string;
  limit?: number;
  cursor?: string;
  offset?: number;
}
export interface WebhookDelivery {
  id: string;
  status: DeliveryStatus;
  [field: string]: unknown;
}
export interface ReplayWebhookDeliveriesRequest {
  delivery_ids?: string[];
  start_date?: string;
  end_date?: string;
  event_names?: string[];
  endpoint_id?: string;
  status?: "failed" | "all";
}
export interface ReplayTask {
  [field: string]: unknown;
}
export interface AnalyticsOptions {
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
  /** Sent comma-separated. */
  fields?: string[] | string;
}
export interface TimeseriesOptions {
  start_date?: string;
  end_date?: string;
  interval?: "minute" | "hour" | "day" | "week";
  endpoint_id?: string;
}
export type WebhookStats = Record<string, unknown>;
export type WebhookAnalytics = Record<string, unknown>;
export type WebhookTimeseries = Record<string, unknown>;
