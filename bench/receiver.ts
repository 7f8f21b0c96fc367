/**
 * The benchmark's webhook receiver: a node:http server on 127.0.0.1 in its own process (forked
 * by bench/lib/receiver-client.ts, controlled over IPC). It answers 200 with an empty body at
 * once and counts requests per `webhook-id`, per bucket (the first path segment: /t/3 is bucket
 * "t"), so every phase can check that each delivery arrived exactly once. In buckets whose name
 * starts with "l" it also reads `data.t` (the sender's clock, epoch ms) from the JSON body and
 * keeps the trigger-to-receiver latency.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type ReceiverCommand =
  | { id: number; cmd: "reset"; bucket: string }
  | { id: number; cmd: "stats"; bucket: string }
  | { id: number; cmd: "wait"; bucket: string; unique: number; timeoutMs: number }
  | { id: number; cmd: "close" };

export interface BucketStats {
  bucket: string;
  requests: number;
  unique: number;
  /** Requests beyond the first per webhook-id. */
  duplicates: number;
  /** Epoch ms (fractional) of the first request and of the request that completed the last new id. */
  firstAt: number | null;
  lastUniqueAt: number | null;
  /** New ids per second since the first request (index 0 = first second). */
  perSecond: number[];
  /** Trigger-to-receiver latencies (ms), latency buckets only. */
  latencies?: number[];
  reachedTarget?: boolean;
}

interface Bucket {
  ids: Set<string>;
  requests: number;
  firstAt: number | null;
  lastUniqueAt: number | null;
  perSecond: number[];
  latencies: number[];
  waiters: { unique: number; resolve: () => void }[];
}

const now = () => performance.timeOrigin + performance.now();
const buckets = new Map<string, Bucket>();

function bucketOf(name: string): Bucket {
  let b = buckets.get(name);
  if (!b)
    buckets.set(
      name,
      (b = {
        ids: new Set(),
        requests: 0,
        firstAt: null,
        lastUniqueAt: null,
        perSecond: [],
        latencies: [],
        waiters: [],
      }),
    );
  return b;
}

function statsOf(name: string): BucketStats {
  const b = bucketOf(name);
  return {
    bucket: name,
    requests: b.requests,
    unique: b.ids.size,
    duplicates: b.requests - b.ids.size,
    firstAt: b.firstAt,
    lastUniqueAt: b.lastUniqueAt,
    perSecond: b.perSecond,
    ...(name.startsWith("l") ? { latencies: b.latencies } : {}),
  };
}

function record(name: string, id: string, at: number, body: string | null) {
  const b = bucketOf(name);
  b.requests++;
  b.firstAt ??= at;
  if (b.ids.has(id)) return;
  b.ids.add(id);
  b.lastUniqueAt = at;
  const second = Math.floor((at - b.firstAt) / 1000);
  if (second < 3_600) {
    while (b.perSecond.length <= second) b.perSecond.push(0);
    b.perSecond[second]!++;
  }
  if (body !== null) {
    const match = /"t":(\d+(?:\.\d+)?)/.exec(body);
    if (match) b.latencies.push(at - Number(match[1]));
  }
  if (b.waiters.length > 0) {
    b.waiters = b.waiters.filter((w) => {
      if (b.ids.size < w.unique) return true;
      w.resolve();
      return false;
    });
  }
}

const server = http.createServer((req, res) => {
  const url = req.url ?? "/";
  const slash = url.indexOf("/", 1);
  const name = url.slice(1, slash === -1 ? undefined : slash) || "-";
  const id = String(req.headers["webhook-id"] ?? req.headers["svix-id"] ?? "");
  if (name.startsWith("l")) {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      record(name, id, now(), body);
      res.end();
    });
  } else {
    req.on("data", () => {});
    req.on("end", () => {
      record(name, id, now(), null);
      res.end();
    });
  }
});
server.keepAliveTimeout = 30_000;
server.headersTimeout = 35_000;
server.maxRequestsPerSocket = 0;

const send = (message: unknown) => process.send?.(message);

process.on("message", (message: ReceiverCommand) => {
  switch (message.cmd) {
    case "reset":
      buckets.delete(message.bucket);
      send({ id: message.id, ok: true });
      break;
    case "stats":
      send({ id: message.id, stats: statsOf(message.bucket) });
      break;
    case "wait": {
      const b = bucketOf(message.bucket);
      const reply = (reachedTarget: boolean) =>
        send({ id: message.id, stats: { ...statsOf(message.bucket), reachedTarget } });
      if (b.ids.size >= message.unique) return reply(true);
      const timer = setTimeout(() => {
        b.waiters = b.waiters.filter((w) => w !== waiter);
        reply(false);
      }, message.timeoutMs);
      const waiter = {
        unique: message.unique,
        resolve: () => {
          clearTimeout(timer);
          reply(true);
        },
      };
      b.waiters.push(waiter);
      break;
    }
    case "close":
      server.close();
      server.closeAllConnections();
      send({ id: message.id, ok: true });
      setTimeout(() => process.exit(0), 50);
      break;
  }
});
// The parent is gone (even killed outright): nothing left to serve.
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => {
  send({ ready: true, port: (server.address() as AddressInfo).port });
});
