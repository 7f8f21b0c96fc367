/**
 * App-scoped tokens of the Svix surface (`appsk_` + 256 random bits, Svix's own prefix): what
 * `appPortalAccess` hands out for svix-react's `SvixProvider`. A token acts on one app's Svix
 * operations only, expires (Svix: 1 hour to 7 days, default 7 days) and is stored only as a
 * SHA-256, like API keys. Revoking moves `expires_at` to the revocation time, so one indexed
 * comparison decides validity and expired rows need no other state.
 */
import type { Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { hashToken, randomToken } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";

export const APP_TOKEN_PREFIX = "appsk_";
const HOUR = 3600;
export const APP_TOKEN_MIN_LIFE_SECONDS = HOUR;
export const APP_TOKEN_MAX_LIFE_SECONDS = 7 * 24 * HOUR;
/** Svix's `expire-all` may leave old tokens working for at most this long. */
export const APP_TOKEN_MAX_GRACE_SECONDS = 3 * 24 * HOUR;

/** Svix's portal capabilities; a token without any listed has all of them. */
export const APP_PORTAL_CAPABILITIES = [
  "ViewBase",
  "ViewEndpointSecret",
  "ManageEndpointSecret",
  "ManageTransformations",
  "CreateAttempts",
  "ManageEndpoint",
] as const;
export type AppPortalCapability = (typeof APP_PORTAL_CAPABILITIES)[number];

export interface AppTokenOptions {
  /** Seconds the token lives; default (and most) 7 days, at least 1 hour. */
  lifeSeconds?: number;
  sessionId?: string | null;
  /** Empty or absent: every capability. */
  capabilities?: readonly AppPortalCapability[];
  featureFlags?: readonly string[];
}

/** Who an app token is: the app it may act on, and what it may do there. */
export interface AppTokenGrant {
  tokenId: string;
  appId: string;
  sessionId: string | null;
  capabilities: AppPortalCapability[];
  featureFlags: string[];
  expiresAt: Date;
}

export function isAppToken(token: string): boolean {
  return token.startsWith(APP_TOKEN_PREFIX);
}

/**
 * Writes a new token for an app inside the caller's transaction (with its audit row). The
 * plaintext is returned here once and never stored.
 */
export async function insertAppToken(
  tx: Prisma.TransactionClient,
  appId: string,
  options: AppTokenOptions,
  actor: string,
): Promise<{ token: string; grant: AppTokenGrant }> {
  const lifeSeconds = options.lifeSeconds ?? APP_TOKEN_MAX_LIFE_SECONDS;
  if (
    !Number.isInteger(lifeSeconds) ||
    lifeSeconds < APP_TOKEN_MIN_LIFE_SECONDS ||
    lifeSeconds > APP_TOKEN_MAX_LIFE_SECONDS
  ) {
    throw apiErrors.validation([
      {
        field: "expiry",
        message: `must be a whole number of seconds from ${APP_TOKEN_MIN_LIFE_SECONDS} to ${APP_TOKEN_MAX_LIFE_SECONDS}`,
      },
    ]);
  }
  const token = randomToken(APP_TOKEN_PREFIX);
  const row = await tx.appToken.create({
    data: {
      id: newId("atk"),
      tokenHash: hashToken(token),
      appId,
      sessionId: options.sessionId ?? null,
      capabilities: [...new Set(options.capabilities ?? [])],
      featureFlags: [...new Set(options.featureFlags ?? [])],
      expiresAt: new Date(Date.now() + lifeSeconds * 1000),
      createdBy: actor,
    },
  });
  await recordAudit(tx, {
    appId,
    actor,
    action: "app_token.issued",
    targetType: "app",
    targetId: appId,
    details: { token_id: row.id, expires_in: lifeSeconds, session_id: row.sessionId },
  });
  return { token, grant: toGrant(row) };
}

/** Creates a token on its own (outside `appPortalAccess`). */
export async function createAppToken(
  appId: string,
  options: AppTokenOptions,
  actor: string,
): Promise<{ token: string; grant: AppTokenGrant }> {
  return getDb().prisma.$transaction((tx) => insertAppToken(tx, appId, options, actor));
}

/**
 * The grant behind a presented app token, or null when it is unknown, expired or revoked
 * (callers answer all three alike). Not cached: a revocation must hold from the next request.
 */
export async function findAppToken(token: string): Promise<AppTokenGrant | null> {
  if (!isAppToken(token) || token.length > 200) return null;
  const row = await getDb().prisma.appToken.findUnique({
    where: { tokenHash: hashToken(token) },
  });
  if (!row || row.expiresAt.getTime() <= Date.now()) return null;
  return toGrant(row);
}

/** Whether the grant may use a capability (a token listing none has them all). */
export function hasCapability(grant: AppTokenGrant, capability: AppPortalCapability) {
  const granted = grant.capabilities;
  if (granted.length === 0) return true;
  if (granted.includes(capability)) return true;
  // Svix: managing the endpoint includes its secret; managing the secret includes viewing it.
  if (capability === "ViewEndpointSecret")
    return granted.includes("ManageEndpointSecret") || granted.includes("ManageEndpoint");
  if (capability === "ManageEndpointSecret") return granted.includes("ManageEndpoint");
  return false;
}

/**
 * Svix's `expire-all`: the app's tokens stop working after `graceSeconds` (0: now), or only
 * those of the given sessions. Returns how many tokens were cut short.
 */
export async function revokeAppTokens(
  appId: string,
  options: { graceSeconds?: number; sessionIds?: readonly string[] } = {},
  actor = "system",
): Promise<number> {
  const graceSeconds = options.graceSeconds ?? 0;
  if (
    !Number.isInteger(graceSeconds) ||
    graceSeconds < 0 ||
    graceSeconds > APP_TOKEN_MAX_GRACE_SECONDS
  )
    throw apiErrors.validation([
      {
        field: "expiry",
        message: `must be a whole number of seconds from 0 to ${APP_TOKEN_MAX_GRACE_SECONDS}`,
      },
    ]);
  const until = new Date(Date.now() + graceSeconds * 1000);
  const sessionIds = options.sessionIds?.length ? [...options.sessionIds] : undefined;
  return getDb().prisma.$transaction(async (tx) => {
    const { count } = await tx.appToken.updateMany({
      where: {
        appId,
        expiresAt: { gt: until },
        ...(sessionIds ? { sessionId: { in: sessionIds } } : {}),
      },
      data: { expiresAt: until },
    });
    await recordAudit(tx, {
      appId,
      actor,
      action: "app_token.expired_all",
      targetType: "app",
      targetId: appId,
      details: { count, grace_seconds: graceSeconds, session_ids: sessionIds ?? null },
    });
    return count;
  });
}

/** Svix's `auth/logout`: ends the presented token at once. False if it was not a live token. */
export async function revokeAppToken(token: string, actor = "system"): Promise<boolean> {
  const grant = await findAppToken(token);
  return grant ? endAppToken(grant, actor) : false;
}

/** Ends a token found earlier (the request's own); false if it had ended meanwhile. */
export async function endAppToken(
  grant: Pick<AppTokenGrant, "tokenId" | "appId">,
  actor: string,
): Promise<boolean> {
  return getDb().prisma.$transaction(async (tx) => {
    const { count } = await tx.appToken.updateMany({
      where: { id: grant.tokenId, expiresAt: { gt: new Date() } },
      data: { expiresAt: new Date() },
    });
    if (count > 0)
      await recordAudit(tx, {
        appId: grant.appId,
        actor,
        action: "app_token.logged_out",
        targetType: "app",
        targetId: grant.appId,
        details: { token_id: grant.tokenId },
      });
    return count > 0;
  });
}

function toGrant(row: {
  id: string;
  appId: string;
  sessionId: string | null;
  capabilities: string[];
  featureFlags: string[];
  expiresAt: Date;
}): AppTokenGrant {
  return {
    tokenId: row.id,
    appId: row.appId,
    sessionId: row.sessionId,
    capabilities: row.capabilities.filter((c): c is AppPortalCapability =>
      (APP_PORTAL_CAPABILITIES as readonly string[]).includes(c),
    ),
    featureFlags: row.featureFlags,
    expiresAt: row.expiresAt,
  };
}
