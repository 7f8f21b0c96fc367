import { corsPreflight } from "@/lib/http/cors";
import {
  json,
  methodsNotAllowed,
  portalOrOperator,
  withOperatorOnApp,
  withPortalSession,
} from "@/lib/http/route";
import { describeOperatorOnApp, describePortalSession } from "@/lib/sessions/describe-session";
import { clearSessionCookies } from "@/lib/sessions/portal-session";
import { revokePortalSession } from "@/lib/sessions/revocation";

export const dynamic = "force-dynamic";

/** The current session: its app and the CSRF token for mutations (an operator's, in the console). */
export const GET = portalOrOperator(
  withPortalSession(async ({ session, app }) => describePortalSession(session, app)),
  withOperatorOnApp(async ({ session, app }) => describeOperatorOnApp(session, app)),
);

/** Ends the session: server-side (the cookie stops working everywhere) and both cookies. */
export const DELETE = withPortalSession(async ({ session }) => {
  await revokePortalSession(session);
  const response = json({ ended: true });
  for (const cookie of clearSessionCookies()) response.headers.append("set-cookie", cookie);
  return response;
});

export const OPTIONS = corsPreflight;

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH } = methodsNotAllowed("GET", "DELETE");
