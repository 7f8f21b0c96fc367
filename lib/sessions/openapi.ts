import { defineRoutes } from "@/lib/openapi/registry";
import {
  createTicketRequest,
  createTicketResponse,
  revokeSessionsResponse,
} from "@/lib/sessions/schemas";

export const sessionRoutes = defineRoutes([
  {
    method: "post",
    path: "/session/tickets",
    operationId: "createSessionTicket",
    summary: "Issue a webhook_app_access ticket",
    description:
      "After your own RBAC check, issue a short-lived (default 120 s, at most 600 s), single-use ticket for one app. The browser exchanges it at `POST /api/session/ticket/exchange` for a portal session.",
    tag: "Sessions",
    body: createTicketRequest,
    responses: {
      201: {
        description: "The ticket and when it expires (Unix seconds)",
        schema: createTicketResponse,
      },
    },
    errors: [400, 404],
  },
  {
    method: "delete",
    path: "/apps/{slug}/sessions",
    operationId: "revokeWebhookPortalSessions",
    summary: "End every portal session of an app",
    description:
      "Every portal session exchanged for this app until now stops working at once (401), e.g. when a customer is offboarded. Tickets exchanged afterwards open new sessions as usual.",
    tag: "Sessions",
    responses: {
      200: {
        description: "The cut-off: sessions exchanged at or before it are ended",
        schema: revokeSessionsResponse,
      },
    },
    errors: [404],
  },
]);
