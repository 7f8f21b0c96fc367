/**
 * Svix's `appPortalAccess` over Hookline: `url` opens Hookline's hosted portal on the app with a
 * single-use access ticket (the portal's own ticket exchange spends it), and `token` is an
 * app-scoped token for svix-react's `SvixProvider`. Both are written in one transaction.
 */
import type { App } from "@/generated/prisma/client";
import { ConfigError, requirePublicUrl } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { apiError } from "@/lib/http/errors";
import { insertAccessTicket } from "@/lib/sessions/tickets";
import { insertAppToken, type AppTokenOptions } from "@/lib/svix/app-tokens";

/** The portal link's ticket lives as long as the longest ticket the ticket API issues. */
export const PORTAL_LINK_TICKET_SECONDS = 600;
const PORTAL_TICKET_TYPE = "webhook_app_access";

export interface AppPortalAccess {
  url: string;
  token: string;
}

/** Fails before writing anything when Hookline does not know its public URL. */
function portalBaseUrl(): string {
  try {
    return requirePublicUrl();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw apiError("public_url_not_configured", err.message);
  }
}

export async function createAppPortalAccess(
  app: Pick<App, "id">,
  options: AppTokenOptions,
  actor: string,
): Promise<AppPortalAccess> {
  const base = portalBaseUrl();
  const { ticket, token } = await getDb().prisma.$transaction(async (tx) => {
    const issued = await insertAppToken(tx, app.id, options, actor);
    const { ticket } = await insertAccessTicket(tx, {
      appId: app.id,
      type: PORTAL_TICKET_TYPE,
      expiresInSeconds: PORTAL_LINK_TICKET_SECONDS,
      actor,
    });
    return { ticket, token: issued.token };
  });
  return { url: `${base}/portal?ticket=${encodeURIComponent(ticket)}`, token };
}
