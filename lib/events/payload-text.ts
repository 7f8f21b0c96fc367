/**
 * An event's payload as JSON text, keys in the producer's order (issue 20). `events.payload` is
 * jsonb, which reorders object keys (shorter first) and drops duplicates: it serves the payload
 * search and endpoint filters only. `events.payload_text` holds the text as accepted, and is what
 * a receiver gets and what the APIs answer.
 *
 * The text is the accepted payload re-serialized compactly (`JSON.stringify` of the parsed body):
 * key order survives, except that JavaScript puts integer-like keys ("1", "42") first in any parsed
 * object, so those come first from the moment the body is parsed.
 */

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
 * The payload as a value for an API answer, parsed from its text: a JSON answer serializes it with
 * its keys in the order sent (integer-like keys aside, see above).
 */
export function payloadValueOf(stored: StoredPayload): unknown {
  if (stored.payloadText !== null) return JSON.parse(stored.payloadText) as unknown;
  return stored.payload ?? null;
}

/**
 * SQL for the claim and log reads: `payload_text`, and the jsonb only for events without it (so a
 * payload is never read twice). `ev` is the events alias; `wanted`, SQL true where it is needed.
 */
export function payloadTextColumns(ev: string, wanted = "true"): string {
  return `CASE WHEN ${wanted} THEN ${ev}.payload_text END AS payload_text,
  CASE WHEN ${wanted} AND ${ev}.payload_text IS NULL THEN ${ev}.payload END AS payload`;
}
