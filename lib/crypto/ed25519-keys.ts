/**
 * Ed25519 keys in the Standard Webhooks formats (asymmetric `v1a` signatures):
 * - `whsk_` + base64 of the 64-byte secret key, seed followed by public key (what Svix's server
 *   writes); the 32-byte seed alone (what the Go reference library reads) is accepted too.
 * - `whpk_` + base64 of the 32-byte public key (both agree), which every Ed25519 library takes
 *   as it is (node:crypto through JWK or SPKI, libsodium, Go's `ed25519.PublicKey`).
 * Only node:crypto is used, and imports are relative, so lib/verify can ship this file.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

export const ED25519_SECRET_KEY_PREFIX = "whsk_";
export const ED25519_PUBLIC_KEY_PREFIX = "whpk_";
const SEED_BYTES = 32;
const PUBLIC_KEY_BYTES = 32;
// The fixed DER header of an Ed25519 PKCS#8 private key (RFC 8410), for a seed without its public
// half. Keys with both halves are imported as JWK instead: about 40 times faster than DER in
// Node 20 (OpenSSL's decoder), which matters when 10,000 endpoints each sign for the first time.
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export interface Ed25519KeyPair {
  /** `whsk_...`: signs; never leaves Hookline except encrypted at rest. */
  signingKey: string;
  /** `whpk_...`: verifies; shown to the customer. */
  publicKey: string;
}

function decodeBase64(encoded: string, what: string): Buffer {
  // Buffer.from(..., "base64") silently skips junk, so check the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.replace(/=+$/, "").length % 4 === 1) {
    throw new Error(`Malformed ${what}: expected base64 after the prefix`);
  }
  return Buffer.from(encoded, "base64");
}

function withoutPrefix(value: string, prefix: string, what: string): string {
  if (!value.startsWith(prefix))
    throw new Error(`Malformed ${what}: expected '${prefix}' followed by base64`);
  return value.slice(prefix.length);
}

function rawPublicKey(key: KeyObject): Buffer {
  return Buffer.from(key.export({ format: "jwk" }).x!, "base64url");
}

/** A new key pair from node:crypto's CSPRNG. */
export function generateEd25519KeyPair(): Ed25519KeyPair {
  const { privateKey } = generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const seed = Buffer.from(jwk.d!, "base64url");
  const publicKey = Buffer.from(jwk.x!, "base64url");
  return {
    signingKey: ED25519_SECRET_KEY_PREFIX + Buffer.concat([seed, publicKey]).toString("base64"),
    publicKey: ED25519_PUBLIC_KEY_PREFIX + publicKey.toString("base64"),
  };
}

/**
 * The private KeyObject behind a `whsk_` key. Throws on a wrong prefix, length, or a 64-byte key
 * whose second half is not the seed's public key (a corrupted or spliced key).
 */
export function parseEd25519SigningKey(signingKey: string): KeyObject {
  const bytes = decodeBase64(
    withoutPrefix(signingKey, ED25519_SECRET_KEY_PREFIX, "Ed25519 signing key"),
    "Ed25519 signing key",
  );
  if (bytes.length !== SEED_BYTES && bytes.length !== SEED_BYTES + PUBLIC_KEY_BYTES) {
    throw new Error(
      `Malformed Ed25519 signing key: expected ${SEED_BYTES} or ${SEED_BYTES + PUBLIC_KEY_BYTES} bytes, got ${bytes.length}`,
    );
  }
  const seed = bytes.subarray(0, SEED_BYTES);
  if (bytes.length === SEED_BYTES)
    return createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: "der",
      type: "pkcs8",
    });
  const publicHalf = bytes.subarray(SEED_BYTES);
  // Node derives the public key from `d` (the given `x` is not kept), so comparing catches a splice.
  const privateKey = createPrivateKey({
    key: {
      kty: "OKP",
      crv: "Ed25519",
      d: seed.toString("base64url"),
      x: publicHalf.toString("base64url"),
    },
    format: "jwk",
  });
  if (!rawPublicKey(privateKey).equals(publicHalf)) {
    throw new Error("Malformed Ed25519 signing key: its public half does not belong to its seed");
  }
  return privateKey;
}

/** The public KeyObject behind a `whpk_` key (what a receiver verifies with). */
export function parseEd25519PublicKey(publicKey: string): KeyObject {
  const bytes = decodeBase64(
    withoutPrefix(publicKey, ED25519_PUBLIC_KEY_PREFIX, "Ed25519 public key"),
    "Ed25519 public key",
  );
  if (bytes.length !== PUBLIC_KEY_BYTES) {
    throw new Error(
      `Malformed Ed25519 public key: expected ${PUBLIC_KEY_BYTES} bytes, got ${bytes.length}`,
    );
  }
  return createPublicKey({
    key: { kty: "OKP", crv: "Ed25519", x: bytes.toString("base64url") },
    format: "jwk",
  });
}

/** The `whpk_` public key of a `whsk_` signing key. */
export function ed25519PublicKeyOf(signingKey: string): string {
  return (
    ED25519_PUBLIC_KEY_PREFIX +
    rawPublicKey(createPublicKey(parseEd25519SigningKey(signingKey))).toString("base64")
  );
}
