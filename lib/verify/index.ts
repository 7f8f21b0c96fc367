// Receiver-side helper for Hookline customers. Relative imports only, so this folder and its two
// dependencies can be lifted into a standalone package unchanged.
import { verify } from "node:crypto";
import { signPayload } from "../delivery/sign";
import { ED25519_PUBLIC_KEY_PREFIX, parseEd25519PublicKey } from "../crypto/ed25519-keys";
import { safeEqual } from "../crypto/secrets";

export type WebhookVerificationReason =
  | "missing_headers"
  | "invalid_timestamp"
  | "timestamp_too_old"
  | "timestamp_in_future"
  | "no_matching_signature";

export class WebhookVerificationError extends Error {
  readonly reason: WebhookVerificationReason;

  constructor(reason: WebhookVerificationReason, message: string) {
    super(message);
    this.name = "WebhookVerificationError";
    this.reason = reason;
  }
}

export type IncomingHeaders = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** How far the timestamp may be from `now`, either way. Default 300 s. */
  toleranceSeconds?: number;
  now?: Date;
}

export interface VerifiedWebhook {
  id: string;
  timestamp: number;
}

const DEFAULT_TOLERANCE_SECONDS = 300;

type HeaderReader = (name: string) => string | undefined;

function headerReader(headers: IncomingHeaders): HeaderReader {
  if (typeof Headers !== "undefined" && headers instanceof Headers) {
    return (name) => headers.get(name) ?? undefined;
  }
  const lowered = new Map<string, string>();
  for (const [name, value] of Object.entries(
    headers as Record<string, string | string[] | undefined>,
  )) {
    if (value === undefined) continue;
    // A repeated header arrives as an array (e.g. from node's IncomingMessage); join like fetch does.
    lowered.set(name.toLowerCase(), Array.isArray(value) ? value.join(", ") : value);
  }
  return (name) => lowered.get(name);
}

function readSignedHeaders(read: HeaderReader): {
  id: string;
  timestamp: string;
  signature: string;
} {
  // Hookline sends webhook-*; svix-* is accepted so receivers migrating from Svix keep working.
  // One family is used as a whole rather than mixing headers from both.
  for (const prefix of ["webhook", "svix"]) {
    const id = read(`${prefix}-id`)?.trim();
    const timestamp = read(`${prefix}-timestamp`)?.trim();
    const signature = read(`${prefix}-signature`)?.trim();
    if (id && timestamp && signature) return { id, timestamp, signature };
  }
  throw new WebhookVerificationError(
    "missing_headers",
    "Missing webhook-id, webhook-timestamp or webhook-signature header",
  );
}

/**
 * Verifies a Standard Webhooks request. Pass the raw request body exactly as received (not
 * re-serialised JSON). `secret` is a `whsec_` secret (checks `v1` signatures) or a `whpk_` Ed25519
 * public key (checks `v1a`); it may be a list during rotation: any one matching is enough.
 * Returns the message id (use it to de-duplicate retries) and timestamp; throws
 * WebhookVerificationError otherwise.
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: IncomingHeaders,
  rawBody: string | Buffer,
  opts: VerifyOptions = {},
): VerifiedWebhook {
  const secrets = typeof secret === "string" ? [secret] : secret;
  if (secrets.length === 0) throw new Error("verifyWebhook needs at least one secret");
  const toleranceSeconds = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((opts.now ?? new Date()).getTime() / 1000);

  const signed = readSignedHeaders(headerReader(headers));

  if (!/^\d{1,15}$/.test(signed.timestamp)) {
    throw new WebhookVerificationError(
      "invalid_timestamp",
      "webhook-timestamp is not a Unix time in seconds",
    );
  }
  const timestamp = Number(signed.timestamp);
  if (nowSeconds - timestamp > toleranceSeconds) {
    throw new WebhookVerificationError("timestamp_too_old", "Webhook timestamp is too old");
  }
  if (timestamp - nowSeconds > toleranceSeconds) {
    throw new WebhookVerificationError(
      "timestamp_in_future",
      "Webhook timestamp is too far in the future",
    );
  }

  const publicKeys = secrets
    .filter((s) => s.startsWith(ED25519_PUBLIC_KEY_PREFIX))
    .map(parseEd25519PublicKey);
  const hmacSecrets = secrets.filter((s) => !s.startsWith(ED25519_PUBLIC_KEY_PREFIX));
  const expected = hmacSecrets.map((s) =>
    signPayload({ secret: s, msgId: signed.id, timestamp, body: rawBody }),
  );
  const entries = signed.signature.split(" ");
  let matched = false;
  // Compare every pair (no early exit) so timing does not reveal which secret or position matched.
  for (const candidate of entries.filter((s) => s.startsWith("v1,"))) {
    for (const signature of expected) {
      if (safeEqual(candidate, signature)) matched = true;
    }
  }
  if (publicKeys.length > 0) {
    const data = Buffer.concat([
      Buffer.from(`${signed.id}.${timestamp}.`, "utf8"),
      typeof rawBody === "string" ? Buffer.from(rawBody, "utf8") : rawBody,
    ]);
    for (const candidate of entries.filter((s) => s.startsWith("v1a,"))) {
      const signature = Buffer.from(candidate.slice(4), "base64");
      for (const key of publicKeys) {
        if (signature.length === 64 && verify(null, data, key, signature)) matched = true;
      }
    }
  }
  if (!matched) {
    throw new WebhookVerificationError("no_matching_signature", "No matching webhook signature");
  }
  return { id: signed.id, timestamp };
}
