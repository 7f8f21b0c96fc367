import {
  createCipheriv,
  createDecipheriv,
  createHash,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

const SIGNING_SECRET_PREFIX = "whsec_";
const SIGNING_SECRET_BYTES = 24;
// Same bounds Svix applies to caller-supplied secrets: shorter is weak, longer is pointless.
const MIN_SIGNING_SECRET_BYTES = 24;
const MAX_SIGNING_SECRET_BYTES = 64;

const ENCRYPTION_VERSION = "v1";
const HKDF_INFO = "hookline:signing-secrets:v1";
const IV_BYTES = 12;
const AUTH_TAG_BYTES = 16;

/** A new endpoint signing secret: `whsec_` + base64 of 24 random bytes. */
export function generateSigningSecret(): string {
  return SIGNING_SECRET_PREFIX + randomBytes(SIGNING_SECRET_BYTES).toString("base64");
}

/** The raw HMAC key behind a `whsec_...` secret. Throws on anything malformed. */
export function decodeSigningSecret(secret: string): Buffer {
  const encoded = secret.startsWith(SIGNING_SECRET_PREFIX)
    ? secret.slice(SIGNING_SECRET_PREFIX.length)
    : secret;
  // Buffer.from(..., "base64") silently skips junk, so validate the alphabet first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded) || encoded.replace(/=+$/, "").length % 4 === 1) {
    throw new Error("Malformed signing secret: expected 'whsec_' followed by base64");
  }
  const key = Buffer.from(encoded, "base64");
  if (key.length < MIN_SIGNING_SECRET_BYTES || key.length > MAX_SIGNING_SECRET_BYTES) {
    throw new Error(
      `Malformed signing secret: key must be ${MIN_SIGNING_SECRET_BYTES}-${MAX_SIGNING_SECRET_BYTES} bytes, got ${key.length}`,
    );
  }
  return key;
}

/**
 * A caller-supplied signing secret in the form Hookline stores and shows: `whsec_` + the base64
 * as given (Svix accepts it with or without the prefix). Throws on anything malformed.
 */
export function normalizeSigningSecret(secret: string): string {
  decodeSigningSecret(secret);
  return secret.startsWith(SIGNING_SECRET_PREFIX) ? secret : SIGNING_SECRET_PREFIX + secret;
}

// One process uses one master secret (two in tests): derive once, not per secret.
const derivedKeys = new Map<string, Buffer>();

function deriveEncryptionKey(masterSecret: string): Buffer {
  if (masterSecret.length === 0) throw new Error("Master secret must not be empty");
  let key = derivedKeys.get(masterSecret);
  if (!key) {
    // Empty salt is fine for HKDF when the input is already high-entropy; the info string
    // separates this key from any other key derived from the same master secret.
    key = Buffer.from(hkdfSync("sha256", masterSecret, Buffer.alloc(0), HKDF_INFO, 32));
    if (derivedKeys.size > 8) derivedKeys.clear();
    derivedKeys.set(masterSecret, key);
  }
  return key;
}

/** AES-256-GCM encryption for secrets at rest. Output: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(plaintext: string, masterSecret: string): string {
  const key = deriveEncryptionKey(masterSecret);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: AUTH_TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [
    ENCRYPTION_VERSION,
    iv.toString("base64url"),
    tag.toString("base64url"),
    ciphertext.toString("base64url"),
  ].join(".");
}

/** Inverse of encryptSecret. Throws if the format is wrong, the key is wrong, or the data was altered. */
export function decryptSecret(ciphertext: string, masterSecret: string): string {
  const parts = ciphertext.split(".");
  const [version, ivText, tagText, dataText] = parts;
  if (
    parts.length !== 4 ||
    version !== ENCRYPTION_VERSION ||
    ivText === undefined ||
    tagText === undefined ||
    dataText === undefined
  ) {
    throw new Error("Malformed encrypted secret: expected 'v1.<iv>.<tag>.<ciphertext>'");
  }
  const iv = Buffer.from(ivText, "base64url");
  const tag = Buffer.from(tagText, "base64url");
  const data = Buffer.from(dataText, "base64url");
  if (iv.length !== IV_BYTES || tag.length !== AUTH_TAG_BYTES) {
    throw new Error("Malformed encrypted secret: bad IV or auth tag length");
  }
  const key = deriveEncryptionKey(masterSecret);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: AUTH_TAG_BYTES });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString("utf8");
  } catch {
    // GCM cannot tell a wrong key from tampering; either way the value is unusable.
    throw new Error(
      "Could not decrypt secret: wrong master secret or the ciphertext was tampered with",
    );
  }
}

/** SHA-256 hex digest, for storing API keys and tickets without storing the token itself. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** An unguessable token: `prefix` + base64url of `bytes` random bytes. */
export function randomToken(prefix: string, bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 16) {
    throw new Error("randomToken needs at least 16 random bytes");
  }
  return prefix + randomBytes(bytes).toString("base64url");
}

/**
 * Constant-time string comparison. Both sides are hashed first so that inputs of different
 * lengths take the same time and timingSafeEqual never throws on a length mismatch.
 */
export function safeEqual(a: string, b: string): boolean {
  const digestA = createHash("sha256").update(a, "utf8").digest();
  const digestB = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(digestA, digestB);
}
