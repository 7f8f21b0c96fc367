/**
 * Who may frame the portal: `Content-Security-Policy: frame-ancestors 'self' <the app's
 * embed_origins>`, stating only the origins of the app the page shows, so no response lists
 * another tenant's customers. The app comes from an unspent access ticket in the URL (the first
 * load of an embedded portal carries no cookie yet; the ticket is looked up, not spent) or, with
 * no ticket, from the portal session cookie. A session that has timed out still names its app
 * (the cookie is sealed by us), so an embedded portal whose session expired can tell its host
 * (`hookline:access-needed`). No app known (no session, a spent, forged or malformed ticket,
 * any error): `'self'` only.
 *
 * Used by `proxy.ts`, which Next runs apart from the route code: this module keeps its own tiny
 * pg pool and imports neither Prisma nor the shared `getDb()` (a second Prisma client there
 * would end up shared, as a process singleton, with the app's code).
 */
import pg from "pg";
import { hashToken } from "@/lib/crypto/secrets";
import { poolConfigFromUrl } from "@/lib/db/url";
import { readPortalSession } from "@/lib/sessions/portal-session";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const PORTAL_HEADERS = {
  /** Only the portal's own pages learn the URL (which may still carry a ticket). */
  "referrer-policy": "same-origin",
  "x-content-type-options": "nosniff",
} as const;

/** How long embed origins are cached per process (edits apply within this). */
const CACHE_MS = 5_000;
/** `https://host[:port]` (and http for local development): anything else is dropped. */
const ORIGIN = /^https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;

const holder = processSingleton<{
  pool?: pg.Pool;
  cache?: Map<string, { origins: string[]; at: number }>;
}>("portal/frame-policy", () => ({}));

function pool(): pg.Pool | null {
  const url = process.env.DATABASE_URL;
  if (!url) return null;
  if (!holder.pool) {
    const p = new pg.Pool({
      ...poolConfigFromUrl(url),
      max: 2,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: 2_000,
      statement_timeout: 2_000,
    });
    p.on("error", () => {});
    holder.pool = p;
  }
  return holder.pool;
}

function cache() {
  return (holder.cache ??= new Map());
}

async function originsOfApp(appId: string): Promise<string[]> {
  const hit = cache().get(appId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.origins;
  const db = pool();
  if (!db) return [];
  const { rows } = await db.query<{ embed_origins: string[] }>(
    "SELECT embed_origins FROM apps WHERE id = $1",
    [appId],
  );
  const origins = rows[0]?.embed_origins ?? [];
  cache().set(appId, { origins, at: Date.now() });
  return origins;
}

async function appOfTicket(ticket: string): Promise<string | null> {
  if (!ticket.startsWith("tkt_") || ticket.length < 20 || ticket.length > 200) return null;
  const db = pool();
  if (!db) return null;
  const { rows } = await db.query<{ app_id: string }>(
    "SELECT app_id FROM tickets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now()",
    [hashToken(ticket)],
  );
  return rows[0]?.app_id ?? null;
}

/** The `frame-ancestors` sources for a portal request: `'self'` plus the app's embed origins. */
export async function frameAncestorsFor(req: Request): Promise<string[]> {
  const sources = ["'self'"];
  try {
    const ticket = new URL(req.url).searchParams.get("ticket");
    // A ticket names the app the page is about to open; an unusable one opens nothing, whatever
    // cookie comes with it.
    const appId = ticket
      ? await appOfTicket(ticket)
      : ((await readPortalSession(req, { timedOut: true }))?.appId ?? null);
    if (!appId) return sources;
    for (const origin of await originsOfApp(appId)) {
      const clean = origin.replace(/\/+$/, "");
      if (ORIGIN.test(clean) && !sources.includes(clean)) sources.push(clean);
    }
  } catch {
    // Fail closed: the portal still works on its own origin.
  }
  return sources;
}

export function frameAncestorsHeader(sources: string[]): string {
  return `frame-ancestors ${sources.join(" ")}`;
}

/**
 * The portal pages' whole Content-Security-Policy. Scripts: only those carrying this response's
 * nonce (Next puts it on its own scripts when it finds it in the request's policy) and what they
 * load. Styles: the portal's stylesheets, and inline `style` attributes (brand colours, charts),
 * which a nonce cannot cover. Connections and everything else: the portal's origin; images may
 * also be an app's https logo. Development adds what the dev server needs (eval, its websocket).
 */
export function portalContentSecurityPolicy(options: {
  nonce: string;
  frameAncestors: string[];
  dev?: boolean;
}): string {
  const { nonce, frameAncestors, dev = false } = options;
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' https: data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    frameAncestorsHeader(frameAncestors),
  ].join("; ");
}
