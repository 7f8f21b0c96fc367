/**
 * Issue 23 item 4: the portal's `frame-ancestors` names only the origins of the app the page
 * shows, and none ('self' only) before it knows which app: no session, a forged or spent ticket
 * (whatever cookie comes with it).
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { createAccessTicket } from "@/lib/sessions/tickets";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies, type PortalSession } from "@/lib/sessions/portal-session";
import { frameAncestorsFor, frameAncestorsHeader } from "@/lib/portal/frame-policy";

useTestDatabase();

const ORIGINS = {
  a: ["https://alpha-customer.example", "https://alpha-admin.example"],
  b: ["https://beta-customer.example"],
  c: [] as string[],
};

async function policy(path: string, cookie?: string): Promise<string> {
  const req = new Request(`http://hookline.test${path}`, {
    headers: cookie ? { cookie } : {},
  });
  return frameAncestorsHeader(await frameAncestorsFor(req));
}

async function cookieFor(session: PortalSession): Promise<string> {
  const req = new Request("http://hookline.test/portal");
  return (await sessionCookies(session, req)).map((c) => c.split(";")[0]).join("; ");
}

describe("the portal's framing policy (item 4)", () => {
  it("states only the shown app's origins, and none before the app is known", async () => {
    await createApiKey({ name: "frames" }, "test");
    const apps = {
      a: await createApp({ slug: "frame-a", name: "A", embed_origins: ORIGINS.a }, "test"),
      b: await createApp({ slug: "frame-b", name: "B", embed_origins: ORIGINS.b }, "test"),
      c: await createApp({ slug: "frame-c", name: "C", embed_origins: ORIGINS.c }, "test"),
    };
    const ticketOf = async (slug: string) =>
      (
        await createAccessTicket(
          { ticket_type: "webhook_app_access", webhook_app_slug: slug, expires_in: 120 },
          "test",
        )
      ).ticket;
    const sessionOf = async (slug: string) => (await exchangeTicket(await ticketOf(slug))).session;
    const self = "frame-ancestors 'self'";

    // No session: no app's origins at all.
    expect(await policy("/portal")).toBe(self);
    expect(await policy("/portal/endpoints?embed=1")).toBe(self);

    // Each app: only its own origins, from an unspent ticket or from its session cookie.
    for (const key of ["a", "b", "c"] as const) {
      const expected = ["frame-ancestors 'self'", ...ORIGINS[key]].join(" ");
      expect(await policy(`/portal?ticket=${await ticketOf(apps[key].slug)}`)).toBe(expected);
      expect(
        await policy("/portal/deliveries", await cookieFor(await sessionOf(apps[key].slug))),
      ).toBe(expected);
    }

    // A forged, malformed or spent ticket opens nothing, whatever cookie comes with it.
    const cookieB = await cookieFor(await sessionOf(apps.b.slug));
    const spentA = await ticketOf(apps.a.slug);
    await exchangeTicket(spentA);
    for (const ticket of [`tkt_${"A".repeat(43)}`, "hello", spentA]) {
      expect(await policy(`/portal?ticket=${ticket}`)).toBe(self);
      expect(await policy(`/portal?ticket=${ticket}`, cookieB)).toBe(self);
    }
    // A valid ticket names its app, even with another app's cookie.
    expect(await policy(`/portal?ticket=${await ticketOf(apps.a.slug)}`, cookieB)).toBe(
      ["frame-ancestors 'self'", ...ORIGINS.a].join(" "),
    );
    // A tampered cookie names nothing.
    expect(await policy("/portal", cookieB.replace(/=Fe26\.2\*/g, "=Fe26.2*x"))).toBe(self);

    // A session that timed out still names its own app (the host can be told to renew it).
    const old = await sessionOf(apps.b.slug);
    const hoursAgo = Math.floor(Date.now() / 1000) - 20 * 3600;
    const timedOut = await cookieFor({ ...old, issuedAt: hoursAgo, lastSeenAt: hoursAgo });
    expect(await policy("/portal", timedOut)).toBe(
      ["frame-ancestors 'self'", ...ORIGINS.b].join(" "),
    );
  });
});
