import { createHmac, sign, type KeyObject } from "node:crypto";
// Relative (not @/) so lib/verify, which depends on this file, stays liftable into a package.
import { decodeSigningSecret } from "../crypto/secrets";

export const USER_AGENT = "Hookline/1.0";

export interface SignInput {
  /** A `whsec_...` signing secret. */
  secret: string;
  msgId: string;
  /** Unix time in seconds. */
  timestamp: number;
  /** The exact bytes that will be sent; re-serialising JSON would break the signature. */
  body: string | Buffer;
}

function assertTimestamp(timestamp: number): void {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new Error(
      `Webhook timestamp must be a non-negative integer of seconds, got ${timestamp}`,
    );
  }
}

/** Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of "msgId.timestamp.body">`. */
export function signPayload({ secret, msgId, timestamp, body }: SignInput): string {
  assertTimestamp(timestamp);
  const hmac = createHmac("sha256", decodeSigningSecret(secret));
  hmac.update(`${msgId}.${timestamp}.`, "utf8");
  hmac.update(typeof body === "string" ? Buffer.from(body, "utf8") : body);
  return `v1,${hmac.digest("base64")}`;
}

/**
 * Standard Webhooks asymmetric signature: `v1a,<base64 Ed25519 signature of "msgId.timestamp.body">`.
 * `key` is the private KeyObject of a `whsk_` key (lib/crypto/ed25519-keys.ts), parsed once.
 */
export function signPayloadEd25519({
  key,
  msgId,
  timestamp,
  body,
}: Omit<SignInput, "secret"> & { key: KeyObject }): string {
  assertTimestamp(timestamp);
  const data = Buffer.concat([
    Buffer.from(`${msgId}.${timestamp}.`, "utf8"),
    typeof body === "string" ? Buffer.from(body, "utf8") : body,
  ]);
  return `v1a,${sign(null, data, key).toString("base64")}`;
}

/**
 * One signature per secret (`v1`) and per Ed25519 key (`v1a`), space-separated, so receivers keep
 * working during a rotation or a move from one scheme to the other.
 */
export function signatureHeader(
  secrets: readonly string[],
  msgId: string,
  timestamp: number,
  body: string | Buffer,
  ed25519Keys: readonly KeyObject[] = [],
): string {
  if (secrets.length === 0 && ed25519Keys.length === 0)
    throw new Error("At least one signing secret is required");
  return [
    ...secrets.map((secret) => signPayload({ secret, msgId, timestamp, body })),
    ...ed25519Keys.map((key) => signPayloadEd25519({ key, msgId, timestamp, body })),
  ].join(" ");
}

// Headers Hookline controls. Framing headers are included because a custom value would corrupt
// the request (node sets them itself).
const RESERVED_HEADERS = new Set([
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "svix-id",
  "svix-timestamp",
  "svix-signature",
  "content-length",
  "transfer-encoding",
  "connection",
  "host",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
]);

export interface BuildWebhookHeadersInput {
  msgId: string;
  timestamp: number;
  body: string | Buffer;
  secrets: readonly string[];
  /** Private keys that add a `v1a` signature each (after the `v1` ones). */
  ed25519Keys?: readonly KeyObject[];
  customHeaders?: Record<string, string> | null;
  /**
   * Also send the id, timestamp and signatures as `svix-id`, `svix-timestamp`, `svix-signature`
   * (the `svix` delivery format): receivers written for Svix read those names by hand.
   */
  svixHeaders?: boolean;
}

/**
 * Every header of a delivery request, lower-cased. Custom headers come first; headers Hookline
 * controls are dropped from them (case-insensitively) so they can never be overridden.
 */
export function buildWebhookHeaders({
  msgId,
  timestamp,
  body,
  secrets,
  ed25519Keys,
  customHeaders,
  svixHeaders = false,
}: BuildWebhookHeadersInput): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(customHeaders ?? {})) {
    const lower = name.toLowerCase();
    if (!RESERVED_HEADERS.has(lower)) headers[lower] = value;
  }
  headers["content-type"] = "application/json";
  headers["user-agent"] = USER_AGENT;
  const signatures = signatureHeader(secrets, msgId, timestamp, body, ed25519Keys);
  if (svixHeaders) {
    headers["svix-id"] = msgId;
    headers["svix-timestamp"] = String(timestamp);
    headers["svix-signature"] = signatures;
  }
  headers["webhook-id"] = msgId;
  headers["webhook-timestamp"] = String(timestamp);
  headers["webhook-signature"] = signatures;
  return headers;
}
