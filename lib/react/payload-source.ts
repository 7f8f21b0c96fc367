/**
 * Payloads as their producer wrote them, in the browser. The API answers a payload in its stored
 * text, but `JSON.parse` puts an object's integer-like keys first: the frontend client remembers
 * the text of each `payload` member of an answer beside the parsed object, so the portal shows
 * and copies the payload in its own order (lib/portal/format.ts, `prettyBody`).
 */
import { membersNamed } from "@/lib/react/json-text";

const sources = new WeakMap<object, string>();

/** The payload's text as answered, when the client read it from an answer. */
export function payloadSourceOf(value: unknown): string | undefined {
  return typeof value === "object" && value !== null ? sources.get(value) : undefined;
}

/** Records the text of each `payload` member of `text` beside the same member of `parsed`. */
export function rememberPayloadSources(text: string, parsed: unknown): void {
  if (!text.includes('"payload"')) return;
  try {
    for (const { path, start, end } of membersNamed(text, "payload")) {
      const value = path.reduce<unknown>(
        (node, key) => (node as Record<string | number, unknown> | null)?.[key],
        parsed,
      );
      if (typeof value === "object" && value !== null) sources.set(value, text.slice(start, end));
    }
  } catch {
    // Not the JSON that was parsed: the parsed value is shown as it is.
  }
}
