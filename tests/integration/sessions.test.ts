import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { hashToken } from "@/lib/crypto/secrets";
import * as tickets from "@/app/api/v1/session/tickets/route";
import * as exchange from "@/app/api/session/ticket/exchange/route";
import * as sessionRoute from "@/app/api/frontend/webhook/session/route";
import * as revokeAllRoute from "@/app/api/v1/apps/[slug]/sessions/route";

const db = useTestDatabase();

async function setup(embedOrigins: string[] = []) {
  const { key } = await createApiKey({ name: "sessions" }, "test");
  const slug = `wh_${Math.random().toString(36).slice(2, 8)}`;
  const app = await createApp({ slug, name: "Billing", embed_origins: embedOrigins }, "test");
  return { key, app, slug };
}

async function issue(key: string, slug: string, expires_in = 120) {
  const res = await callRoute(tickets.POST, {
    method: "POST",
    path: "/api/v1/session/tickets",
    apiKey: key,
    body: { ticket_type: "webhook_app_access", webhook_app_slug: slug, expires_in },
  });
  expect(res.status).toBe(201);
  return res.body as { ticket: string; expires_at: number };
}

function cookieHeader(setCookies: string[]): string {
  return setCookies.map((c) => c.split(";")[0]).join("; ");
}

async function exchangeFor(ticket: string, headers: Record<string, string> = {}) {
  return callRoute(exchange.POST, {
    method: "POST",
    path: "/api/session/ticket/exchange",
    body: { ticket },
    headers,
  });
}

describe("access tickets", () => {
  it("are issued as seed 001 expects, stored hashed, bound to the app", async () => {
    const { key, app, slug } = await setup();
    const before = Math.floor(Date.now() / 1000);
    const { ticket, expires_at } = await issue(key, slug, 120);
    expect(ticket).toMatch(/^tkt_[A-Za-z0-9_-]{40,}$/);
    expect(expires_at).toBeGreaterThanOrEqual(before + 119);
    expect(expires_at).toBeLessThanOrEqual(before + 122);
    const row = await db().prisma.ticket.findUniqueOrThrow({
      where: { tokenHash: hashToken(ticket) },
    });
    expect(row.appId).toBe(app.id);
    expect(JSON.stringify(await db().prisma.ticket.findMany())).not.toContain(ticket);
  });

  it("refuse an unknown type (400), an unknown app (404), a too-long life (422) and a missing key (401)", async () => {
    const { key, slug } = await setup();
    const post = (body: unknown, apiKey?: string) =>
      callRoute(tickets.POST, { method: "POST", path: "/api/v1/session/tickets", apiKey, body });
    const badType = await post({ ticket_type: "admin", webhook_app_slug: slug }, key);
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toMatch(/^ticket_type: /);
    expect(
      (await post({ ticket_type: "webhook_app_access", webhook_app_slug: "nope" }, key)).status,
    ).toBe(404);
    const tooLong = await post(
      { ticket_type: "webhook_app_access", webhook_app_slug: slug, expires_in: 3600 },
      key,
    );
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details.fields[0].field).toBe("expires_in");
    expect((await post({ ticket_type: "webhook_app_access", webhook_app_slug: slug })).status).toBe(
      401,
    );
  });
});

