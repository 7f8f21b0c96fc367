import { z } from "zod";

/**
 * Extra headers an endpoint sends with every delivery. Hop-by-hop headers would break the
 * request framing or the proxy chain, and the signature and content headers are Hookline's own:
 * letting a customer set them would let them forge or confuse what receivers verify.
 */
// `expect` too: it changes the request's framing (100-continue), and the client does not send it.
const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host", "content-length", "expect"]);
const RESERVED = new Set(["content-type", "user-agent"]);
const RESERVED_PREFIXES = ["webhook-", "svix-"];

export const MAX_CUSTOM_HEADERS = 20;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/;

/** Why a header may not be set by an endpoint, or null when it may. */
export function forbiddenHeaderReason(name: string): string | null {
  const lower = name.toLowerCase();
  if (HOP_BY_HOP.has(lower) || lower.startsWith("proxy-")) return "is a hop-by-hop header and cannot be set";
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
      .regex(/^[^\r\n\0]*$/, "must not contain line breaks or NUL"),
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
        ctx.addIssue({ code: "custom", path: [name], message: "is given twice (header names are case-insensitive)" });
      }
      seen.add(lower);
    }
  })
  .describe("Extra request headers; hop-by-hop, signature (webhook-*, svix-*), content-type and user-agent are refused.");
