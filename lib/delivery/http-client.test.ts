import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import {
  createDeliveryAgents,
  DEFAULT_IDLE_TIMEOUT_MS,
  parseRetryAfter,
  postWebhook,
  type DeliveryAgents,
  type DeliveryAgentsOptions,
} from "@/lib/delivery/http-client";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
  port: number;
  url: string;
  connections: number;
  /** Connections the client or server has closed so far. */
  closed: number;
  requests: Array<{
    method?: string;
    url?: string;
    headers: http.IncomingHttpHeaders;
    body: string;
  }>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function startServer(
  handler: Handler,
  configure?: (server: http.Server) => void,
): Promise<TestServer> {
  const state: TestServer = { port: 0, url: "", connections: 0, closed: 0, requests: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      state.requests.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res);
    });
  });
  server.on("connection", (socket) => {
    state.connections++;
    socket.on("close", () => state.closed++);
  });
  configure?.(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return state;
}

/** A bare TCP server that answers every connection with `reply` (for responses node:http would not send). */
async function startRawServer(reply: string): Promise<TestServer> {
  const state: TestServer = { port: 0, url: "", connections: 0, closed: 0, requests: [] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on("close", () => state.closed++);
    socket.once("data", () => socket.write(reply));
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.port = (server.address() as AddressInfo).port;
  state.url = `http://127.0.0.1:${state.port}`;
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return state;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function useAgents(options?: DeliveryAgentsOptions): DeliveryAgents {
  const agents = createDeliveryAgents(options);
  cleanups.push(() => agents.destroy());
  return agents;
}

const base = {
  headers: { "content-type": "application/json", "webhook-id": "msg_1" },
  body: '{"a":1}',
  timeoutMs: 3000,
};

describe("postWebhook against real servers", () => {
  it("delivers and records a 200 response", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "x-reply": "yes", "content-type": "text/plain" });
      res.end("thanks");
    });
    const result = await postWebhook({
      ...base,
      url: `${server.url}/hooks?x=1`,
      allowPrivate: true,
    });
    expect(result).toMatchObject({
      ok: true,
      status: 200,
      body: "thanks",
      bodyTruncated: false,
      error: null,
      errorCode: null,
      retryAfterSeconds: null,
    });
    expect(result.headers?.["x-reply"]).toBe("yes");
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: "POST", url: "/hooks?x=1", body: '{"a":1}' });
    expect(request?.headers["webhook-id"]).toBe("msg_1");
    expect(request?.headers["content-length"]).toBe("7");
  });

  it("reports a 500 as not ok", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(500);
      res.end("boom");
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: 500, body: "boom", errorCode: null });
  });

  it("does not follow a redirect", async () => {
    const elsewhere = await startServer((_req, res) => res.end("should not be reached"));
    const server = await startServer((_req, res) => {
      res.writeHead(302, { location: `${elsewhere.url}/other` });
      res.end();
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: 302, errorCode: "redirect" });
    expect(result.error).toContain("/other");
    expect(elsewhere.connections).toBe(0);
  });

  it("parses Retry-After on a 429", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(429, { "retry-after": "120" });
      res.end();
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({
      ok: false,
      status: 429,
      retryAfterSeconds: 120,
      errorCode: null,
    });
  });

  it("times out a server that never answers, within about the timeout", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const started = Date.now();
    const result = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      timeoutMs: 300,
    });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({
      ok: false,
      status: null,
      errorCode: "timeout",
      error: "timed out after 300 ms",
    });
    // Not before the timeout (a lower bound: a busy machine only makes it later).
    expect(elapsed).toBeGreaterThanOrEqual(280);
  });

  it("counts a body that arrives too slowly against the same timeout", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write("partial");
      // ...and never finishes.
    });
    const result = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      timeoutMs: 300,
    });
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: "timeout", body: "partial" });
  });

  it("reports connection refused", async () => {
    const port = await closedPort();
    const result = await postWebhook({
      ...base,
      url: `http://127.0.0.1:${port}/`,
      allowPrivate: true,
    });
    expect(result).toMatchObject({
      ok: false,
      status: null,
      errorCode: "connection_refused",
      error: `connection refused by 127.0.0.1:${port}`,
    });
  });

  it("reports a reset when the server drops the connection", async () => {
    const server = await startServer((req) => req.socket.destroy());
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "connection_reset" });
    expect(result.error).toContain("127.0.0.1");
  });

  it("reports a reset when the server drops the connection mid-body", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000" });
      res.write("only a little", () => res.socket?.destroy());
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: "connection_reset" });
  });

  it("keeps only the first maxResponseBytes of a 10 MB body", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(10 * 1024 * 1024, "a"));
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: true, status: 200, bodyTruncated: true });
    expect(result.body).toHaveLength(65_536);
  });

  it("honours a custom maxResponseBytes and keeps exact-size bodies whole", async () => {
    const server = await startServer((_req, res) => res.end("0123456789"));
    const cut = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      maxResponseBytes: 4,
    });
    expect(cut).toMatchObject({ body: "0123", bodyTruncated: true });
    const whole = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      maxResponseBytes: 10,
    });
    expect(whole).toMatchObject({ body: "0123456789", bodyTruncated: false });
  });

  it("cuts an endless body at the cap and returns promptly", async () => {
    const limit = 512 * 1024 * 1024; // the server gives up here at the latest
    let sent = 0;
    let serverSawClose = false;
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.on("close", () => (serverSawClose = true));
      const chunk = Buffer.alloc(16 * 1024, "x");
      const pump = () => {
        while (!res.destroyed && sent < limit) {
          sent += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        if (!res.destroyed) res.end();
      };
      pump();
    });
    const result = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      timeoutMs: 5000,
    });
    // Answered, not timed out: reading stopped at the cap rather than running to the timeout.
    expect(result).toMatchObject({ ok: true, status: 200, bodyTruncated: true, errorCode: null });
    expect(result.body).toHaveLength(65_536);
    await expect.poll(() => serverSawClose, { timeout: 2000 }).toBe(true);
    expect(sent).toBeLessThan(limit);
  });

  describe("address policy", () => {
    it("refuses a loopback IP literal before connecting", async () => {
      const server = await startServer((_req, res) => res.end("no"));
      const result = await postWebhook({ ...base, url: server.url, allowPrivate: false });
      expect(result).toMatchObject({ ok: false, status: null, errorCode: "forbidden_address" });
      expect(result.error).toMatch(/127\.0\.0\.1.*loopback/);
      expect(server.connections).toBe(0);
    });

    it("refuses a hostname that resolves to loopback (localhost)", async () => {
      const server = await startServer((_req, res) => res.end("no"));
      const result = await postWebhook({
        ...base,
        url: `http://localhost:${server.port}/`,
        allowPrivate: false,
      });
      expect(result).toMatchObject({ ok: false, errorCode: "forbidden_address" });
      expect(result.error).toMatch(/localhost resolves to .*loopback/);
      expect(server.connections).toBe(0);
    });

    it("refuses a host if any of its addresses is forbidden", async () => {
      const server = await startServer((_req, res) => res.end("no"));
      const result = await postWebhook({
        ...base,
        url: `http://hooks.example.test:${server.port}/`,
        allowPrivate: false,
        resolveHost: async () => [
          { address: "93.184.216.34", family: 4 },
          { address: "127.0.0.1", family: 4 },
        ],
      });
      expect(result).toMatchObject({ errorCode: "forbidden_address" });
      expect(server.connections).toBe(0);
    });

    it("delivers to private addresses when allowPrivate is set (literal and hostname)", async () => {
      const server = await startServer((_req, res) => res.end("ok"));
      const literal = await postWebhook({ ...base, url: server.url, allowPrivate: true });
      const named = await postWebhook({
        ...base,
        url: `http://localhost:${server.port}/`,
        allowPrivate: true,
      });
      expect(literal).toMatchObject({ ok: true, body: "ok" });
      expect(named).toMatchObject({ ok: true, body: "ok" });
    });

    it("connects to the address it checked, keeping the original Host", async () => {
      const server = await startServer((_req, res) => res.end("pinned"));
      let lookups = 0;
      const result = await postWebhook({
        ...base,
        url: `http://hooks.example.test:${server.port}/in`,
        allowPrivate: true,
        resolveHost: async () => {
          lookups++;
          return [{ address: "127.0.0.1", family: 4 }];
        },
      });
      expect(result).toMatchObject({ ok: true, body: "pinned" });
      expect(lookups).toBe(1);
      expect(server.requests[0]?.headers.host).toBe(`hooks.example.test:${server.port}`);
    });

    it("does not hand a pooled private connection to a request that forbids private addresses", async () => {
      const server = await startServer((_req, res) => res.end("ok"));
      // Each new connection resolves through the agents' resolver (see "resolves every new pooled connection").
      const agent = useAgents({ resolveHost: async () => [{ address: "127.0.0.1", family: 4 }] });
      const input = { ...base, url: `http://hooks.example.test:${server.port}/`, agent };
      expect(await postWebhook({ ...input, allowPrivate: true })).toMatchObject({ ok: true });
      expect(await postWebhook({ ...input, allowPrivate: false })).toMatchObject({
        errorCode: "forbidden_address",
      });
      expect(server.requests).toHaveLength(1);
    });
  });

  it("reuses keep-alive connections through the delivery agents", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    const agent = useAgents();
    for (let i = 0; i < 3; i++) {
      expect(
        await postWebhook({ ...base, url: server.url, allowPrivate: true, agent }),
      ).toMatchObject({ ok: true });
    }
    expect(server.requests).toHaveLength(3);
    expect(server.connections).toBe(1);
  });

  it("reports DNS failures", async () => {
    const result = await postWebhook({
      ...base,
      url: "https://no-such-host.example.test/",
      allowPrivate: false,
      resolveHost: async () => {
        throw Object.assign(new Error("getaddrinfo ENOTFOUND no-such-host.example.test"), {
          code: "ENOTFOUND",
        });
      },
    });
    expect(result).toMatchObject({ ok: false, errorCode: "dns_failure" });
    expect(result.error).toContain("no-such-host.example.test");
  });

  it("reports a TLS failure (https to a plain HTTP server)", async () => {
    const server = await startServer((_req, res) => res.end("plain"));
    const result = await postWebhook({
      ...base,
      url: `https://127.0.0.1:${server.port}/`,
      allowPrivate: true,
    });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "tls_error" });
  });

  it("reports invalid URLs and unsendable headers without throwing", async () => {
    for (const url of ["not a url", "ftp://example.com/", "https://user:pw@example.com/"]) {
      expect(await postWebhook({ ...base, url, allowPrivate: false })).toMatchObject({
        errorCode: "invalid_url",
      });
    }
    const server = await startServer((_req, res) => res.end("ok"));
    const result = await postWebhook({
      ...base,
      headers: { "x-bad": "a\r\nb" },
      url: server.url,
      allowPrivate: true,
    });
    expect(result).toMatchObject({ ok: false, errorCode: "network_error" });
    expect(server.connections).toBe(0);
  });
});

