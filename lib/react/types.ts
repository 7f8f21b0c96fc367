/**
 * Shapes the hooks take and return. They are the SDK's types (`@hookline/sdk`), which
 * lib/sdk/types.test.ts keeps equal to the server's response schemas (lib/endpoints,
 * lib/delivery-log, lib/replays, lib/analytics); the portal session's shape is written out here and
 * checked against lib/sessions/schemas.ts by lib/react/types.test.ts. So the hooks package needs
 * nothing of the server.
 */
import type {
  PayloadFilter,
  AnalyticsField,
  CreateWebhookEndpointRequest,
  DeliveryStatus,
  EventType,
  ReplayDryRun,
  ReplayTask as SdkReplayTask,
  ReplayTaskStatus,
  ReplayWebhookDeliveriesRequest,
  ReplayWebhookDeliveryResponse,
  RotateEndpointSecretResponse,
  SkipWebhookDeliveryResponse,
  TestWebhookEndpointResponse,
  TestWebhookFilterRequest,
  TestWebhookFilterResponse,
  TimeseriesInterval,
  UpdateWebhookEndpointRequest,
  WebhookAnalytics as SdkAnalytics,
  WebhookApp,
  WebhookDelivery,
  WebhookDeliveryAttempt,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointSecret,
  WebhookStats as SdkStats,
  WebhookTimeseries,
} from "@/lib/sdk/types";

export type {
  AnalyticsField,
  DeliveryStatus,
  EventType,
  PayloadFilter,
  ReplayTaskStatus,
  RotateEndpointSecretResponse,
  TimeseriesInterval,
  WebhookApp,
  WebhookEndpoint,
  WebhookEndpointSecret,
};

/** `GET /api/frontend/webhook/session` and the ticket exchange. */
export interface PortalSession {
  session_id: string;
  webhook_app: WebhookApp;
  /** Sent as `x-csrf-token` on every state-changing call (the hooks do it). */
  csrf_token: string;
  /** Unix seconds; slides forward while the session is used. */
  expires_at: number;
}

/** `createEndpoint` input: seed 003's `subscriptions`, or seed 001's `subscribed_events`, or `events`. */
export type CreateEndpointInput = CreateWebhookEndpointRequest;
export type UpdateEndpointInput = UpdateWebhookEndpointRequest;
export type CreatedEndpoint = WebhookEndpoint & { secret: string };
export type TestEndpointResult = TestWebhookEndpointResponse;
/** `useWebhookFilterTest`: a filter (JSON or text form) and a payload or a catalog event type. */
export type TestFilterInput = TestWebhookFilterRequest;
export type TestFilterResult = TestWebhookFilterResponse;

export type DeliverySummary = WebhookDelivery;
export type DeliveryDetail = WebhookDeliveryDetail;
export type DeliveryAttempt = WebhookDeliveryAttempt;

/** `GET /deliveries` filters (seed 003) plus the page size. */
export interface DeliveriesParams {
  status?: DeliveryStatus;
  event_name?: string;
  endpoint_id?: string;
  /** RFC 3339. */
  start_date?: string;
  /** RFC 3339. */
  end_date?: string;
  /** `503` or a class like `5xx`. */
  http_status?: string | number;
  /** Only the deliveries of this event (`msg_...`). */
  event_id?: string;
  /** Only the deliveries of the event holding this idempotency key (or the `event_id` sent with the trigger). */
  idempotency_key?: string;
  /** A condition on the event's payload, in the filter language's text form: `customer.id = "cus_123"`. */
  payload?: string;
  limit?: number;
}

/** `POST /deliveries/replay`: ids, or a date range with filters; `dry_run` only counts. */
export type ReplayRequest = ReplayWebhookDeliveriesRequest;
export type ReplayTask = SdkReplayTask;
/** What `replayDelivery` resolves to as `{ data }` (seed 001 reads `data.task_id`). */
export type ReplayTaskCreated = SdkReplayTask;
export type ReplayDryRunResponse = ReplayDryRun;
export type ReplayDeliveryResponse = ReplayWebhookDeliveryResponse;
export type SkipDeliveryResponse = SkipWebhookDeliveryResponse;

export interface AnalyticsParams {
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
  fields?: AnalyticsField[] | string[];
}

export type WebhookAnalytics = SdkAnalytics;

export interface TimeseriesParams {
  interval?: TimeseriesInterval;
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
}

export type TimeseriesResponse = WebhookTimeseries;
export type TimeseriesPoint = WebhookTimeseries["timeseries"][number];
export type WebhookStats = SdkStats;
