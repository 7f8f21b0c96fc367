/**
 * Ending portal sessions server-side. Sessions are sealed cookies (no server state), so the
 * server keeps what it has ended: a signed-out session's id until it would have expired, and per
 * app a cut-off before which every exchanged session is ended. One query per portal request
 * checks both, read from the database (not the app cache) so a revocation holds at once.
 */
import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { sessionExpiresAt, type PortalSession } from "@/lib/sessions/portal-session";
import type { RevokeSessionsResponse } from "@/lib/sessions/schemas";

export async function isPortalSessionRevoked(session: PortalSession): Promise<boolean> {
  const issuedAt = new Date(session.issuedAtMs ?? session.issuedAt * 1000);
  const rows = await getDb().prisma.$queryRaw<Array<{ revoked: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM revoked_portal_sessions WHERE sid = ${session.sid})
        OR EXISTS (SELECT 1 FROM apps WHERE id = ${session.appId} AND portal_sessions_revoked_at >= ${issuedAt}) AS revoked`;
  return rows[0]?.revoked === true;
}

/** Sign-out: this session's cookie stops working everywhere, not only in this browser. */
export async function revokePortalSession(session: PortalSession): Promise<void> {
  await getDb().prisma.$transaction(async (tx) => {
    // Ids of sessions that have expired anyway need not be kept.
    await tx.revokedPortalSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
    await tx.revokedPortalSession.upsert({
      where: { sid: session.sid },
      create: {
        sid: session.sid,
        appId: session.appId,
        expiresAt: new Date(sessionExpiresAt(session) * 1000),
      },
      update: {},
    });
    await recordAudit(tx, {
      appId: session.appId,
      actor: `portal:${session.sid}`,
      action: "session.ended",
      targetType: "app",
      targetId: session.appId,
    });
  });
}

/** Ends every portal session of the app exchanged until now (e.g. a customer offboarded). */
export async function revokeAppPortalSessions(
  app: App,
  actor: string,
): Promise<RevokeSessionsResponse> {
  // Milliseconds, like the sessions' issue times; an exchange that reads this cut-off issues
  // its session after it (newPortalSession), so only sessions from before the revoke end.
  const cutoff = new Date();
  await getDb().prisma.$transaction(async (tx) => {
    await tx.app.update({ where: { id: app.id }, data: { portalSessionsRevokedAt: cutoff } });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "sessions.revoked",
      targetType: "app",
      targetId: app.id,
    });
  });
  return { revoked: true, revoked_before: cutoff.toISOString() };
}
