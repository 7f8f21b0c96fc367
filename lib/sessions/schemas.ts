import { z } from "zod";
import { appResponse, appSlug } from "@/lib/apps/schemas";

export const TICKET_TYPES = ["webhook_app_access"] as const;
export const MAX_TICKET_SECONDS = 600;

/** `POST /api/v1/session/tickets` — the shape seed 001's backend snippet sends. */
export const createTicketRequest = z.strictObject({
  ticket_type: z.string().min(1, "is required"),
  webhook_app_slug: appSlug,
  expires_in: z
    .number({ message: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(10, "must be at least 10 seconds")
    .max(MAX_TICKET_SECONDS, `must be at most ${MAX_TICKET_SECONDS} seconds`)
    .default(120),
});
export type CreateTicketRequest = z.input<typeof createTicketRequest>;

export const createTicketResponse = z.object({
  ticket: z.string(),
  /** Unix time in seconds. */
  expires_at: z.number().int(),
  ticket_type: z.enum(TICKET_TYPES),
  webhook_app_slug: z.string(),
});
export type CreateTicketResponse = z.infer<typeof createTicketResponse>;

export const exchangeTicketRequest = z.strictObject({
  ticket: z.string().min(1, "is required").max(200, "is not a ticket"),
});

/** The session as the frontend sees it (exchange and `GET /api/frontend/webhook/session`). */
export const portalSessionResponse = z.object({
  session_id: z.string(),
  webhook_app: appResponse,
  /** Send as `x-csrf-token` on every state-changing frontend API call. */
  csrf_token: z.string(),
  /** Unix seconds; the session slides forward while it is used. */
  expires_at: z.number().int(),
});
export type PortalSessionResponse = z.infer<typeof portalSessionResponse>;

/** `DELETE /api/v1/apps/{app}/sessions` — every portal session of the app ended. */
export const revokeSessionsResponse = z.object({
  revoked: z.literal(true),
  revoked_before: z
    .string()
    .describe(
      "Sessions exchanged at or before this instant (RFC 3339) are ended; later exchanges work.",
    ),
});
export type RevokeSessionsResponse = z.infer<typeof revokeSessionsResponse>;
