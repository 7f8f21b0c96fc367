import { triggerEventRequest, triggerEventResponse } from "@/lib/events/schemas";
import { commonPathParams, defineRoutes } from "@/lib/openapi/registry";

/** The event routes for the OpenAPI document (collected in lib/openapi/routes.ts). */
export const eventRoutes = defineRoutes([
  {
    method: "post",
    path: "/apps/{slug}/events",
    operationId: "triggerWebhook",
    summary: "Trigger an event",
    description:
      "Records the event and creates one delivery per active endpoint subscribed to `event_name` (exact, `prefix.*`, `*`; " +
      "endpoints with channels only get events carrying one of them), then answers 202 — after both are committed. " +
      "An `Idempotency-Key` header (or else `event_id`) seen in the last 24 h returns the first event with `duplicate: true` " +
      "and creates nothing. The payload is checked against the event type's JSON Schema when it has one (422 naming the path).",
    tag: "Events",
    pathParams: { slug: commonPathParams.slug },
    headers: [
      {
        name: "Idempotency-Key",
        description:
          "1-255 visible ASCII characters identifying the event for 24 h; a repeat answers the first event with `duplicate: true`.",
      },
    ],
    body: triggerEventRequest,
    responses: {
      202: {
        description:
          "Accepted: the event is committed; fan-out to endpoints happens right after the answer",
        schema: triggerEventResponse,
      },
    },
    errors: [400, 404, 413, 422],
  },
]);