describe("ticket exchange and portal sessions", () => {
  it("sets an iframe-ready cookie and a Lax one, and refuses the ticket a second time", async () => {
    const { key, app, slug } = await setup();
    const { ticket } = await issue(key, slug);
    const res = await exchangeFor(ticket);
    expect(res.status).toBe(200);
    expect(res.body.webhook_app.slug).toBe(slug);
    expect(res.body.csrf_token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(
      /^hookline_portal=Fe26\.2\*.*; HttpOnly; Secure; SameSite=None; Partitioned$/,
    );
    expect(cookies[1]).toMatch(/^hookline_portal_top=Fe26\.2\*.*; HttpOnly; SameSite=Lax$/);

    const again = await exchangeFor(ticket);
    expect(again.status).toBe(401);
    expect(again.headers.getSetCookie()).toHaveLength(0);

    const session = await callRoute(sessionRoute.GET, {
      path: "/api/frontend/webhook/session",
      headers: { cookie: cookieHeader(cookies) },
    });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({
      webhook_app: { id: app.id },
      csrf_token: res.body.csrf_token,
    });
  });

  it("answers expired, forged and malformed tickets with the same 401", async () => {
    const { key, slug } = await setup();
    const { ticket } = await issue(key, slug);
    await db().prisma.ticket.updateMany({
      where: { tokenHash: hashToken(ticket) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await exchangeFor(ticket);
    const forged = await exchangeFor(`tkt_${"A".repeat(43)}`);
    const malformed = await exchangeFor("hello");
    for (const r of [expired, forged, malformed]) {
      expect(r.status).toBe(401);
      expect(r.body.error.message).toBe(expired.body.error.message);
    }
  });

  it("refuses requests with no session, or a cookie sealed with another secret", async () => {
    const none = await callRoute(sessionRoute.GET, { path: "/api/frontend/webhook/session" });
    expect(none.status).toBe(401);
    const forged = await callRoute(sessionRoute.GET, {
      path: "/api/frontend/webhook/session",
      headers: { cookie: "hookline_portal=Fe26.2*1*abc*def*ghi*jkl*mno*pqr" },
    });
    expect(forged.status).toBe(401);
  });

  it("requires the CSRF token on mutations and refuses origins the app does not embed from", async () => {
    const { key, slug } = await setup(["https://product.example"]);
    const { ticket } = await issue(key, slug);
    const res = await exchangeFor(ticket, { origin: "https://product.example" });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://product.example");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    const cookie = cookieHeader(res.headers.getSetCookie());

    const noToken = await callRoute(sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/frontend/webhook/session",
      headers: { cookie },
    });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe("csrf_failed");
    const wrongToken = await callRoute(sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/frontend/webhook/session",
      headers: { cookie, "x-csrf-token": "x".repeat(32) },
    });
    expect(wrongToken.status).toBe(403);

    const evil = await callRoute(sessionRoute.GET, {
      path: "/api/frontend/webhook/session",
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(evil.status).toBe(403);
    expect(evil.body.error.code).toBe("origin_not_allowed");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();

    const allowed = await callRoute(sessionRoute.GET, {
      path: "/api/frontend/webhook/session",
      headers: { cookie, origin: "https://product.example" },
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://product.example");

    const preflight = await sessionRoute.OPTIONS(
      new Request("http://hookline.test/api/frontend/webhook/session", {
        method: "OPTIONS",
        headers: { origin: "https://product.example" },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("x-csrf-token");
    const evilPreflight = await sessionRoute.OPTIONS(
      new Request("http://hookline.test/api/frontend/webhook/session", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example" },
      }),
    );
    expect(evilPreflight.headers.get("access-control-allow-origin")).toBeNull();

    const logout = await callRoute(sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/frontend/webhook/session",
      headers: { cookie, "x-csrf-token": res.body.csrf_token },
    });
    expect(logout.status).toBe(200);
    expect(logout.headers.getSetCookie().every((c) => c.includes("Max-Age=0"))).toBe(true);
  });

  const whoAmI = (cookie: string) =>
    callRoute(sessionRoute.GET, { path: "/api/frontend/webhook/session", headers: { cookie } });

  it("sign-out ends the session server-side: the old cookie answers 401 afterwards (issue 13)", async () => {
    const { key, slug } = await setup();
    const res = await exchangeFor((await issue(key, slug)).ticket);
    const cookie = cookieHeader(res.headers.getSetCookie());
    const other = cookieHeader(
      (await exchangeFor((await issue(key, slug)).ticket)).headers.getSetCookie(),
    );
    expect((await whoAmI(cookie)).status).toBe(200);
    const logout = await callRoute(sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/frontend/webhook/session",
      headers: { cookie, "x-csrf-token": res.body.csrf_token },
    });
    expect(logout.status).toBe(200);
    const after = await whoAmI(cookie);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe("unauthorized");
    expect((await whoAmI(other)).status).toBe(200);
    const again = await callRoute(sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/frontend/webhook/session",
      headers: { cookie, "x-csrf-token": res.body.csrf_token },
    });
    expect(again.status).toBe(401);
  });

  it("DELETE /api/v1/apps/{app}/sessions ends every session of that app only; later exchanges work (issue 13)", async () => {
    const { key, slug } = await setup();
    const other = await setup();
    const a = cookieHeader(
      (await exchangeFor((await issue(key, slug)).ticket)).headers.getSetCookie(),
    );
    const b = cookieHeader(
      (await exchangeFor((await issue(key, slug)).ticket)).headers.getSetCookie(),
    );
    const c = cookieHeader(
      (await exchangeFor((await issue(other.key, other.slug)).ticket)).headers.getSetCookie(),
    );
    const revoke = (s: string, apiKey?: string) =>
      callRoute(revokeAllRoute.DELETE, {
        method: "DELETE",
        path: `/api/v1/apps/${s}/sessions`,
        apiKey,
        params: { slug: s },
      });
    expect((await revoke(slug)).status).toBe(401);
    expect((await revoke("no-such-app", key)).status).toBe(404);
    expect((await whoAmI(a)).status).toBe(200);
    const res = await revoke(slug, key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: true, revoked_before: expect.any(String) });
    expect((await whoAmI(a)).status).toBe(401);
    expect((await whoAmI(b)).status).toBe(401);
    expect((await whoAmI(c)).status).toBe(200);
    // A new exchange right after the revoke opens a working session.
    const fresh = cookieHeader(
      (await exchangeFor((await issue(key, slug)).ticket)).headers.getSetCookie(),
    );
    expect((await whoAmI(fresh)).status).toBe(200);
  });

  // `x-hookline-peer` is the socket's address as our server records it (lib/http/forwarded.ts).
  it("rate limits exchanges per client address; a rotating X-Forwarded-For does not bypass it (issue 13)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) {
      statuses.push(
        (
          await exchangeFor(`tkt_${"B".repeat(43)}`, {
            "x-hookline-peer": "198.51.100.9",
            "x-forwarded-for": `203.0.113.${i}`,
          })
        ).status,
      );
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    expect(
      (await exchangeFor(`tkt_${"B".repeat(43)}`, { "x-hookline-peer": "198.51.100.10" })).status,
    ).toBe(401);
  });
});
