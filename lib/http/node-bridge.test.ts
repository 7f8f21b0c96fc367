/**
 * The node:http bridge the production server uses for the trigger route: requests reach the web
 * handler whole (method, URL, headers, streamed body), its Response goes back whole, and what
 * no route matches is left to the caller.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastRoute, serveFastRoute } from "@/lib/http/node-bridge";

let server: http.Server;
let base = "";
const seen: {
  method: string;
  url: string;
  params: unknown;
  headers: Record<string, string>;
  body: string;
}[] = [];

const routes = [
  fastRoute<{ slug: string }>("POST", "/api/v1/apps/[slug]/events", async (req, { params }) => {
    if ((await params).slug === "early") return new Response("too large", { status: 413 });
    const body = await req.text();
    seen.push({
      method: req.method,
      url: req.url,
      params: await params,
      headers: Object.fromEntries(req.headers),
      body,
    });
    if (body === "throw") throw new Error("handler failed");
    const res = new Response(JSON.stringify({ got: body.length }), {
      status: 202,
      headers: { "content-type": "application/json", "x-request-id": "req_1" },
    });
    res.headers.append("set-cookie", "a=1; Path=/");
    res.headers.append("set-cookie", "b=2; Path=/");
    return res;
  }),
];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (!serveFastRoute(routes, req, res, base)) {
      res.writeHead(404, { "x-fallthrough": "1" });
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("serveFastRoute", () => {
  it("hands the handler the request whole and sends its response whole", async () => {
    const payload = JSON.stringify({ event_name: "x", payload: { big: "y".repeat(200_000) } });
    const res = await fetch(`${base}/api/v1/apps/my%20app/events?x=1`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: "Bearer hk_test",
        "idempotency-key": "k1",
      },
      body: payload,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ got: payload.length });
    expect(res.headers.get("x-request-id")).toBe("req_1");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const got = seen.at(-1)!;
    expect(got).toMatchObject({
      method: "POST",
      url: `${base}/api/v1/apps/my%20app/events?x=1`,
      params: { slug: "my app" },
      body: payload,
    });
    expect(got.headers).toMatchObject({
      authorization: "Bearer hk_test",
      "idempotency-key": "k1",
      "content-type": "application/json",
    });
  });

  it("leaves other methods, paths and undecodable names to the caller", async () => {
    const before = seen.length;
    for (const [method, path] of [
      ["GET", "/api/v1/apps/a/events"],
      ["POST", "/api/v1/apps/a/events/"],
      ["POST", "/api/v1/apps/a/b/events"],
      ["POST", "/api/v1/apps//events"],
      ["POST", "/api/v1/apps/%E0%A4%A/events"],
    ] as const) {
      const res = await fetch(`${base}${path}`, {
        method,
        ...(method === "POST" ? { body: "{}" } : {}),
      });
      expect([path, res.status, res.headers.get("x-fallthrough")]).toEqual([path, 404, "1"]);
    }
    expect(seen.length).toBe(before);
  });

  it("closes the connection when it answers before the body was read", async () => {
    const res = await fetch(`${base}/api/v1/apps/early/events`, {
      method: "POST",
      body: "x".repeat(5_000_000),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    // The next request gets a fresh connection and its answer.
    expect(
      (await fetch(`${base}/api/v1/apps/a/events`, { method: "POST", body: "{}" })).status,
    ).toBe(202);
  });

  it("answers 500 with the error envelope when the handler throws", async () => {
    const res = await fetch(`${base}/api/v1/apps/a/events`, { method: "POST", body: "throw" });
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ error: { code: "internal_error" } });
  });
});
