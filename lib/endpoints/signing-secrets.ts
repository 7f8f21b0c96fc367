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
import { createEd25519SigningKey } from "@/lib/endpoints/ed25519-signing-keys";
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
 * Replaces the current secret, and the current Ed25519 key if the endpoint has one. The old ones
 * stay valid for `graceSeconds` (0: invalid at once); those already past their grace are deleted.
 * The new secret is `plaintext` when given (a caller's, already validated). Returns its plaintext.
 */
export async function rotateSigningSecret(
  tx: Tx,
  endpointId: string,
  graceSeconds = DEFAULT_ROTATION_GRACE_SECONDS,
  plaintext?: string,
): Promise<string> {
  const now = new Date();
  const hasEd25519Key =
    (await tx.endpointSecret.count({ where: { endpointId, kind: "ed25519", expiresAt: null } })) >
    0;
  await tx.endpointSecret.deleteMany({ where: { endpointId, expiresAt: { lte: now } } });
  await tx.endpointSecret.updateMany({
    where: {
      endpointId,
      OR: [
        { expiresAt: null },
        { expiresAt: { gt: new Date(now.getTime() + graceSeconds * 1000) } },
      ],
    },
    data: { expiresAt: new Date(now.getTime() + graceSeconds * 1000) },
  });
  if (graceSeconds <= 0) await tx.endpointSecret.deleteMany({ where: { endpointId } });
  if (hasEd25519Key) await createEd25519SigningKey(tx, endpointId);
  return createSigningSecret(tx, endpointId, plaintext);
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
