import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { describePortalSession } from "@/lib/sessions/describe-session";
import { newPortalSession, type PortalSession } from "@/lib/sessions/portal-session";
import type { PortalSessionResponse } from "@/lib/sessions/schemas";
import { redeemAccessTicket } from "@/lib/sessions/tickets";
import type { App } from "@/generated/prisma/client";

/** Spends the ticket and opens a portal session on its app. */
export async function exchangeTicket(
  ticket: string,
): Promise<{ session: PortalSession; app: App; body: PortalSessionResponse }> {
  const app = await redeemAccessTicket(ticket);
  const session = newPortalSession(app.id);
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
