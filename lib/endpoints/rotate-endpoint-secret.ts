import type { App } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import {
  DEFAULT_ROTATION_GRACE_SECONDS,
  rotateSigningSecret,
} from "@/lib/endpoints/signing-secrets";
import { publicKeysOf } from "@/lib/endpoints/ed25519-signing-keys";

export interface RotatedSecret {
  secret: string;
  /** When the previous secret stops signing; null when it was invalidated at once. */
  previousExpiresAt: Date | null;
  /** The new `whpk_` public key, when the endpoint has an Ed25519 key (rotated along); else null. */
  publicKey: string | null;
}

/**
 * New current secret (`secret` if given, a normalised `whsec_` one; else generated); the previous
 * one keeps signing for `graceSeconds` (default 24 h, 0: never).
 */
export async function rotateEndpointSecret(
  app: Pick<App, "id">,
  id: string,
  options: { graceSeconds?: number; secret?: string },
  actor: string,
): Promise<RotatedSecret> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  return getDb().prisma.$transaction(async (tx) => {
    const endpoint = await getEndpoint(app, id, tx);
    const secret = await rotateSigningSecret(tx, endpoint.id, graceSeconds, options.secret);
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "endpoint.secret_rotated",
      targetType: "endpoint",
      targetId: endpoint.id,
      details: { grace_period_seconds: graceSeconds, supplied: options.secret !== undefined },
    });
    const publicKey =
      (await publicKeysOf([endpoint.id], tx)).get(endpoint.id)?.find((k) => k.expires_at === null)
        ?.public_key ?? null;
    return {
      secret,
      previousExpiresAt: graceSeconds > 0 ? new Date(Date.now() + graceSeconds * 1000) : null,
      publicKey,
    };
  });
}
