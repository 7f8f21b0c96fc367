/**
 * What a receiver gets in the `hookline` format: the Standard Webhooks payload shape
 * `{ type, timestamp, data }`, where `data` is the payload the product triggered (the `svix`
 * format sends the payload alone, `buildRawDeliveryBody`). Built from stored columns only, so
 * every retry and replay of a delivery sends the same bytes.
 */
export interface DeliveryBodyInput {
  eventName: string;
  eventCreatedAt: Date;
  payload: unknown;
}

export function buildDeliveryBody({ payload, ...rest }: DeliveryBodyInput): string {
  return envelopeBody({ ...rest, payloadText: JSON.stringify(payload) });
}

/**
 * The `hookline` envelope around the payload's stored text, embedded as is: the receiver gets the
 * payload's keys in the order the producer sent them (re-serializing a parsed object would move
 * integer-like keys first). Otherwise the same bytes as `JSON.stringify({ type, timestamp, data })`.
 */
export function envelopeBody(input: {
  eventName: string;
  eventCreatedAt: Date;
  payloadText: string;
}): string {
  const head = JSON.stringify({
    type: input.eventName,
    timestamp: input.eventCreatedAt.toISOString(),
  });
  return `${head.slice(0, -1)},"data":${input.payloadText}}`;
}

/** The `svix` format's body from a payload value (the portal's curl); attempts send the stored text. */
export function buildRawDeliveryBody(payload: unknown): string {
  return JSON.stringify(payload);
}

const SIGNATURE_HEADERS = new Set(["webhook-signature", "svix-signature"]);
const SECRET_HEADER = /authorization|cookie|secret|token|password|api[-_]?key|signature/i;

/**
 * Request headers as stored on an attempt: signatures become `v1,***` (one per signature, so
 * the log still shows how many were sent) and secret-looking custom headers become `***`.
 */
export function maskRequestHeaders(headers: Record<string, string>): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (SIGNATURE_HEADERS.has(name)) {
      masked[name] = value
        .split(" ")
        .filter(Boolean)
        .map((sig) => `${sig.split(",")[0] ?? "v1"},***`)
        .join(" ");
    } else {
      masked[name] = SECRET_HEADER.test(name) ? "***" : value;
    }
  }
  return masked;
}
