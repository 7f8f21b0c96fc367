/**
 * A delivery attempt as a `curl` command a developer can paste into a shell: the same URL,
 * headers (as the log stores them: signatures masked) and body bytes the attempt sent.
 */
import { buildDeliveryBody, buildRawDeliveryBody } from "@/lib/delivery/payload";

/** POSIX shell single-quoting: safe for any text, newlines included. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface CurlInput {
  url: string;
  headers: Record<string, string>;
  eventName: string;
  eventCreatedAt: string;
  payload: unknown;
}

/** The body the attempt sent: the payload alone in the svix format (it sends `svix-id`), else the envelope. */
export function attemptBody(input: Omit<CurlInput, "url">): string {
  if ("svix-id" in input.headers) return buildRawDeliveryBody(input.payload);
  return buildDeliveryBody({
    eventName: input.eventName,
    eventCreatedAt: new Date(input.eventCreatedAt),
    payload: input.payload,
  });
}

export function curlCommand(input: CurlInput): string {
  const lines = [`curl -X POST ${shellQuote(input.url)}`];
  for (const [name, value] of Object.entries(input.headers))
    lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  lines.push(`  --data-raw ${shellQuote(attemptBody(input))}`);
  return lines.join(" \\\n");
}
