/**
 * The frontend API in the OpenAPI document (tag `Frontend API`): what the hosted portal and the
 * React hooks (lib/react) call from the browser with a portal session instead of an API key.
 * Most operations run the same handlers as a backend operation under another path, so they are
 * declared from it: same parameters, body and answers, the app taken from the session.
 */
import { z } from "zod";
import { eventTypeResponse } from "@/lib/event-types/schemas";
import { rotateAppSecretsResponse } from "@/lib/apps/schemas";
import { rotateSecretResponse } from "@/lib/endpoints/schemas";
import { analyticsRoutes } from "@/lib/analytics/openapi";
import { deliveryRoutes } from "@/lib/delivery-log/openapi";
import { endpointRoutes } from "@/lib/endpoints/openapi";
import { filterRoutes } from "@/lib/filters/openapi";
import { replayRoutes } from "@/lib/replays/openapi";
import { defineRoutes, type ApiRoute, type HttpMethod } from "@/lib/openapi/registry";
import { rotateSigningSecretRequest } from "@/lib/portal/catalog-handlers";
import { exchangeTicketRequest, portalSessionResponse } from "@/lib/sessions/schemas";

export const FRONTEND_TAG = "Frontend API";
const BASE = "/api/frontend/webhook" as const;

/** [method, frontend path, the backend operation it serves the same way, its own operationId]. */
const SAME_AS_BACKEND: [HttpMethod, string, string, string][] = [
  ["get", "/endpoints", "listWebhookEndpoints", "frontendListEndpoints"],
  ["post", "/endpoints", "createWebhookEndpoint", "frontendCreateEndpoint"],
  ["get", "/endpoints/{id}", "getWebhookEndpoint", "frontendGetEndpoint"],
  ["patch", "/endpoints/{id}", "updateWebhookEndpoint", "frontendUpdateEndpoint"],
  ["delete", "/endpoints/{id}", "deleteWebhookEndpoint", "frontendDeleteEndpoint"],
  ["get", "/endpoints/{id}/secret", "getWebhookEndpointSecret", "frontendGetEndpointSecret"],
  [
    "post",
    "/endpoints/{id}/rotate-secret",
    "rotateWebhookEndpointSecret",
    "frontendRotateEndpointSecret",
  ],
  [
    "post",
    "/endpoints/{id}/reactivate",
    "reactivateAppWebhookEndpoint",
    "frontendReactivateEndpoint",
  ],
  ["post", "/endpoints/{id}/test", "testWebhookEndpoint", "frontendTestEndpoint"],
  ["post", "/filters/test", "testWebhookFilter", "frontendTestFilter"],
  ["get", "/deliveries", "listWebhookDeliveries", "frontendListDeliveries"],
  ["get", "/deliveries/{id}", "getWebhookDelivery", "frontendGetDelivery"],
  ["post", "/deliveries/{id}/replay", "replayWebhookDelivery", "frontendReplayDelivery"],
  ["post", "/deliveries/{id}/skip", "skipWebhookDelivery", "frontendSkipDelivery"],
  ["post", "/deliveries/replay", "replayWebhookDeliveries", "frontendReplayDeliveries"],
  ["get", "/replay-tasks", "listReplayTasks", "frontendListReplayTasks"],
  ["get", "/replay-tasks/{id}", "getReplayTask", "frontendGetReplayTask"],
  ["post", "/replay-tasks/{id}/cancel", "cancelReplayTask", "frontendCancelReplayTask"],
  ["get", "/stats", "getWebhookStats", "frontendGetStats"],
  ["get", "/analytics", "getWebhookAnalytics", "frontendGetAnalytics"],
  ["get", "/timeseries", "getWebhookTimeseries", "frontendGetTimeseries"],
];

const backend = new Map(
  [...endpointRoutes, ...filterRoutes, ...deliveryRoutes, ...replayRoutes, ...analyticsRoutes].map(
    (r) => [r.operationId, r],
  ),
);

