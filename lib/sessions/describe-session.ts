import type { App } from "@/generated/prisma/client";
import { serializeApp } from "@/lib/apps/serialize";
import type { PortalSessionResponse } from "@/lib/sessions/schemas";
import { sessionExpiresAt, type PortalSession } from "@/lib/sessions/portal-session";
import type { OperatorSession } from "@/lib/console/session";

export function describePortalSession(session: PortalSession, app: App): PortalSessionResponse {
  return {
    session_id: session.sid,
    webhook_app: serializeApp(app),
    csrf_token: session.csrf,
    expires_at: sessionExpiresAt(session),
  };
}

/**
 * The same answer for an operator looking at an app from the console: the console session's
 * CSRF token (the frontend client sends it on changes) and end.
 */
export function describeOperatorOnApp(session: OperatorSession, app: App): PortalSessionResponse {
  return {
    session_id: "operator",
    webhook_app: serializeApp(app),
    csrf_token: session.csrf,
    expires_at: Math.floor(session.expiresAt.getTime() / 1000),
  };
}
