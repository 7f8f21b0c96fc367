import type { App } from "@/generated/prisma/client";
import { serializeApp } from "@/lib/apps/serialize";
import type { PortalSessionResponse } from "@/lib/sessions/schemas";
import { sessionExpiresAt, type PortalSession } from "@/lib/sessions/portal-session";

export function describePortalSession(session: PortalSession, app: App): PortalSessionResponse {
  return {
    session_id: session.sid,
    webhook_app: serializeApp(app),
    csrf_token: session.csrf,
    expires_at: sessionExpiresAt(session),
  };
}
