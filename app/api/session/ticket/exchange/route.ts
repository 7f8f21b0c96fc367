import { corsPreflight, applyCors, crossOrigin } from "@/lib/http/cors";
import { apiErrors } from "@/lib/http/errors";
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
  const { ticket } = await body(exchangeTicketRequest);
  const { session, app, body: payload } = await exchangeTicket(ticket);
  const response = json(payload);
  for (const cookie of await sessionCookies(session, req))
    response.headers.append("set-cookie", cookie);
  const origin = crossOrigin(req);
  if (origin && app.embedOrigins.includes(origin)) applyCors(response, origin);
  return response;
});

export const OPTIONS = corsPreflight;

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
