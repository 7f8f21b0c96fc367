/**
 * How an endpoint signs: `hmac` (Standard Webhooks `v1`, a `whsec_` secret), `ed25519` (`v1a`, a
 * `whsk_` key whose `whpk_` public key the customer verifies with) or `both` (one header with both
 * kinds, for moving a receiver from one to the other). An app sets the default of its endpoints;
 * an endpoint's own setting (null: inherit) overrides it.
 */
import { z } from "zod";

export const SIGNATURE_SCHEMES = ["hmac", "ed25519", "both"] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const DEFAULT_SIGNATURE_SCHEME: SignatureScheme = "hmac";

export const signatureScheme = z.enum(SIGNATURE_SCHEMES, {
  message: 'must be one of "hmac", "ed25519", "both"',
});

/** The scheme in force: the endpoint's own, else its app's (anything unknown reads as the default). */
export function effectiveSignatureScheme(
  endpointScheme: string | null | undefined,
  appScheme: string | null | undefined,
): SignatureScheme {
  const chosen = endpointScheme ?? appScheme;
  return (SIGNATURE_SCHEMES as readonly string[]).includes(chosen ?? "")
    ? (chosen as SignatureScheme)
    : DEFAULT_SIGNATURE_SCHEME;
}

export const signsWithHmac = (scheme: SignatureScheme): boolean => scheme !== "ed25519";
export const signsWithEd25519 = (scheme: SignatureScheme): boolean => scheme !== "hmac";

/** The rows of endpoint_secrets: `hmac` holds a `whsec_` secret, `ed25519` a `whsk_` key. */
export type SigningKeyKind = "hmac" | "ed25519";

/** One public key that verifies this endpoint's `v1a` signatures now. */
export const endpointPublicKey = z.object({
  public_key: z.string().describe("`whpk_` + base64 of the 32-byte Ed25519 public key."),
  created_at: z.string(),
  /** Null for the current key; set for a rotated-out key that still signs until then. */
  expires_at: z.string().nullable(),
});
export type EndpointPublicKey = z.infer<typeof endpointPublicKey>;

/** The signing fields of an endpoint response. The private `whsk_` key is never answered. */
export const endpointSigningFields = {
  signature_scheme: signatureScheme
    .nullable()
    .describe(
      "The endpoint's own choice: `hmac` (v1), `ed25519` (v1a) or `both`; null inherits the app's.",
    ),
  effective_signature_scheme: signatureScheme.describe(
    "The scheme deliveries are signed with now (the endpoint's, else the app's).",
  ),
  public_key: z
    .string()
    .nullable()
    .describe(
      "The current `whpk_` Ed25519 public key to verify `v1a` signatures with; null until the endpoint first signs with Ed25519.",
    ),
  public_keys: z
    .array(endpointPublicKey)
    .describe(
      "The endpoint's unexpired Ed25519 public keys: the current one first, then rotated-out ones, which keep adding a `v1a` signature until `expires_at`.",
    ),
};
