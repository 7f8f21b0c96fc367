/**
 * An event's payload as JSON text, keys in the producer's order (issue 20). `events.payload` is
 * jsonb, which reorders object keys (shorter first) and drops duplicates: it serves the payload
 * search and endpoint filters only. `events.payload_text` holds the text as accepted, and is what
 * a receiver gets and what the APIs answer.
 *
 * The text is the request body's own `payload` member, whitespace between tokens removed
 * (`producerPayloadText`): integer-like keys ("1", "42") keep their place too, which any parsed
 * JavaScript object would move first. Without that text (a payload given as a value, or one naming
 * a key twice), it is the parsed payload re-serialized.
 */
import { compactJsonText, membersNamed, valueKeepingText } from "@/lib/react/json-text";

/** The stored columns a payload's text is read from. */
export interface StoredPayload {
  payloadText: string | null;
  /** The jsonb, read only where `payloadText` is null. */
  payload: unknown;
}

/**
 * The payload's JSON text, or null once retention removed it. Events stored before
 * `payload_text` existed have only the jsonb (their order was already lost): it is serialized as
 * deliveries always did, so their retries send the same bytes as before.
 */
export function payloadTextOf(stored: StoredPayload): string | null {
  if (stored.payloadText !== null) return stored.payloadText;
  return stored.payload === null || stored.payload === undefined
    ? null
    : JSON.stringify(stored.payload);
}

/**
 * The payload as a value for an API answer: its stored text, which the answer (lib/http/route.ts,
 * `json`) writes as it is, keys in the order sent.
 */
export function payloadValueOf(stored: StoredPayload): unknown {
  if (stored.payloadText !== null) return valueKeepingText(stored.payloadText);
  return stored.payload ?? null;
}

/**
 * The top-level `payload` member of a request body as its producer wrote it, compacted; undefined
 * when it cannot serve (no such member, or a key named twice: the parsed value keeps the last).
 */
export function producerPayloadText(body: string): string | undefined {
  if (!body.includes('"payload"')) return undefined;
  try {
    const member = membersNamed(body, "payload", 1).at(-1);
    return (member && compactJsonText(body.slice(member.start, member.end))) ?? undefined;
  } catch {
    return undefined;
  }
}

/**
 * SQL for the claim and log reads: `payload_text`, and the jsonb only for events without it (so a
 * payload is never read twice). `ev` is the events alias; `wanted`, SQL true where it is needed.
 */
export function payloadTextColumns(ev: string, wanted = "true"): string {
  return `CASE WHEN ${wanted} THEN ${ev}.payload_text END AS payload_text,
  CASE WHEN ${wanted} AND ${ev}.payload_text IS NULL THEN ${ev}.payload END AS payload`;
}
