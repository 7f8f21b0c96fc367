/**
 * Portal sessions: sealed (iron-session's `sealData`, keyed by HOOKLINE_SECRET) into cookies,
 * bound to one app, with a per-session CSRF token. The only server-side state is what ended
 * early (sign-out, revoke-all: lib/sessions/revocation.ts).
 *
 * Two cookies carry the same seal:
 * - `hookline_portal` — `SameSite=None; Secure; Partitioned`: works inside a cross-site iframe
 *   (CHIPS: the cookie is keyed to the embedding site) and for cross-origin hook calls.
 * - `hookline_portal_top` — `SameSite=Lax`: for the portal opened by redirect, and for browsers
 *   that refuse third-party cookies outright.
 */
import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { getConfig, requireSecret } from "@/lib/config";
import { isHttpsRequest } from "@/lib/http/forwarded";
import { safeEqual } from "@/lib/crypto/secrets";

export const EMBED_COOKIE = "hookline_portal";
export const TOP_LEVEL_COOKIE = "hookline_portal_top";
/** Refresh the sliding expiry at most this often, to avoid a Set-Cookie on every request. */
const REFRESH_AFTER_SECONDS = 60;
/** However active, a session ends this long after the ticket exchange. */
const ABSOLUTE_MAX_SECONDS = 24 * 3600;

export interface PortalSession {
  sid: string;
  appId: string;
  csrf: string;
  /** Unix seconds. */
  issuedAt: number;
  /**
   * Unix milliseconds of the exchange, ordered after the app's last revoke-all cut-off (see
   * lib/sessions/revocation.ts). Absent in cookies sealed before it existed.
   */
  issuedAtMs?: number;
  lastSeenAt: number;
}

export function sessionLifetimeSeconds(): number {
  return Math.min(getConfig().sessionTtlSeconds, ABSOLUTE_MAX_SECONDS);
}

const now = () => Math.floor(Date.now() / 1000);

/**
 * A session on the app, issued strictly after `revokedBefore` (the app's revoke-all cut-off as
 * read when the ticket was spent), so a clock reading that ties with the cut-off cannot end it.
 */
export function newPortalSession(appId: string, revokedBefore: Date | null = null): PortalSession {
  const issuedAtMs = Math.max(Date.now(), (revokedBefore?.getTime() ?? 0) + 1);
  const t = Math.floor(issuedAtMs / 1000);
  return {
    sid: `ses_${randomBytes(12).toString("base64url")}`,
    appId,
    csrf: randomBytes(24).toString("base64url"),
    issuedAt: t,
    issuedAtMs,
    lastSeenAt: t,
  };
}

export function sessionExpiresAt(session: PortalSession): number {
  return Math.min(
    session.lastSeenAt + sessionLifetimeSeconds(),
    session.issuedAt + ABSOLUTE_MAX_SECONDS,
  );
}

export function parseCookies(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0) out.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return out;
}

/**
 * The valid session a request carries at `nowSeconds` (Unix seconds), if any (either cookie).
 * `timedOut`: also one whose expiry has passed (only to know which app the browser had a session
 * on, never to serve it).
 */
export async function readPortalSession(
  req: Request,
  options: { timedOut?: boolean; nowSeconds?: number } = {},
): Promise<PortalSession | null> {
  const cookies = parseCookies(req.headers.get("cookie"));
  for (const name of [EMBED_COOKIE, TOP_LEVEL_COOKIE]) {
    const sealed = cookies.get(name);
    if (!sealed) continue;
    try {
      const data = await unsealData<Partial<PortalSession>>(decodeURIComponent(sealed), {
        password: requireSecret(),
        ttl: ABSOLUTE_MAX_SECONDS,
      });
      if (
        typeof data.sid !== "string" ||
        typeof data.appId !== "string" ||
        typeof data.csrf !== "string"
      )
        continue;
      const session = data as PortalSession;
      if (!options.timedOut && sessionExpiresAt(session) <= (options.nowSeconds ?? now())) continue;
      return session;
    } catch {
      continue; // tampered, or sealed with another secret
    }
  }
  return null;
}

/** True when the session should be re-sealed to slide its expiry forward. */
export function needsRefresh(session: PortalSession, nowSeconds: number = now()): boolean {
  return nowSeconds - session.lastSeenAt >= REFRESH_AFTER_SECONDS;
}

/** Set-Cookie values for the session (both cookies). */
export async function sessionCookies(session: PortalSession, req: Request): Promise<string[]> {
  const sealed = await sealData(session, { password: requireSecret(), ttl: ABSOLUTE_MAX_SECONDS });
  const maxAge = Math.max(0, sessionExpiresAt(session) - now());
  // `Secure` is required for SameSite=None; browsers accept it on http://localhost too.
  // Over plain http elsewhere the Lax cookie goes without it, or it would be dropped.
  const https = isHttpsRequest(req);
  return [
    `${EMBED_COOKIE}=${sealed}; Path=/; Max-Age=${maxAge}; HttpOnly; Secure; SameSite=None; Partitioned`,
    `${TOP_LEVEL_COOKIE}=${sealed}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${https ? "; Secure" : ""}`,
  ];
}

export function clearSessionCookies(): string[] {
  return [
    `${EMBED_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=None; Partitioned`,
    `${TOP_LEVEL_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
  ];
}

export function csrfMatches(session: PortalSession, token: string | null): boolean {
  return !!token && safeEqual(token, session.csrf);
}
