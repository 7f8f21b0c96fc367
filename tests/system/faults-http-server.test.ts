/**
 * Issue 23 items 3 and 10 in the real server (`npm start`): paths with malformed
 * percent-encoding answer 400 in the error envelope on every API route family (the portal: its
 * not-found page), never a bare 500; a request line over 16 KB answers 431 in the envelope; the
 * portal's pages carry a script/style/connect policy with a fresh nonce.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, stopAllServers, tempDataDir, type RunningServer } from "../helpers/server";

let server: RunningServer;
let key: string;

beforeAll(async () => {
  server = await startServer({ dataDir: tempDataDir("faults-http") });
  key = await server.createApiKey();
  const created = await fetch(`${server.url}/api/v1/apps`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ slug: "faults", name: "Faults" }),
  });
  expect(created.status).toBe(201);
});
afterAll(() => stopAllServers());

/** Sends the request line as it is (fetch would re-encode a malformed path). */
function rawRequest(method: string, target: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string>; body: string }>(
    (resolve, reject) => {
      const { port } = new URL(server.url);
      const socket = net.connect(Number(port), "127.0.0.1");
      let data = "";
      socket.setEncoding("utf8");
      socket.on("data", (chunk) => (data += chunk));
      socket.on("error", reject);
      socket.on("end", () => {
        const [head = "", ...rest] = data.split("\r\n\r\n");
        const [statusLine = "", ...lines] = head.split("\r\n");
        const parsed: Record<string, string> = {};
        for (const line of lines) {
          const i = line.indexOf(":");
          parsed[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
        }
        let body = rest.join("\r\n\r\n");
        if (parsed["transfer-encoding"] === "chunked") body = dechunk(body);
        resolve({ status: Number(statusLine.split(" ")[1]), headers: parsed, body });
      });
      const all = { host: `127.0.0.1:${port}`, connection: "close", ...headers };
      const head = Object.entries(all)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join("");
      const body = method === "POST" ? "{}" : "";
      socket.write(
        `${method} ${target} HTTP/1.1\r\n${head}${body ? `content-type: application/json\r\ncontent-length: ${body.length}\r\n` : ""}\r\n${body}`,
      );
    },
  );
}

function dechunk(body: string): string {
  let out = "";
  let rest = body;
  for (;;) {
    const i = rest.indexOf("\r\n");
    const size = parseInt(rest.slice(0, i), 16);
    if (!size) return out;
    out += rest.slice(i + 2, i + 2 + size);
    rest = rest.slice(i + 2 + size + 2);
  }
}

function expectEnvelope(res: { status: number; headers: Record<string, string>; body: string }) {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const parsed = JSON.parse(res.body) as { error: Record<string, unknown> };
  expect(parsed.error).toMatchObject({
    code: expect.any(String),
    message: expect.any(String),
    details: expect.any(Object),
  });
  return parsed.error;
}

describe("malformed percent-encoding in the path (item 3)", () => {
  it.each([
    ["GET", "/api/v1/apps/%ff"],
    ["GET", "/api/v1/apps/faults/endpoints/%ed%a0%80"],
    ["POST", "/api/v1/apps/%ff/events"],
    ["GET", "/api/v1/apps/%zz"],
    ["GET", "/api/frontend/webhook/endpoints/%ed%a0%80"],
    ["POST", "/api/session/ticket/exchange/%c3"],
    ["GET", "/api/health/%ff"],
  ])("%s %s answers 400 in the envelope", async (method, target) => {
    const res = await rawRequest(method, target, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(400);
    const error = expectEnvelope(res);
    expect(error.code).toBe("invalid_parameter");
    expect(error.message).toMatch(/percent-encod/);
  });

  it("a well-formed escape still reaches the route", async () => {
    const res = await rawRequest("GET", "/api/v1/apps/no%20such", {
      authorization: `Bearer ${key}`,
    });
    expect(res.status).toBe(404);
    expect(expectEnvelope(res).code).toBe("not_found");
  });

  it.each(["/portal/endpoints/%ff", "/portal/%ed%a0%80", "/portal/deliveries/%zz?x=1"])(
    "%s answers the portal's not-found page",
    async (target) => {
      const res = await rawRequest("GET", target);
      expect(res.status).toBe(404);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.headers["content-security-policy"]).toMatch(/frame-ancestors 'self'/);
    },
  );
});

describe("a request line over 16 KB (item 3)", () => {
  it("answers 431 in the envelope", async () => {
    const res = await rawRequest("GET", `/api/v1/apps?cursor=${"a".repeat(17_000)}`, {
      authorization: `Bearer ${key}`,
    });
    expect(res.status).toBe(431);
    expect(expectEnvelope(res).code).toBe("request_too_large");
  });
});

describe("the portal's content security policy (item 10)", () => {
  it("restricts scripts to a fresh nonce, and styles and connections to the portal", async () => {
    const policies: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/portal`);
      expect(res.status).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      policies.push(csp);
      const nonce = /script-src [^;]*'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, csp).toBeTruthy();
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/connect-src 'self'/);
      expect(csp).toMatch(/style-src 'self'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
      // Next puts the nonce on its own inline scripts.
      const html = await res.text();
      expect(html).toContain(`nonce="${nonce}"`);
    }
    expect(policies[0]).not.toBe(policies[1]);
  });
});
