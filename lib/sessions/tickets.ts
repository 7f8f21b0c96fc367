/**
 * Access tickets: the product's backend (after its own RBAC check) asks for one; the browser
 * exchanges it once for a portal session bound to one app. Random, single use, short-lived,
 * stored only as a SHA-256.
 */
import type { App, Prisma } from "@/generated/prisma/client";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, randomToken } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { apiError, apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { TICKET_TYPES, type CreateTicketResponse } from "@/lib/sessions/schemas";

const TICKET_PREFIX = "tkt_";

export async function createAccessTicket(
  input: { ticket_type: string; webhook_app_slug: string; expires_in: number },
  actor: string,
): Promise<CreateTicketResponse> {
  if (!(TICKET_TYPES as readonly string[]).includes(input.ticket_type)) {
    throw apiError(
      "invalid_ticket_type",
      `ticket_type: must be one of ${TICKET_TYPES.join(", ")} (got "${input.ticket_type}")`,
      {
        fields: [{ field: "ticket_type", message: `must be one of ${TICKET_TYPES.join(", ")}` }],
      },
    );
  }
  const app = await getAppBySlugOrId(input.webhook_app_slug);
  const { ticket, expiresAt } = await getDb().prisma.$transaction((tx) =>
    insertAccessTicket(tx, {
      appId: app.id,
      type: input.ticket_type,
      expiresInSeconds: input.expires_in,
      actor,
    }),
  );
  return {
    ticket,
    expires_at: Math.floor(expiresAt.getTime() / 1000),
    ticket_type: input.ticket_type as CreateTicketResponse["ticket_type"],
    webhook_app_slug: app.slug,
  };
}

/**
 * Writes a new ticket for an app inside the caller's transaction (with its audit row). The
 * plaintext is returned here once and never stored.
 */
export async function insertAccessTicket(
  tx: Prisma.TransactionClient,
  input: { appId: string; type: string; expiresInSeconds: number; actor: string },
): Promise<{ ticket: string; expiresAt: Date }> {
  const ticket = randomToken(TICKET_PREFIX);
  const expiresAt = new Date(Date.now() + input.expiresInSeconds * 1000);
  await tx.ticket.create({
    data: {
      id: newId("tkt"),
      tokenHash: hashToken(ticket),
      type: input.type,
      appId: input.appId,
      expiresAt,
      createdBy: input.actor,
    },
  });
  await recordAudit(tx, {
    appId: input.appId,
    actor: input.actor,
    action: "ticket.issued",
    targetType: "app",
    targetId: input.appId,
    details: { expires_in: input.expiresInSeconds },
  });
  return { ticket, expiresAt };
}

/** One message for expired, reused, unknown and malformed tickets: the answer reveals nothing. */
export const invalidTicket = () =>
  apiErrors.unauthorized("The ticket is invalid, expired or already used");

/**
 * Spends a ticket: one atomic UPDATE, so two exchanges racing with the same ticket cannot both
 * win. `origin` is the browser's cross-origin `Origin` (null for same-origin or non-browser
 * callers): a ticket is spent only from one of its app's embed origins, so a foreign page cannot
 * log a visitor into a session (the ticket stays usable). Returns the app it grants.
 */
export async function redeemAccessTicket(
  ticket: string,
  origin: string | null = null,
): Promise<App> {
  if (!ticket.startsWith(TICKET_PREFIX) || ticket.length < 20) throw invalidTicket();
  const { prisma } = getDb();
  const tokenHash = hashToken(ticket);
  const rows = await prisma.$queryRaw<{ app_id: string }[]>`
    UPDATE tickets t SET used_at = now()
    FROM apps a
    WHERE t.token_hash = ${tokenHash} AND t.used_at IS NULL AND t.expires_at > now()
      AND a.id = t.app_id AND (${origin}::text IS NULL OR ${origin}::text = ANY(a.embed_origins))
    RETURNING t.app_id`;
  const appId = rows[0]?.app_id;
  if (!appId) {
    if (origin !== null) {
      const usable = await prisma.ticket.count({
        where: { tokenHash, usedAt: null, expiresAt: { gt: new Date() } },
      });
      if (usable) throw originNotAllowed(origin);
    }
    throw invalidTicket();
  }
  const app = await prisma.app.findUnique({ where: { id: appId } });
  if (!app) throw invalidTicket();
  return app;
}

export const originNotAllowed = (origin: string) =>
  apiError("origin_not_allowed", `Origin ${origin} is not one of this app's embed origins`);

/** Removes tickets that can no longer be used (called from a periodic job). */
export async function purgeSpentTickets(
  olderThan = new Date(Date.now() - 24 * 3600 * 1000),
): Promise<number> {
  const { count } = await getDb().prisma.ticket.deleteMany({
    where: { expiresAt: { lt: olderThan } },
  });
  return count;
}