describe("unusual responses", () => {
  it("skips informational responses (103 Early Hints) and records the final one", async () => {
    const server = await startServer((_req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload" });
      res.end("final");
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: true, status: 200, body: "final", errorCode: null });
  });

  it('joins repeated headers with ", " but keeps only the first Location', async () => {
    const server = await startServer((_req, res) => {
      res.setHeader("x-multi", ["a", "b"]);
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.setHeader("location", ["/first", "/second"]);
      res.writeHead(302, { "X-Case": "Mixed" });
      res.end();
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({
      status: 302,
      errorCode: "redirect",
      error: "redirect (302) to /first not followed",
    });
    expect(result.headers).toMatchObject({
      "x-multi": "a, b",
      "set-cookie": "a=1, b=2",
      location: "/first",
      "x-case": "Mixed",
    });
  });

  it("reports a reset when a non-keep-alive response ends before its content-length", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-length": "1000", connection: "close" });
      res.write("only a little", () => res.socket?.end());
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({
      ok: false,
      status: 200,
      errorCode: "connection_reset",
      body: "only a little",
    });
    expect(result.error).toBe(`connection reset by 127.0.0.1:${server.port}`);
  });

  it("reports a response that is not HTTP as a network error", async () => {
    const server = await startRawServer("SSH-2.0-OpenSSH_9.6\r\n\r\n");
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "network_error" });
    expect(result.error).toContain(`invalid HTTP response from 127.0.0.1:${server.port}`);
  });

  it("sends a configured Expect header's request without it (undici cannot send Expect)", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    const result = await postWebhook({
      ...base,
      headers: { ...base.headers, Expect: "100-continue" },
      url: server.url,
      allowPrivate: true,
    });
    expect(result).toMatchObject({ ok: true, body: "ok" });
    expect(server.requests[0]?.headers.expect).toBeUndefined();
    expect(server.requests[0]?.body).toBe('{"a":1}');
  });

  // node:http skipped an interim 100 it had not asked for; undici drops the connection instead.
  it("reports an unsolicited 100 Continue (which undici refuses) as an invalid response, not a reset", async () => {
    const server = await startRawServer(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
    );
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "network_error" });
    expect(result.error).toContain("invalid HTTP response");
  });
});

