/**
 * Who may frame the portal: `Content-Security-Policy: frame-ancestors 'self' <the app's
 * embed_origins>`. The app comes from the access ticket in the URL (the first load of an
 * embedded portal carries no cookie yet; the ticket is looked up, not spent) or else from the
 * portal session cookie. An app without embed origins: same-origin only. Any error: same-origin
 * only.
 *
 * With no app at all (no valid ticket or cookie) the page can show nothing but "access needed";
 * the hosts of every app may frame that, so an embedded portal whose session expired can tell its
 * host (`hookline:access-needed`) to fetch a new ticket. Other sites still cannot frame it.
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
/** Past this many distinct origins over all apps, the no-app page is same-origin only. */
const MAX_ANY_APP_ORIGINS = 200;
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

const ANY_APP = "\u0000any";

/** Every app's embed origins (for the page that shows no app). */
async function originsOfAnyApp(): Promise<string[]> {
  const hit = cache().get(ANY_APP);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.origins;
  const db = pool();
  if (!db) return [];
  const { rows } = await db.query<{ origin: string }>(
    "SELECT DISTINCT unnest(embed_origins) AS origin FROM apps ORDER BY 1 LIMIT $1",
    [MAX_ANY_APP_ORIGINS + 1],
  );
  const origins = rows.length > MAX_ANY_APP_ORIGINS ? [] : rows.map((r) => r.origin);
  cache().set(ANY_APP, { origins, at: Date.now() });
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
    // A ticket names the app the page is about to open; it wins over an older cookie.
    const appId = ticket
      ? await appOfTicket(ticket)
      : ((await readPortalSession(req))?.appId ?? null);
    for (const origin of appId ? await originsOfApp(appId) : await originsOfAnyApp()) {
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
