/**
 * Console sessions. The `hookline_console` cookie (iron-session seal of a random session id,
 * `HttpOnly; SameSite=Lax`, `Secure` over https) names a row of `operator_sessions` by the id's
 * SHA-256; signing out deletes the row, so a copied cookie is dead from then on. Writes must
 * come from this origin and carry the session's CSRF token in `x-csrf-token` (the page reads it
 * from the `hookline_console_csrf` cookie: double submit, checked against the row).
 */
import { randomBytes } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { recordAudit } from "@/lib/audit/record-audit";
import { requireSecret } from "@/lib/config";
import { hashToken, safeEqual } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { isHttpsRequest, requestOrigin } from "@/lib/http/forwarded";
import { operatorActor, type OperatorRole, type OperatorSummary } from "@/lib/console/operators";
import { parseCookies } from "@/lib/sessions/portal-session";

export const CONSOLE_COOKIE = "hookline_console";
export const CONSOLE_CSRF_COOKIE = "hookline_console_csrf";
export const CSRF_HEADER = "x-csrf-token";
/** A session ends this long after sign-in, however active. */
export const CONSOLE_SESSION_SECONDS = 12 * 3600;
/** ...or after this long unused. */
const IDLE_SECONDS = 2 * 3600;
const TOUCH_AFTER_MS = 60_000;

export interface OperatorSession {
  /** The row id (SHA-256 of the session id in the cookie). */
  id: string;
  csrf: string;
  /** When the session ends at the latest (12 h after sign-in). */
  expiresAt: Date;
  operator: OperatorSummary;
}

/** Starts a session for a signed-in operator; returns its Set-Cookie values. Audited. */
export async function startOperatorSession(
  operator: OperatorSummary,
  req: Request,
): Promise<{ cookies: string[]; csrf: string }> {
  const sid = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  const now = Date.now();
  await getDb().prisma.$transaction(async (tx) => {
    await tx.operatorSession.create({
      data: {
        id: hashToken(sid),
        operatorId: operator.id,
        csrf,
        expiresAt: new Date(now + CONSOLE_SESSION_SECONDS * 1000),
      },
    });
    await recordAudit(tx, {
      actor: operatorActor(operator.email),
      action: "operator.signed_in",
      targetType: "operator",
      targetId: operator.id,
    });
  });
  const sealed = await sealData(
    { sid },
    { password: requireSecret(), ttl: CONSOLE_SESSION_SECONDS },
  );
  const secure = isHttpsRequest(req) ? "; Secure" : "";
  const attrs = `Path=/; Max-Age=${CONSOLE_SESSION_SECONDS}; SameSite=Lax${secure}`;
  return {
    csrf,
    cookies: [
      `${CONSOLE_COOKIE}=${sealed}; ${attrs}; HttpOnly`,
      `${CONSOLE_CSRF_COOKIE}=${csrf}; ${attrs}`,
    ],
  };
}

export function clearConsoleCookies(): string[] {
  return [
    `${CONSOLE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`,
    `${CONSOLE_CSRF_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax`,
  ];
}

/** The live session a sealed cookie value names, or null (unknown, ended, expired, idle). */
export async function readOperatorSession(
  sealed: string | undefined | null,
): Promise<OperatorSession | null> {
  if (!sealed) return null;
  let sid: unknown;
  try {
    ({ sid } = await unsealData<{ sid?: string }>(decodeURIComponent(sealed), {
      password: requireSecret(),
      ttl: CONSOLE_SESSION_SECONDS,
    }));
  } catch {
    return null; // tampered, or sealed with another secret
  }
  if (typeof sid !== "string") return null;
  const { prisma } = getDb();
  const id = hashToken(sid);
  const row = await prisma.operatorSession.findUnique({
    where: { id },
    include: {
      operator: {
        select: { id: true, email: true, role: true, createdAt: true, lockedUntil: true },
      },
    },
  });
  const now = Date.now();
  if (
    !row ||
    row.expiresAt.getTime() <= now ||
    now - row.lastSeenAt.getTime() > IDLE_SECONDS * 1000
  )
    return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_AFTER_MS)
    void prisma.operatorSession
      .update({ where: { id }, data: { lastSeenAt: new Date(now) } })
      .catch(() => {});
  return {
    id,
    csrf: row.csrf,
    expiresAt: row.expiresAt,
    operator: { ...row.operator, role: row.operator.role as OperatorRole },
  };
}

export function sessionCookieOf(req: Request): string | undefined {
  return parseCookies(req.headers.get("cookie")).get(CONSOLE_COOKIE);
}

/** Ends the session server-side (its row goes). Audited. */
export async function endOperatorSession(session: OperatorSession): Promise<void> {
  await getDb().prisma.$transaction(async (tx) => {
    await tx.operatorSession.deleteMany({ where: { id: session.id } });
    await recordAudit(tx, {
      actor: operatorActor(session.operator.email),
      action: "operator.signed_out",
      targetType: "operator",
      targetId: session.operator.id,
    });
  });
}

/**
 * Whether a write comes from a page of this origin: `Origin` must be ours (browsers send it on
 * every POST/PUT/PATCH/DELETE); without it, `Sec-Fetch-Site` must say same-origin.
 */
export function sameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (origin) return origin === requestOrigin(req);
  return req.headers.get("sec-fetch-site") === "same-origin";
}

export function csrfValid(session: OperatorSession, req: Request): boolean {
  const token = req.headers.get(CSRF_HEADER);
  return sameOrigin(req) && !!token && safeEqual(token, session.csrf);
}
