/**
 * A real HTTP receiver on 127.0.0.1 (port 0) for delivery tests: records every request and
 * answers with whatever the test's handler decides. Close it in afterAll/finally.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export type ReceiverHandler = (
  req: ReceivedRequest,
  res: http.ServerResponse,
  index: number,
) => void | Promise<void>;

export interface Receiver {
  url: string;
  port: number;
  requests: ReceivedRequest[];
  /** Requests per webhook-id. */
  countsById(): Map<string, number>;
  setHandler(handler: ReceiverHandler): void;
  /** Resolves once `count` requests arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolves once `count` requests arrived; rejects when none arrived for `stallMs` (a big batch
   * on a busy machine is slow but steady: how long the whole takes is not what is tested).
   */
  waitWhileArriving(count: number, stallMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(
  handler: ReceiverHandler = (_req, res) => void res.end("ok"),
): Promise<Receiver> {
  let current = handler;
  const requests: ReceivedRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const received: ReceivedRequest = {
        method: req.method ?? "",
        path: req.url ?? "",
        headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      const index = requests.push(received) - 1;
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
      Promise.resolve(current(received, res, index)).catch(() => res.destroy());
    });
  });
  server.keepAliveTimeout = 2_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    requests,
    countsById() {
      const counts = new Map<string, number>();
      for (const r of requests) {
        const id = r.headers["webhook-id"] ?? "";
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    setHandler(next) {
      current = next;
    },
    waitFor(count, timeoutMs = 20_000) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `receiver got ${requests.length} of ${count} requests within ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
    async waitWhileArriving(count, stallMs = 30_000) {
      let seen = requests.length;
      let lastArrivalAt = Date.now();
      while (requests.length < count) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        if (requests.length > seen) {
          seen = requests.length;
          lastArrivalAt = Date.now();
        } else if (Date.now() - lastArrivalAt > stallMs) {
          throw new Error(
            `receiver got ${requests.length} of ${count} requests, none in the last ${stallMs} ms`,
          );
        }
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
