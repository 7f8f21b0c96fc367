import { corsPreflight, applyCors, crossOrigin } from "@/lib/http/cors";
import { apiError, apiErrors } from "@/lib/http/errors";
import { clientAddress } from "@/lib/http/forwarded";
import { FixedWindowLimiter } from "@/lib/http/rate-limit";
import { json, methodsNotAllowed, withBrowserPublic } from "@/lib/http/route";
import { exchangeTicketRequest } from "@/lib/sessions/schemas";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies } from "@/lib/sessions/portal-session";

export const dynamic = "force-dynamic";

const attempts = new FixedWindowLimiter(30, 60_000);

/** Exchanges a single-use ticket for the portal session cookies. */
export const POST = withBrowserPublic(async ({ req, body }) => {
  const wait = attempts.hit(clientAddress(req));
  if (wait)
    throw apiErrors.rateLimited(
      "Too many ticket exchanges from this address; wait and retry",
      wait,
    );
  // Only JSON: a cross-site form or text/plain POST needs no preflight, so it could spend a
  // ticket into the visitor's browser (login CSRF).
  if (!isJson(req.headers.get("content-type")))
    throw apiError(
      "unsupported_media_type",
      "Send the ticket as JSON (content-type: application/json)",
      { fields: [{ field: "content-type", message: "must be application/json" }] },
    );
  const { ticket } = await body(exchangeTicketRequest);
  const { session, app, body: payload } = await exchangeTicket(ticket, crossOrigin(req));
  const response = json(payload);
  for (const cookie of await sessionCookies(session, req))
    response.headers.append("set-cookie", cookie);
  const origin = crossOrigin(req);
  if (origin && app.embedOrigins.includes(origin)) applyCors(response, origin);
  return response;
});

function isJson(contentType: string | null): boolean {
  return contentType?.split(";")[0]!.trim().toLowerCase() === "application/json";
}

export const OPTIONS = corsPreflight;

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
