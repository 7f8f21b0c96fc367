/**
 * What every contender delivers: the same event payload, the same Standard Webhooks body and
 * signature Hookline sends (lib/delivery/payload.ts, lib/delivery/sign.ts), POSTed over a
 * keep-alive agent to the same receiver.
 */
import http from "node:http";
import { buildDeliveryBody, maskRequestHeaders } from "@/lib/delivery/payload";
import { buildWebhookHeaders } from "@/lib/delivery/sign";

export const EVENT_NAME = "order.paid";
/** Endpoints per event in the throughput phase (the issue: "events fanned out to 10 endpoints"). */
export const FAN_OUT = 10;

/** A typical small event (about 300 bytes of JSON). */
export function samplePayload(i: number) {
  return {
    id: `ord_${String(i).padStart(8, "0")}`,
    customer: { id: `cus_${(i * 7919) % 100_000}`, email: `customer${i % 1000}@example.com` },
    amount: 1_000 + (i % 9_000),
    currency: "EUR",
    items: [
      { sku: "SKU-1", quantity: 1, price: 500 },
      { sku: "SKU-2", quantity: 2, price: 250 },
    ],
    paid_at: "2026-01-01T00:00:00.000Z",
  };
}

export interface SignedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** The body and headers Hookline would send for this delivery. */
export function signedRequest(input: {
  path: string;
  msgId: string;
  secret: string;
  eventCreatedAt: Date;
  payload: unknown;
  now?: Date;
}): SignedRequest {
  const body = buildDeliveryBody({
    eventName: EVENT_NAME,
    eventCreatedAt: input.eventCreatedAt,
    payload: input.payload,
  });
  const headers = buildWebhookHeaders({
    msgId: input.msgId,
    timestamp: Math.floor((input.now ?? new Date()).getTime() / 1000),
    body,
    secrets: [input.secret],
  });
  return { path: input.path, headers, body };
}

export { maskRequestHeaders };

export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, scheduling: "lifo", timeout: 4_000 });
}

export interface PostResult {
  status: number;
  headers: Record<string, string>;
  body: string;
  durationMs: number;
}

/** One POST; resolves with the response (never rejects for HTTP statuses). */
export function post(agent: http.Agent, port: number, req: SignedRequest): Promise<PostResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const r = http.request({
      host: "127.0.0.1",
      port,
      path: req.path,
      method: "POST",
      agent,
      headers: { ...req.headers, "content-length": String(Buffer.byteLength(req.body)) },
    });
    r.setTimeout(30_000, () => r.destroy(new Error("timed out after 30 s")));
    r.on("error", reject);
    r.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers))
          if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({
          status: res.statusCode ?? 0,
          headers,
          body,
          durationMs: Math.round(performance.now() - started),
        });
      });
      res.on("error", reject);
    });
    r.end(req.body);
  });
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` at once; resolves when all are done. */
export async function pool(
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

export const now = () => performance.timeOrigin + performance.now();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