describe("without agents", () => {
  it("uses a fresh connection per attempt and closes it afterwards", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    for (let i = 0; i < 2; i++) {
      expect(await postWebhook({ ...base, url: server.url, allowPrivate: true })).toMatchObject({
        ok: true,
      });
    }
    expect(server.connections).toBe(2);
    expect(server.requests.map((r) => r.headers.connection)).toEqual(["close", "close"]);
    await expect.poll(() => server.closed, { timeout: 2000 }).toBe(2);
  });

  it("closes the connection of an attempt that timed out", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const result = await postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      timeoutMs: 200,
    });
    expect(result).toMatchObject({ errorCode: "timeout" });
    await expect.poll(() => server.closed, { timeout: 2000 }).toBe(1);
  });
});

describe("delivery agents", () => {
  it("keep the two address policies on separate dispatchers", () => {
    const agent = useAgents();
    expect(agent.dispatcher(true)).not.toBe(agent.dispatcher(false));
    expect(agent.dispatcher(true)).toBe(agent.dispatcher(true));
  });

  it("open at most maxSocketsPerHost connections per origin and reuse them", async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end("ok"), 50));
    const agent = useAgents({ maxSocketsPerHost: 2 });
    const input = { ...base, url: server.url, allowPrivate: true, agent };
    const results = await Promise.all(Array.from({ length: 6 }, () => postWebhook(input)));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true, true]);
    expect(server.connections).toBe(2);
    expect(await postWebhook({ ...input, url: `${server.url}/another/path` })).toMatchObject({
      ok: true,
    });
    expect(server.requests).toHaveLength(7);
    expect(server.connections).toBe(2);
    expect(server.closed).toBe(0);
  });

  it("resolve every new connection, and only new ones, through the agents' resolver", async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end("ok"), 50));
    const looked: string[] = [];
    const agent = useAgents({
      resolveHost: async (hostname) => {
        looked.push(hostname);
        return [{ address: "127.0.0.1", family: 4 }];
      },
    });
    const input = {
      ...base,
      url: `http://hooks.example.test:${server.port}/in`,
      allowPrivate: true,
      agent,
    };
    for (let i = 0; i < 3; i++) expect(await postWebhook(input)).toMatchObject({ ok: true });
    expect(server.connections).toBe(1);
    expect(looked).toEqual(["hooks.example.test"]);
    expect(
      server.requests.every((r) => r.headers.host === `hooks.example.test:${server.port}`),
    ).toBe(true);

    // Three at once: the idle connection plus two new ones, each resolved once.
    await Promise.all([0, 1, 2].map(() => postWebhook(input)));
    expect(server.connections).toBe(3);
    expect(looked).toHaveLength(3);
  });

  it("refuse a pooled connection if any resolved address is forbidden", async () => {
    const server = await startServer((_req, res) => res.end("no"));
    const agent = useAgents({
      resolveHost: async () => [
        { address: "93.184.216.34", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ],
    });
    const result = await postWebhook({
      ...base,
      url: `http://hooks.example.test:${server.port}/`,
      allowPrivate: false,
      agent,
    });
    expect(result).toMatchObject({ errorCode: "forbidden_address" });
    expect(result.error).toMatch(/hooks\.example\.test resolves to 127\.0\.0\.1 \(loopback\)/);
    expect(server.connections).toBe(0);
  });

  it("refuse a per-call resolveHost other than their own (it would be silently ignored)", async () => {
    const own = async () => [{ address: "127.0.0.1", family: 4 }];
    const agent = useAgents({ resolveHost: own });
    const input = {
      ...base,
      url: `http://hooks.example.test:${await closedPort()}/`,
      allowPrivate: true,
      agent,
    };
    expect(() => postWebhook({ ...input, resolveHost: async () => [] })).toThrow(TypeError);
    expect(await postWebhook({ ...input, resolveHost: own })).toMatchObject({
      errorCode: "connection_refused",
    });
  });

  it("bound an attempt waiting for a busy connection by the same timeout, and never send it later", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const agent = useAgents({ maxSocketsPerHost: 1 });
    const input = { ...base, url: server.url, allowPrivate: true, agent };
    const [first, queued] = await Promise.all([
      postWebhook({ ...input, timeoutMs: 400 }),
      postWebhook({ ...input, timeoutMs: 200 }),
    ]);
    expect(first).toMatchObject({ errorCode: "timeout", error: "timed out after 400 ms" });
    expect(queued).toMatchObject({ errorCode: "timeout", error: "timed out after 200 ms" });
    // A later attempt on the same origin goes out next: the timed-out one was not left queued.
    const later = postWebhook({ ...input, body: "later", timeoutMs: 3_000 });
    await expect.poll(() => server.requests.length, { timeout: 3_000 }).toBe(2);
    expect(server.requests.map((r) => r.body)).toEqual([base.body, "later"]);
    expect(await later).toMatchObject({ errorCode: "timeout" });
  });

  it("close idle connections after idleTimeoutMs even when the server offers longer", async () => {
    const server = await startServer(
      (_req, res) => res.end("ok"),
      (s) => (s.keepAliveTimeout = 60_000),
    );
    const agent = useAgents({ idleTimeoutMs: 200 });
    const input = { ...base, url: server.url, allowPrivate: true, agent };
    const first = await postWebhook(input);
    expect(first.headers?.["keep-alive"]).toBe("timeout=60");
    const idleSince = Date.now();
    await expect.poll(() => server.closed, { timeout: 3000, interval: 20 }).toBe(1);
    expect(Date.now() - idleSince).toBeGreaterThanOrEqual(150);
    expect(await postWebhook(input)).toMatchObject({ ok: true });
    expect(server.connections).toBe(2);
  });

  it("by default close an idle connection within 5 s (before common server keep-alive timeouts)", async () => {
    const server = await startServer(
      (_req, res) => res.end("ok"),
      (s) => (s.keepAliveTimeout = 60_000),
    );
    const agent = useAgents();
    expect(
      await postWebhook({ ...base, url: server.url, allowPrivate: true, agent }),
    ).toMatchObject({ ok: true });
    const idleSince = Date.now();
    // The server would keep the connection 60 s: closing it is the agent's doing. A loaded
    // machine only makes the close late, so the upper bound is the server's timeout, far off,
    // and the default itself is checked as a value.
    await expect.poll(() => server.closed, { timeout: 30_000, interval: 50 }).toBe(1);
    expect(Date.now() - idleSince).toBeGreaterThanOrEqual(DEFAULT_IDLE_TIMEOUT_MS - 500);
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBeLessThan(5000);
  }, 40_000);

  it("close() lets an attempt in flight finish, then closes every connection", async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end("done"), 100));
    const agent = createDeliveryAgents();
    const input = { ...base, url: server.url, allowPrivate: true, agent };
    const inFlight = postWebhook(input);
    await expect.poll(() => server.requests.length).toBe(1);
    const closing = agent.close();
    expect(await inFlight).toMatchObject({ ok: true, body: "done" });
    await closing;
    await expect.poll(() => server.closed, { timeout: 1000 }).toBe(1);
    const late = await postWebhook(input);
    expect(late).toMatchObject({
      ok: false,
      errorCode: "network_error",
      error: `request to 127.0.0.1:${server.port} failed: the delivery agents were shut down`,
    });
    expect(server.connections).toBe(1);
  });

  it("destroy() ends attempts in flight at once, as network errors", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const agent = createDeliveryAgents();
    const inFlight = postWebhook({
      ...base,
      url: server.url,
      allowPrivate: true,
      agent,
      timeoutMs: 10_000,
    });
    await expect.poll(() => server.requests.length).toBe(1);
    const started = Date.now();
    await agent.destroy();
    const result = await inFlight;
    // Well before the attempt's own 10 s timeout.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "network_error" });
    await expect.poll(() => server.closed, { timeout: 1000 }).toBe(1);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  it.each([
    ["120", 120],
    [" 0 ", 0],
    ["Wed, 01 Jan 2025 00:02:00 GMT", 120],
    ["Tue, 31 Dec 2024 23:00:00 GMT", 0],
    ["soon", null],
    ["-5", null],
    ["", null],
    [undefined, null],
  ])("%j -> %j", (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe("DNS rebinding between the address check and the connection", () => {
  // A resolver that answers an allowed address first and a forbidden one afterwards, as a
  // rebinding DNS server would. The connection must go to the address that was checked, and the
  // next connection must meet the policy again. So that no packet leaves the machine, the policy
  // here treats 127.0.0.1 as public and every other address as forbidden.
  const policy = (address: string) => (address === "127.0.0.1" ? null : "test: not 127.0.0.1");
  function rebindingResolver() {
    const calls: string[] = [];
    const resolveHost = async (hostname: string) => {
      calls.push(hostname);
      return calls.length === 1
        ? [{ address: "127.0.0.1", family: 4 }]
        : [{ address: "127.0.0.3", family: 4 }];
    };
    return { calls, resolveHost };
  }

  it.each([
    ["a one-off connection", false],
    ["a pooled connection", true],
  ])(
    "%s resolves once, connects to what it checked, and refuses the forbidden answer next time",
    async (_label, pooled) => {
      // `connection: close`, so the second attempt needs a new connection (and a new lookup).
      const receiver = await startServer((_req, res) => {
        res.setHeader("connection", "close");
        res.end("checked");
      });
      const { calls, resolveHost } = rebindingResolver();
      const input = {
        ...base,
        url: `http://rebind.example.test:${receiver.port}/in`,
        allowPrivate: false,
        ...(pooled
          ? { agent: useAgents({ resolveHost, forbiddenReason: policy }) }
          : { resolveHost, forbiddenReason: policy }),
      };
      const first = await postWebhook(input);
      expect(first).toMatchObject({ ok: true, status: 200 });
      expect(calls).toEqual(["rebind.example.test"]);
      expect(receiver.requests).toHaveLength(1);
      // The next connection resolves again, meets the forbidden answer and is refused unopened.
      const second = await postWebhook(input);
      expect(second).toMatchObject({ ok: false, errorCode: "forbidden_address" });
      expect(second.error).toMatch(/127\.0\.0\.3/);
      expect(calls).toHaveLength(2);
      expect(receiver.connections).toBe(1);
      expect(receiver.requests).toHaveLength(1);
    },
  );
});
