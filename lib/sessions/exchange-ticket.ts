import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { describePortalSession } from "@/lib/sessions/describe-session";
import { newPortalSession, type PortalSession } from "@/lib/sessions/portal-session";
import type { PortalSessionResponse } from "@/lib/sessions/schemas";
import { redeemAccessTicket } from "@/lib/sessions/tickets";
import type { App } from "@/generated/prisma/client";

/**
 * Spends the ticket and opens a portal session on its app. `origin`: the caller's cross-origin
 * `Origin`, or null (see redeemAccessTicket).
 */
export async function exchangeTicket(
  ticket: string,
  origin: string | null = null,
): Promise<{ session: PortalSession; app: App; body: PortalSessionResponse }> {
  const app = await redeemAccessTicket(ticket, origin);
  const session = newPortalSession(app.id, app.portalSessionsRevokedAt);
  await getDb().prisma.$transaction((tx) =>
    recordAudit(tx, {
      appId: app.id,
      actor: `portal:${session.sid}`,
      action: "session.opened",
      targetType: "app",
      targetId: app.id,
    }),
  );
  return { session, app, body: describePortalSession(session, app) };
}
