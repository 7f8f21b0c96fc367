import { z } from "zod";

/**
 * Extra headers an endpoint sends with every delivery. Hop-by-hop headers would break the
 * request framing or the proxy chain, and the signature and content headers are Hookline's own:
 * letting a customer set them would let them forge or confuse what receivers verify.
 */
// `expect` too: it changes the request's framing (100-continue), and the client does not send it.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "host",
  "content-length",
  "expect",
]);
const RESERVED = new Set(["content-type", "user-agent"]);
const RESERVED_PREFIXES = ["webhook-", "svix-"];

export const MAX_CUSTOM_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;
/**
 * RFC 9110 §5.5 field-value, US-ASCII only (obs-text is obsolete and cannot be sent from a JS
 * string without re-encoding): VCHARs, with SP/HTAB allowed only between them.
 */
const FIELD_VALUE = /^(?:[\x21-\x7e](?:[\x20\x09]*[\x21-\x7e])*)?$/;

/** Values of these headers are credentials: reads show them masked, like signing secrets. */
const SENSITIVE =
  /^(?:authorization|cookie|x-api-key|api-key)$|token|secret|password|passwd|auth|key|session|credential|signature/i;
const MASK_PREFIX = "********";

export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE.test(name);
}

/** The value as reads show it: sensitive ones keep their last 4 characters at most. */
export function maskHeaderValue(name: string, value: string): string {
  if (!isSensitiveHeader(name)) return value;
  return value.length >= 16 ? `${MASK_PREFIX}${value.slice(-4)}` : MASK_PREFIX;
}

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, maskHeaderValue(name, value)]),
  );
}

/**
 * The headers as reads show them, from an endpoint row: its `headers` column is stored masked
 * (lib/endpoints/stored-headers.ts) unless the row predates encryption and is still plaintext.
 */
export function readableHeaders(row: {
  headers: unknown;
  headersEncrypted: string | null;
}): Record<string, string> {
  const headers = (row.headers ?? {}) as Record<string, string>;
  return row.headersEncrypted === null ? maskHeaders(headers) : headers;
}

/**
 * An update that sends back a masked value as it was read keeps the stored value: a client can
 * round-trip an endpoint without knowing (or erasing) its credentials.
 */
export function keepMaskedHeaders(
  next: Record<string, string>,
  stored: unknown,
): Record<string, string> {
  const current = (stored ?? {}) as Record<string, string>;
  const byLower = new Map(Object.entries(current).map(([k, v]) => [k.toLowerCase(), v]));
  return Object.fromEntries(
    Object.entries(next).map(([name, value]) => {
      const old = byLower.get(name.toLowerCase());
      return [
        name,
        old !== undefined && isSensitiveHeader(name) && value === maskHeaderValue(name, old)
          ? old
          : value,
      ];
    }),
  );
}

/** Why a header may not be set by an endpoint, or null when it may. */
export function forbiddenHeaderReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (HOP_BY_HOP.has(lower) || lower.startsWith("proxy-"))
    return "is a hop-by-hop header and cannot be set";
  if (RESERVED.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p))) {
    return "is set by Hookline on every delivery (signature and content headers cannot be overridden)";
  }
  return null;
}

export const customHeaders = z
  .record(
    z.string(),
    z
      .string({ message: "must be a string" })
      .max(4096, "must be at most 4096 characters")
      .refine((v) => FIELD_VALUE.test(v), {
        message:
          "must be an RFC 9110 field value: visible ASCII characters, with spaces or tabs only between them",
      }),
  )
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_CUSTOM_HEADERS) {
      ctx.addIssue({ code: "custom", message: `at most ${MAX_CUSTOM_HEADERS} headers` });
    }
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!HEADER_NAME.test(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: "is not a valid header name" });
      } else if (forbiddenHeaderReason(name)) {
        ctx.addIssue({ code: "custom", path: [name], message: forbiddenHeaderReason(name)! });
      } else if (seen.has(lower)) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "is given twice (header names are case-insensitive)",
        });
      }
      seen.add(lower);
    }
  })
  .describe(
    "Extra request headers; hop-by-hop, signature (webhook-*, svix-*), content-type and user-agent are refused.",
  );
