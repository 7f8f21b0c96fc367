/**
 * Endpoint signing secrets, encrypted at rest with a key derived from HOOKLINE_SECRET.
 * The current secret has no expiry; after a rotation the previous one keeps signing (a second
 * `v1,` signature) until its `expiresAt`, unless it was expired at once. Ed25519 keys (rows of
 * kind `ed25519`, lib/endpoints/ed25519-signing-keys.ts) share the table and the rotation.
 */
import type { Prisma } from "@/generated/prisma/client";
import { requireSecret } from "@/lib/config";
import { decryptSecret, encryptSecret, generateSigningSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { ed25519Row } from "@/lib/endpoints/ed25519-signing-keys";
import { newId } from "@/lib/ids";

export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 60 * 60;

type Tx = Prisma.TransactionClient;

/** Stores a new current secret (generated unless given) and returns its plaintext. */
export async function createSigningSecret(
  tx: Tx,
  endpointId: string,
  plaintext = generateSigningSecret(),
): Promise<string> {
  await tx.endpointSecret.create({
    data: {
      id: newId("sec"),
      endpointId,
      kind: "hmac",
      secretEncrypted: encryptSecret(plaintext, requireSecret()),
    },
  });
  return plaintext;
}

/**
 * Replaces the current secret of each endpoint, and its current Ed25519 key if it has one, in a
 * fixed number of set-based statements however many endpoints there are. The old ones stay valid
 * for `graceSeconds` (0: invalid at once); those already past their grace are deleted. The
 * endpoints' rows are locked first, in id order, so rotations sharing endpoints queue instead of
 * deadlocking, and each reads what the previous one wrote. An endpoint's new secret is its entry
 * in `supplied` when there is one (a caller's, already validated). Returns each new secret.
 */
export async function rotateSigningSecrets(
  tx: Tx,
  endpointIds: readonly string[],
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  supplied: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, string>> {
  if (endpointIds.length === 0) return new Map();
  const locked = await tx.$queryRaw<Array<{ id: string; has_ed25519: boolean }>>`
    SELECT e.id, EXISTS (
        SELECT 1 FROM endpoint_secrets s
        WHERE s.endpoint_id = e.id AND s.kind = 'ed25519' AND s.expires_at IS NULL) AS has_ed25519
    FROM endpoints e WHERE e.id = ANY(${[...endpointIds]}::text[])
    ORDER BY e.id FOR NO KEY UPDATE OF e`;
  const ids = locked.map((row) => row.id);
  const withKeys = locked.filter((row) => row.has_ed25519).map((row) => row.id);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + graceSeconds * 1000);
  if (graceSeconds <= 0) {
    await tx.endpointSecret.deleteMany({ where: { endpointId: { in: ids } } });
  } else {
    await tx.endpointSecret.deleteMany({
      where: { endpointId: { in: ids }, expiresAt: { lte: now } },
    });
    await tx.endpointSecret.updateMany({
      where: {
        endpointId: { in: ids },
        OR: [{ expiresAt: null }, { expiresAt: { gt: expiresAt } }],
      },
      data: { expiresAt },
    });
  }
  const master = requireSecret();
  const secrets = new Map(ids.map((id) => [id, supplied.get(id) ?? generateSigningSecret()]));
  await tx.endpointSecret.createMany({
    data: [
      ...withKeys.map((id) => ed25519Row(id).row),
      ...[...secrets].map(([endpointId, plaintext]) => ({
        id: newId("sec"),
        endpointId,
        kind: "hmac",
        secretEncrypted: encryptSecret(plaintext, master),
      })),
    ],
  });
  return secrets;
}

/** rotateSigningSecrets for one endpoint (`plaintext`: the caller's new secret); returns it. */
export async function rotateSigningSecret(
  tx: Tx,
  endpointId: string,
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  plaintext?: string,
): Promise<string> {
  const supplied = new Map(plaintext === undefined ? [] : [[endpointId, plaintext]]);
  const secret = (await rotateSigningSecrets(tx, [endpointId], graceSeconds, supplied)).get(
    endpointId,
  );
  if (!secret) throw new Error(`endpoint ${endpointId} does not exist`);
  return secret;
}

/** The plaintext of the current secret. */
export async function currentSigningSecret(
  endpointId: string,
  db: Tx = getDb().prisma,
): Promise<string> {
  const row = await db.endpointSecret.findFirst({
    where: { endpointId, kind: "hmac", expiresAt: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!row) throw new Error(`endpoint ${endpointId} has no signing secret`);
  return decryptSecret(row.secretEncrypted, requireSecret());
}

/** Every HMAC secret that signs right now: the current one first, then those within their grace. */
export async function activeSigningSecrets(
  endpointIds: string[],
  db: Tx = getDb().prisma,
): Promise<Map<string, string[]>> {
  const now = new Date();
  const rows = await db.endpointSecret.findMany({
    where: {
      endpointId: { in: endpointIds },
      kind: "hmac",
      OR: [{ expiresAt: null }, { expiresAt: { gt: now } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const master = requireSecret();
  const out = new Map<string, string[]>();
  for (const row of rows) {
    const list = out.get(row.endpointId) ?? [];
    const plain = decryptSecret(row.secretEncrypted, master);
    if (row.expiresAt === null) list.unshift(plain);
    else list.push(plain);
    out.set(row.endpointId, list);
  }
  return out;
}
