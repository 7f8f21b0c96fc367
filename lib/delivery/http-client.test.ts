import { afterEach, describe, expect, it } from "vitest";
import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createDeliveryAgents, parseRetryAfter, postWebhook, type DeliveryAgents } from "@/lib/delivery/http-client";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
  port: number;
  url: string;
  connections: number;
  requests: Array<{ method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }>;
}

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function startServer(handler: Handler): Promise<TestServer> {
  const state: TestServer = { port: 0, url: "", connections: 0, requests: [] };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      state.requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      handler(req, res);
    });
  });
  server.on("connection", () => state.connections++);
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

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function useAgents(): DeliveryAgents {
  const agents = createDeliveryAgents();
  cleanups.push(async () => {
    agents.http.destroy();
    agents.https.destroy();
  });
  return agents;
}

const base = { headers: { "content-type": "application/json", "webhook-id": "msg_1" }, body: '{"a":1}', timeoutMs: 3000 };

describe("postWebhook against real servers", () => {
  it("delivers and records a 200 response", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "x-reply": "yes", "content-type": "text/plain" });
      res.end("thanks");
    });
    const result = await postWebhook({ ...base, url: `${server.url}/hooks?x=1`, allowPrivate: true });
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
    expect(result).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 120, errorCode: null });
  });

  it("times out a server that never answers, within about the timeout", async () => {
    const server = await startServer(() => {
      /* never respond */
    });
    const started = Date.now();
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true, timeoutMs: 300 });
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "timeout", error: "timed out after 300 ms" });
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
  });

  it("counts a body that arrives too slowly against the same timeout", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200);
      res.write("partial");
      // ...and never finishes.
    });
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true, timeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, status: 200, errorCode: "timeout", body: "partial" });
  });

  it("reports connection refused", async () => {
    const port = await closedPort();
    const result = await postWebhook({ ...base, url: `http://127.0.0.1:${port}/`, allowPrivate: true });
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
    const cut = await postWebhook({ ...base, url: server.url, allowPrivate: true, maxResponseBytes: 4 });
    expect(cut).toMatchObject({ body: "0123", bodyTruncated: true });
    const whole = await postWebhook({ ...base, url: server.url, allowPrivate: true, maxResponseBytes: 10 });
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
    const started = Date.now();
    const result = await postWebhook({ ...base, url: server.url, allowPrivate: true, timeoutMs: 5000 });
    expect(Date.now() - started).toBeLessThan(2000);
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
      const result = await postWebhook({ ...base, url: `http://localhost:${server.port}/`, allowPrivate: false });
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
      const named = await postWebhook({ ...base, url: `http://localhost:${server.port}/`, allowPrivate: true });
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
      const agent = useAgents();
      const input = {
        ...base,
        url: `http://hooks.example.test:${server.port}/`,
        agent,
        resolveHost: async () => [{ address: "127.0.0.1", family: 4 }],
      };
      expect(await postWebhook({ ...input, allowPrivate: true })).toMatchObject({ ok: true });
      expect(await postWebhook({ ...input, allowPrivate: false })).toMatchObject({ errorCode: "forbidden_address" });
      expect(server.requests).toHaveLength(1);
    });
  });

  it("reuses keep-alive connections through the delivery agents", async () => {
    const server = await startServer((_req, res) => res.end("ok"));
    const agent = useAgents();
    for (let i = 0; i < 3; i++) {
      expect(await postWebhook({ ...base, url: server.url, allowPrivate: true, agent })).toMatchObject({ ok: true });
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
        throw Object.assign(new Error("getaddrinfo ENOTFOUND no-such-host.example.test"), { code: "ENOTFOUND" });
      },
    });
    expect(result).toMatchObject({ ok: false, errorCode: "dns_failure" });
    expect(result.error).toContain("no-such-host.example.test");
  });

  it("reports a TLS failure (https to a plain HTTP server)", async () => {
    const server = await startServer((_req, res) => res.end("plain"));
    const result = await postWebhook({ ...base, url: `https://127.0.0.1:${server.port}/`, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, status: null, errorCode: "tls_error" });
  });

  it("reports invalid URLs and unsendable headers without throwing", async () => {
    for (const url of ["not a url", "ftp://example.com/", "https://user:pw@example.com/"]) {
      expect(await postWebhook({ ...base, url, allowPrivate: false })).toMatchObject({ errorCode: "invalid_url" });
    }
    const server = await startServer((_req, res) => res.end("ok"));
    const result = await postWebhook({ ...base, headers: { "x-bad": "a\r\nb" }, url: server.url, allowPrivate: true });
    expect(result).toMatchObject({ ok: false, errorCode: "network_error" });
    expect(server.connections).toBe(0);
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
