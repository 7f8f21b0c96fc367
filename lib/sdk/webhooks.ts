import type { HooklineClient, Query } from "./client";
import type {
  AnalyticsOptions,
  CreatedWebhookEndpoint,
  CreateEventTypeRequest,
  CreateWebhookAppRequest,
  CreateWebhookEndpointRequest,
  EventType,
  ListEventTypesOptions,
  ListOptions,
  ListReplayTasksOptions,
  ListWebhookDeliveriesOptions,
  Page,
  ReplayDryRun,
  ReplayTask,
  ReplayWebhookDeliveriesRequest,
  ReplayWebhookDeliveryResponse,
  SkipWebhookDeliveryResponse,
  RevokeWebhookPortalSessionsResponse,
  RotateEndpointSecretResponse,
  RotateSecretOptions,
  RotateEndpointSecretOptions,
  RotateWebhookSecretResponse,
  TestWebhookEndpointRequest,
  TestWebhookEndpointResponse,
  TestWebhookFilterRequest,
  TestWebhookFilterResponse,
  TimeseriesOptions,
  TriggerWebhookOptions,
  TriggerWebhookRequest,
  TriggerWebhookResponse,
  UpdateEventTypeRequest,
  UpdateWebhookAppRequest,
  UpdateWebhookEndpointRequest,
  WebhookAnalytics,
  WebhookApp,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookEndpointSecret,
  WebhookStats,
  WebhookTimeseries,
} from "./types";

const seg = encodeURIComponent;
const app = (slug: string) => `/apps/${seg(slug)}`;

/** `client.webhooks`: every method seed 002 names, plus the event catalog and secrets. */
export class WebhooksApi {
  readonly #client: HooklineClient;

  constructor(client: HooklineClient) {
    this.#client = client;
  }

  // Apps

  /** Ends every portal session of the app at once (e.g. a customer offboarded). */
  revokeWebhookPortalSessions(appSlug: string): Promise<RevokeWebhookPortalSessionsResponse> {
    return this.#client.request("DELETE", `${app(appSlug)}/sessions`);
  }

  createWebhookApp(request: CreateWebhookAppRequest): Promise<WebhookApp> {
    return this.#client.post("/apps", request);
  }

  listWebhookApps(options: ListOptions = {}): Promise<Page<WebhookApp>> {
    return this.#client.get("/apps", options as Query);
  }

  getWebhookApp(appSlug: string): Promise<WebhookApp> {
    return this.#client.get(app(appSlug));
  }

  updateWebhookApp(appSlug: string, request: UpdateWebhookAppRequest): Promise<WebhookApp> {
    return this.#client.patch(app(appSlug), request);
  }

  async deleteWebhookApp(appSlug: string): Promise<void> {
    await this.#client.delete(app(appSlug));
  }

  /** New signing secrets for every endpoint of the app; the old ones sign on for 24 h unless told otherwise. */
  rotateWebhookSecret(
    appSlug: string,
    options: RotateSecretOptions = {},
  ): Promise<RotateWebhookSecretResponse> {
    return this.#client.post(`${app(appSlug)}/rotate-secret`, options);
  }

  // Endpoints

  /** The answer carries the endpoint's signing secret. */
  createWebhookEndpoint(
    appSlug: string,
    request: CreateWebhookEndpointRequest,
  ): Promise<CreatedWebhookEndpoint> {
    return this.#client.post(`${app(appSlug)}/endpoints`, request);
  }

  listWebhookEndpoints(appSlug: string, options: ListOptions = {}): Promise<Page<WebhookEndpoint>> {
    return this.#client.get(`${app(appSlug)}/endpoints`, options as Query);
  }

  getWebhookEndpoint(appSlug: string, endpointId: string): Promise<WebhookEndpoint> {
    return this.#client.get(`${app(appSlug)}/endpoints/${seg(endpointId)}`);
  }

  updateWebhookEndpoint(
    appSlug: string,
    endpointId: string,
    request: UpdateWebhookEndpointRequest,
  ): Promise<WebhookEndpoint> {
    return this.#client.patch(`${app(appSlug)}/endpoints/${seg(endpointId)}`, request);
  }

  async deleteWebhookEndpoint(appSlug: string, endpointId: string): Promise<void> {
    await this.#client.delete(`${app(appSlug)}/endpoints/${seg(endpointId)}`);
  }

  testWebhookEndpoint(
    appSlug: string,
    endpointId: string,
    request: TestWebhookEndpointRequest = {},
  ): Promise<TestWebhookEndpointResponse> {
    return this.#client.post(`${app(appSlug)}/endpoints/${seg(endpointId)}/test`, request);
  }

  /** Seed 002 names no app here: the endpoint id alone is enough. */
  reactivateWebhookEndpoint(endpointId: string): Promise<WebhookEndpoint> {
    return this.#client.post(`/endpoints/${seg(endpointId)}/reactivate`, {});
  }

  rotateWebhookEndpointSecret(
    appSlug: string,
    endpointId: string,
    options: RotateEndpointSecretOptions = {},
  ): Promise<RotateEndpointSecretResponse> {
    return this.#client.post(`${app(appSlug)}/endpoints/${seg(endpointId)}/rotate-secret`, options);
  }