function fromBackend([
  method,
  path,
  backendId,
  operationId,
]: (typeof SAME_AS_BACKEND)[number]): ApiRoute {
  const route = backend.get(backendId);
  if (!route || route.method !== method)
    throw new Error(`frontend OpenAPI: no backend ${method} operation ${backendId}`);
  const { pathParams, ...rest } = route;
  return {
    ...rest,
    method,
    path,
    operationId,
    tag: FRONTEND_TAG,
    auth: "session",
    basePath: BASE,
    pathParams: pathParams?.id ? { id: pathParams.id } : undefined,
    description: `${route.description ? `${route.description} ` : ""}The frontend API's form of \`${backendId}\`: the app is the session's.`,
  };
}

const sessionHeaders = {
  "Set-Cookie": {
    description:
      "The session cookies `hookline_portal` (SameSite=None; Secure; Partitioned) and `hookline_portal_top`.",
  },
};

export const frontendRoutes: ApiRoute[] = [
  ...SAME_AS_BACKEND.map(fromBackend),
  ...defineRoutes([
    {
      method: "post",
      path: "/ticket/exchange",
      basePath: "/api/session",
      operationId: "exchangeSessionTicket",
      summary: "Exchange an access ticket for a portal session",
      description:
        "Spends a single-use `webhook_app_access` ticket (from `POST /api/v1/session/tickets`) and sets the session cookies. " +
        "Answers the session with its `csrf_token`, to send as `x-csrf-token` on state-changing calls. Rate limited per address. " +
        "Only `application/json`, and from a browser only on the app's own origin or one of its `embed_origins` (403 otherwise; the ticket stays unspent).",
      tag: FRONTEND_TAG,
      auth: "none",
      body: exchangeTicketRequest,
      responses: {
        200: { description: "The session", schema: portalSessionResponse, headers: sessionHeaders },
      },
      errors: [400, 401, 403, 404, 415, 429],
    },
    {
      method: "get",
      path: "/session",
      basePath: BASE,
      operationId: "frontendGetSession",
      summary: "The current portal session",
      description:
        "Its app (with branding) and the CSRF token for mutations. The session's expiry slides forward while it is used.",
      tag: FRONTEND_TAG,
      auth: "session",
      responses: { 200: { description: "The session", schema: portalSessionResponse } },
    },
    {
      method: "delete",
      path: "/session",
      basePath: BASE,
      operationId: "frontendEndSession",
      summary: "End the portal session",
      tag: FRONTEND_TAG,
      auth: "session",
      responses: {
        200: {
          description: "Ended; both cookies cleared",
          schema: z.object({ ended: z.literal(true) }),
          headers: sessionHeaders,
        },
      },
    },
    {
      method: "get",
      path: "/events/catalog",
      basePath: BASE,
      operationId: "frontendGetEventCatalog",
      summary: "The event catalog",
      description:
        "Every event type of the app by name, current ones first, then the archived ones (`archived: true`, still subscribable).",
      tag: FRONTEND_TAG,
      auth: "session",
      responses: {
        200: {
          description: "The event types",
          schema: z.object({ data: z.array(eventTypeResponse) }),
        },
      },
    },
    {
      method: "get",
      path: "/events/subscriptions",
      basePath: BASE,
      operationId: "frontendListEventSubscriptions",
      summary: "Every pattern the app's endpoints subscribe to",
      tag: FRONTEND_TAG,
      auth: "session",
      responses: {
        200: {
          description: "The patterns, sorted",
          schema: z.object({ data: z.array(z.string()) }),
        },
      },
    },
    {
      method: "post",
      path: "/rotate-secret",
      basePath: BASE,
      operationId: "frontendRotateSigningSecret",
      summary: "Rotate one endpoint's signing secret, or every endpoint's",
      tag: FRONTEND_TAG,
      auth: "session",
      body: rotateSigningSecretRequest,
      responses: {
        200: {
          description:
            "With `endpoint_id`: the endpoint's new secret; without: how many endpoints were rotated",
          schema: z.union([rotateSecretResponse, rotateAppSecretsResponse]),
        },
      },
      errors: [404, 409],
    },
  ]),
];
