/**
 * Ed25519 key pairs of endpoints (`v1a` signatures), stored next to the HMAC secrets in
 * endpoint_secrets (kind `ed25519`): the `whsk_` signing key encrypted exactly like a `whsec_`
 * secret, the `whpk_` public key in clear so that reads never decrypt anything. A pair is made
 * the first time an endpoint needs one (it or its app switches to `ed25519` or `both`) and then
 * kept, so switching back and forth never changes the key a receiver trusts; rotation
 * (lib/endpoints/signing-secrets.ts) replaces it with the same grace as the HMAC secret.
 */
import type { Prisma } from "@/generated/prisma/client";
import { requireSecret } from "@/lib/config";
import { generateEd25519KeyPair } from "@/lib/crypto/ed25519-keys";
import { encryptSecret } from "@/lib/crypto/secrets";
import { getDb } from "@/lib/db/client";
import { signingMaterialFor, type SigningMaterial } from "@/lib/delivery/secret-cache";
import { newId } from "@/lib/ids";
import {
  effectiveSignatureScheme,
  signsWithEd25519,
  type EndpointPublicKey,
  type SignatureScheme,
} from "@/lib/endpoints/signature-scheme";

type Tx = Prisma.TransactionClient;

/** A new Ed25519 key pair's row (the signing key encrypted) and its public key. */
export function ed25519Row(endpointId: string) {
  const pair = generateEd25519KeyPair();
  return {
    row: {
      id: newId("sec"),
      endpointId,
      kind: "ed25519",
      secretEncrypted: encryptSecret(pair.signingKey, requireSecret()),
      publicKey: pair.publicKey,
    },
    publicKey: pair.publicKey,
  };
}

/** Gives every listed endpoint without a current Ed25519 key one. Returns how many were made. */
export async function ensureEd25519SigningKeys(
  tx: Tx,
  endpointIds: readonly string[],
): Promise<number> {
  if (endpointIds.length === 0) return 0;
  const have = await tx.endpointSecret.findMany({
    where: { endpointId: { in: [...endpointIds] }, kind: "ed25519", expiresAt: null },
    select: { endpointId: true },
  });
  const covered = new Set(have.map((r) => r.endpointId));
  const rows = [...new Set(endpointIds)]
    .filter((id) => !covered.has(id))
    .map((id) => ed25519Row(id).row);
  if (rows.length > 0) await tx.endpointSecret.createMany({ data: rows });
  return rows.length;
}

/**
 * The app's scheme, read under a share lock: an app switching its scheme (which updates the row,
 * then gives its inheriting endpoints keys) waits for an endpoint being created or changed in
 * the meantime, and that one waits for the switch, so no endpoint is left without a key.
 */
async function lockedAppScheme(tx: Tx, appId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<
    { signature_scheme: string }[]
  >`SELECT signature_scheme FROM apps WHERE id = ${appId} FOR SHARE`;
  return rows[0]?.signature_scheme ?? null;
}

/** After an endpoint was created or its scheme set: a key pair if its scheme (or its app's) needs one. */
export async function ensureEndpointSigningKeys(
  tx: Tx,
  appId: string,
  endpoint: { id: string; signatureScheme: string | null },
): Promise<void> {
  const scheme = effectiveSignatureScheme(
    endpoint.signatureScheme,
    endpoint.signatureScheme ? null : await lockedAppScheme(tx, appId),
  );
  if (signsWithEd25519(scheme)) await ensureEd25519SigningKeys(tx, [endpoint.id]);
}

/** After an app's scheme changed (the apps row is already updated in `tx`): keys for the endpoints that inherit it. */
export async function ensureAppSigningKeys(
  tx: Tx,
  appId: string,
  scheme: SignatureScheme,
): Promise<number> {
  if (!signsWithEd25519(scheme)) return 0;
  const inheriting = await tx.endpoint.findMany({
    where: { appId, deletedAt: null, signatureScheme: null },
    select: { id: true },
  });
  return ensureEd25519SigningKeys(
    tx,
    inheriting.map((e) => e.id),
  );
}

/** Unexpired public keys by endpoint: the current one first, then rotated-out ones, newest first. */
export async function publicKeysOf(
  endpointIds: readonly string[],
  db: Tx = getDb().prisma,
): Promise<Map<string, EndpointPublicKey[]>> {
  const out = new Map<string, EndpointPublicKey[]>();
  if (endpointIds.length === 0) return out;
  const rows = await db.endpointSecret.findMany({
    where: {
      endpointId: { in: [...endpointIds] },
      kind: "ed25519",
      OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { endpointId: true, publicKey: true, createdAt: true, expiresAt: true },
  });
  for (const row of rows) {
    if (!row.publicKey) continue;
    const list = out.get(row.endpointId) ?? [];
    const key = {
      public_key: row.publicKey,
      created_at: row.createdAt.toISOString(),
      expires_at: row.expiresAt?.toISOString() ?? null,
    };
    if (row.expiresAt === null) list.unshift(key);
    else list.push(key);
    out.set(row.endpointId, list);
  }
  return out;
}

/** What signs the endpoint's deliveries right now (the test send; claims read it in their own query). */
export async function activeSigningMaterial(
  endpoint: { id: string; appId: string; signatureScheme: string | null },
  db: Tx = getDb().prisma,
): Promise<SigningMaterial> {
  const [rows, app] = await Promise.all([
    db.endpointSecret.findMany({
      where: {
        endpointId: endpoint.id,
        OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }],
      },
      // Current first, as in the claim query.
      orderBy: [
        { expiresAt: { sort: "desc", nulls: "first" } },
        { createdAt: "desc" },
        { id: "desc" },
      ],
      select: { id: true, secretEncrypted: true, kind: true },
    }),
    endpoint.signatureScheme
      ? null
      : db.app.findUnique({ where: { id: endpoint.appId }, select: { signatureScheme: true } }),
  ]);
  const scheme = effectiveSignatureScheme(endpoint.signatureScheme, app?.signatureScheme);
  return signingMaterialFor(
    rows.map((r) => ({ id: r.id, enc: r.secretEncrypted, kind: r.kind })),
    scheme,
  );
}
