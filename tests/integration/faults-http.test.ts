/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Issue 23 over real HTTP (tests/helpers/route-server.ts on 127.0.0.1, every route under /api):
 * invalid UTF-8 refused, revoke-all then an immediate exchange, the ticket exchange refusing
 * foreign origins and non-JSON bodies, and `details` on every error envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { apiOverHttp } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { hashToken } from "@/lib/crypto/secrets";

const db = useTestDatabase();
let server: RouteServer;
let key: string;
const SLUG = "faults-http";
const EMBED = "https://product.example";

beforeAll(async () => {
  server = await startRouteServer({ under: "" });
  key = (await createApiKey({ name: "faults-http" }, "test")).key;
  const created = await api("POST", "/api/v1/apps", {
    slug: SLUG,
    name: "Faults",
    embed_origins: [EMBED],
  });
  expect(created.status).toBe(201);
});
afterAll(() => server?.close());

const api = apiOverHttp(() => ({ url: server.url, key }));

async function issueTicket(slug = SLUG): Promise<string> {
  const res = await api("POST", "/api/v1/session/tickets", {
    ticket_type: "webhook_app_access",
    webhook_app_slug: slug,
  });
  expect(res.status).toBe(201);
  return res.body.ticket;
}

async function exchange(ticket: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${server.url}/api/session/ticket/exchange`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: body ?? JSON.stringify({ ticket }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? (JSON.parse(text) as any) : null,
    cookie: res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; "),
  };
}

const whoAmI = async (cookie: string) =>
  (await fetch(`${server.url}/api/frontend/webhook/session`, { headers: { cookie } })).status;

const ticketSpent = async (ticket: string) =>
  (await db().prisma.ticket.findUniqueOrThrow({ where: { tokenHash: hashToken(ticket) } }))
    .usedAt !== null;

describe("invalid UTF-8 in a JSON body (item 8)", () => {
  // `{"event_name":"utf8.bad","payload":{"s":"a<0xff>b"}}`: valid JSON text around a byte that
  // is not UTF-8, which a lenient decoder turns into U+FFFD.
  const withBadByte = (prefix: string, suffix: string) =>
    new Uint8Array([...Buffer.from(prefix), 0xff, ...Buffer.from(suffix)]);

  it("the trigger refuses it with 400 naming the problem, and stores nothing", async () => {
    const before = await db().prisma.event.count();
    const res = await api(
      "POST",
      `/api/v1/apps/${SLUG}/events`,
      withBadByte('{"event_name":"utf8.bad","payload":{"s":"a', 'b"}}'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_json");
    expect(res.body.error.message).toMatch(/not valid UTF-8/);
    expect(await db().prisma.event.count()).toBe(before);
  });

  it("an app update refuses it too and leaves the app unchanged", async () => {
    const res = await api(
      "PATCH",
      `/api/v1/apps/${SLUG}`,
      withBadByte('{"description":"caf', '"}'),
    );
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid UTF-8/);
    const app = await db().prisma.app.findUniqueOrThrow({ where: { slug: SLUG } });
    expect(app.description ?? "").not.toContain("\ufffd");
  });

  it("still accepts well-formed multi-byte UTF-8", async () => {
    const res = await api("PATCH", `/api/v1/apps/${SLUG}`, { description: "café ☕ 𝄞" });
    expect(res.status).toBe(200);
    expect(res.body.description).toBe("café ☕ 𝄞");
  });
});

describe("revoke-all then an immediate exchange (item 6)", () => {
  it("sessions from before the revoke end; one exchanged right after works, every time", async () => {
    for (let round = 0; round < 5; round++) {
      const before = await exchange(await issueTicket());
      expect(before.status).toBe(200);
      expect(await whoAmI(before.cookie)).toBe(200);
      const ticket = await issueTicket();
      const revoke = await api("DELETE", `/api/v1/apps/${SLUG}/sessions`);
      expect(revoke.status).toBe(200);
      const after = await exchange(ticket);
      expect(after.status).toBe(200);
      expect(
        await whoAmI(after.cookie),
        `round ${round}: a session exchanged after the revoke`,
      ).toBe(200);
      expect(await whoAmI(before.cookie), `round ${round}: a session from before the revoke`).toBe(
        401,
      );
    }
  });
});

describe("the ticket exchange takes only JSON from the app's own origins (item 9)", () => {
  it("refuses a foreign-Origin text/plain POST and leaves the ticket unspent", async () => {
    const ticket = await issueTicket();
    const res = await exchange(ticket, {
      origin: "https://evil.example",
      "content-type": "text/plain",
    });
    expect([403, 415]).toContain(res.status);
    expect(res.headers.getSetCookie()).toHaveLength(0);
    expect(await ticketSpent(ticket)).toBe(false);
  });

  it("refuses text/plain from no origin (415) and JSON from a foreign origin (403), ticket unspent", async () => {
    const ticket = await issueTicket();
    const plain = await exchange(ticket, { "content-type": "text/plain" });
    expect(plain.status).toBe(415);
    expect(plain.body.error.code).toBe("unsupported_media_type");
    const foreign = await exchange(ticket, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe("origin_not_allowed");
    expect(foreign.headers.getSetCookie()).toHaveLength(0);
    const sandboxed = await exchange(ticket, { origin: "null" });
    expect(sandboxed.status).toBe(403);
    expect(await ticketSpent(ticket)).toBe(false);
  });

  it("accepts JSON from an embed origin, from its own origin and from no origin", async () => {
    const embedded = await exchange(await issueTicket(), { origin: EMBED });
    expect(embedded.status).toBe(200);
    expect(embedded.headers.get("access-control-allow-origin")).toBe(EMBED);
    const same = await exchange(await issueTicket(), { origin: server.url });
    expect(same.status).toBe(200);
    const charset = await exchange(await issueTicket(), {
      "content-type": "application/json; charset=utf-8",
    });
    expect(charset.status).toBe(200);
    expect(await whoAmI(charset.cookie)).toBe(200);
  });
});

describe("the error envelope always carries details (item 10)", () => {
  it.each([
    ["an unknown route (404)", "GET", "/api/v1/no-such-route", undefined, {}],
    ["an unknown app (404)", "GET", "/api/v1/apps/no-such-app", undefined, {}],
    ["no API key (401)", "GET", "/api/v1/apps", undefined, { authorization: "" }],
    ["a body that is not JSON (400)", "POST", "/api/v1/apps", "{nope", {}],
    ["no portal session (401)", "GET", "/api/frontend/webhook/session", undefined, {}],
  ])("%s", async (_what, method, path, body, headers) => {
    const res = await api(method, path, body, headers);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body.error).toEqual({
      code: expect.any(String),
      message: expect.any(String),
      details: expect.any(Object),
      request_id: expect.any(String),
    });
  });
});
