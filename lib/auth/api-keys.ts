import { getDb } from "@/lib/db/client";
import { hashToken, randomToken } from "@/lib/crypto/secrets";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/audit/record-audit";
import { createLookupCache, invalidateCaches } from "@/lib/cache/lookup-cache";

/**
 * Operator API keys (`hk_` + 256 random bits). Only their SHA-256 is stored: with that much
 * entropy a slow hash adds nothing, and lookup stays one indexed equality.
 */
export interface ApiKeySummary {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_PREFIX = "hk_";
const SHOWN_PREFIX_LENGTH = 10;
const summary = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Creates a key; the plaintext is returned here once and never stored. */
export async function createApiKey(
  input: { name: string },
  actor: string,
): Promise<{ apiKey: ApiKeySummary; key: string }> {
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw apiErrors.validation([{ field: "name", message: "must be 1 to 100 characters" }]);
  const key = randomToken(KEY_PREFIX);
  const apiKey = await getDb().prisma.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId("key"),
        name,
        prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
        keyHash: hashToken(key),
      },
      select: summary,
    });
    await recordAudit(tx, {
      actor,
      action: "api_key.created",
      targetType: "api_key",
      targetId: created.id,
      details: { name },
    });
    return created;
  });
  return { apiKey, key };
}

export async function listApiKeys(): Promise<ApiKeySummary[]> {
  return getDb().prisma.apiKey.findMany({
    select: summary,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
}

/** Revokes a key at once; revoking a revoked key is a no-op that returns it. */
export async function revokeApiKey(id: string, actor: string): Promise<ApiKeySummary> {
  const revoked = await getDb().prisma.$transaction(async (tx) => {
    const existing = await tx.apiKey.findUnique({ where: { id }, select: summary });
    if (!existing) throw apiErrors.notFound(`API key ${id}`);
    if (existing.revokedAt) return existing;
    const revoked = await tx.apiKey.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: summary,
    });
    await recordAudit(tx, {
      actor,
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: id,
    });
    return revoked;
  });
  invalidateCaches("api_keys"); // this process at once; others by notification
  return revoked;
}

const LAST_USED_RESOLUTION_MS = 60_000;
/** By key hash; unknown hashes are not cached (any string could be sent). */
const keysByHash = createLookupCache<ApiKeySummary | null>("api_keys", {
  keep: (key) => key !== null,
});

/** The credential of an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(authorization: string | null): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? null;
}

/**
 * The key behind an `Authorization: Bearer hk_...` header. Missing, malformed, unknown and
 * revoked keys all get the same 401, so the answer reveals nothing about which it was.
 */
export async function authenticateApiKey(authorization: string | null): Promise<ApiKeySummary> {
  const token = bearerToken(authorization);
  if (!token || !token.startsWith(KEY_PREFIX) || token.length > 200) throw apiErrors.unauthorized();
  const { prisma } = getDb();
  const keyHash = hashToken(token);
  const key = await keysByHash.get(keyHash, () =>
    prisma.apiKey.findUnique({ where: { keyHash }, select: summary }),
  );
  if (!key || key.revokedAt) throw apiErrors.unauthorized();
  const now = Date.now();
  if (!key.lastUsedAt || now - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    // Bookkeeping only: never fail or slow the request for it.
    void prisma.apiKey
      .update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } })
      .catch(() => {});
  }
  return key;
}