  /** The endpoint's current signing secret (each call is audited). */
  getWebhookEndpointSecret(appSlug: string, endpointId: string): Promise<WebhookEndpointSecret> {
    return this.#client.get(`${app(appSlug)}/endpoints/${seg(endpointId)}/secret`);
  }

  /** Whether a payload filter (JSON or text form) matches a payload, or a catalog event type's example; changes nothing. */
  testWebhookFilter(
    appSlug: string,
    request: TestWebhookFilterRequest,
  ): Promise<TestWebhookFilterResponse> {
    return this.#client.post(`${app(appSlug)}/filters/test`, request);
  }

  // Event catalog

  createEventType(appSlug: string, request: CreateEventTypeRequest): Promise<EventType> {
    return this.#client.post(`${app(appSlug)}/event-types`, request);
  }

  listEventTypes(appSlug: string, options: ListEventTypesOptions = {}): Promise<Page<EventType>> {
    return this.#client.get(`${app(appSlug)}/event-types`, options as Query);
  }

  getEventType(appSlug: string, name: string): Promise<EventType> {
    return this.#client.get(`${app(appSlug)}/event-types/${seg(name)}`);
  }

  updateEventType(
    appSlug: string,
    name: string,
    request: UpdateEventTypeRequest,
  ): Promise<EventType> {
    return this.#client.patch(`${app(appSlug)}/event-types/${seg(name)}`, request);
  }

  async deleteEventType(appSlug: string, name: string): Promise<void> {
    await this.#client.delete(`${app(appSlug)}/event-types/${seg(name)}`);
  }

  // Events and deliveries

  triggerWebhook(
    appSlug: string,
    request: TriggerWebhookRequest,
    options: TriggerWebhookOptions = {},
  ): Promise<TriggerWebhookResponse> {
    const headers: Record<string, string> = options.idempotencyKey
      ? { "idempotency-key": options.idempotencyKey }
      : {};
    return this.#client.request("POST", `${app(appSlug)}/events`, { body: request, headers });
  }

  listWebhookDeliveries(
    appSlug: string,
    options: ListWebhookDeliveriesOptions = {},
  ): Promise<Page<WebhookDelivery>> {
    return this.#client.get(`${app(appSlug)}/deliveries`, options as Query);
  }

  /** One delivery with its payload and every attempt's request and response. */
  getWebhookDelivery(appSlug: string, deliveryId: string): Promise<WebhookDeliveryDetail> {
    return this.#client.get(`${app(appSlug)}/deliveries/${seg(deliveryId)}`);
  }

  /** Sends one delivery again now, to its endpoint. */
  replayWebhookDelivery(
    appSlug: string,
    deliveryId: string,
  ): Promise<ReplayWebhookDeliveryResponse> {
    return this.#client.post(`${app(appSlug)}/deliveries/${seg(deliveryId)}/replay`, {});
  }

  /** Skips a waiting delivery of a FIFO endpoint (it becomes `cancelled`); the next in its line may go. */
  skipWebhookDelivery(appSlug: string, deliveryId: string): Promise<SkipWebhookDeliveryResponse> {
    return this.#client.post(`${app(appSlug)}/deliveries/${seg(deliveryId)}/skip`, {});
  }

  /** Starts a bulk replay task (by ids, or by date range and filters); with `dry_run`, only counts. */
  replayWebhookDeliveries(
    appSlug: string,
    request: ReplayWebhookDeliveriesRequest & { dry_run: true },
  ): Promise<ReplayDryRun>;
  replayWebhookDeliveries(
    appSlug: string,
    request: ReplayWebhookDeliveriesRequest,
  ): Promise<ReplayTask>;
  replayWebhookDeliveries(
    appSlug: string,
    request: ReplayWebhookDeliveriesRequest,
  ): Promise<ReplayTask | ReplayDryRun> {
    return this.#client.post(`${app(appSlug)}/replays`, request);
  }

  listReplayTasks(
    appSlug: string,
    options: ListReplayTasksOptions = {},
  ): Promise<Page<ReplayTask>> {
    return this.#client.get(`${app(appSlug)}/replays`, options as Query);
  }

  getReplayTask(appSlug: string, taskId: string): Promise<ReplayTask> {
    return this.#client.get(`${app(appSlug)}/replays/${seg(taskId)}`);
  }

  cancelReplayTask(appSlug: string, taskId: string): Promise<ReplayTask> {
    return this.#client.post(`${app(appSlug)}/replays/${seg(taskId)}/cancel`, {});
  }

  // Analytics

  getWebhookStats(appSlug: string): Promise<WebhookStats> {
    return this.#client.get(`${app(appSlug)}/stats`);
  }

  getWebhookAnalytics(appSlug: string, options: AnalyticsOptions = {}): Promise<WebhookAnalytics> {
    return this.#client.get(`${app(appSlug)}/analytics`, options as Query);
  }

  getWebhookTimeseries(
    appSlug: string,
    options: TimeseriesOptions = {},
  ): Promise<WebhookTimeseries> {
    return this.#client.get(`${app(appSlug)}/timeseries`, options as Query);
  }
}
