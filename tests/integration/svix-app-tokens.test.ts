import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createApp } from "@/lib/apps/create-app";
import { resetConfigForTests } from "@/lib/config";
import { hashToken } from "@/lib/crypto/secrets";
import { ApiError } from "@/lib/http/errors";
import { redeemAccessTicket } from "@/lib/sessions/tickets";
import { createAppPortalAccess } from "@/lib/svix/app-portal-access";
import {
  createAppToken,
  findAppToken,
  hasCapability,
  revokeAppToken,
  revokeAppTokens,
} from "@/lib/svix/app-tokens";

const db = useTestDatabase({ HOOKLINE_PUBLIC_URL: "https://hooks.example.com/" });

async function newApp(name = "Billing") {
  const slug = `wh_${Math.random().toString(36).slice(2, 8)}`;
  return createApp({ slug, name }, "test");
}

async function rejects(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe("createAppPortalAccess", () => {
  it("answers a portal URL with a single-use ticket for the app and an app token", async () => {
    const app = await newApp();
    const { url, token } = await createAppPortalAccess(app, {}, "test");
    const link = new URL(url);
    expect(`${link.origin}${link.pathname}`).toBe("https://hooks.example.com/portal");
    const ticket = link.searchParams.get("ticket")!;
    expect(ticket).toMatch(/^tkt_/);
    expect((await redeemAccessTicket(ticket)).id).toBe(app.id);
    await rejects(redeemAccessTicket(ticket)); // single use
    expect(token).toMatch(/^appsk_[A-Za-z0-9_-]{40,}$/);
    expect((await findAppToken(token))?.appId).toBe(app.id);
  });

  it("stores the token and the ticket hashed only", async () => {
    const app = await newApp();
    const { url, token } = await createAppPortalAccess(app, {}, "test");
    const ticket = new URL(url).searchParams.get("ticket")!;
    const tokens = await db().prisma.$queryRaw<unknown[]>`SELECT * FROM app_tokens`;
    const tickets = await db().prisma.$queryRaw<unknown[]>`SELECT * FROM tickets`;
    const audit = await db().prisma.$queryRaw<unknown[]>`SELECT * FROM audit_logs`;
    const stored = JSON.stringify([tokens, tickets, audit]);
    expect(stored).toContain(hashToken(token));
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(ticket);
  });

  it("fails naming HOOKLINE_PUBLIC_URL when it is unset, and writes nothing", async () => {
    const app = await newApp();
    const before = await db().prisma.appToken.count();
    const saved = process.env.HOOKLINE_PUBLIC_URL;
    delete process.env.HOOKLINE_PUBLIC_URL;
    resetConfigForTests();
    try {
      const err = await rejects(createAppPortalAccess(app, {}, "test"));
      expect(err.status).toBe(500);
      expect(err.code).toBe("public_url_not_configured");
      expect(err.message).toContain("HOOKLINE_PUBLIC_URL");
    } finally {
      process.env.HOOKLINE_PUBLIC_URL = saved;
      resetConfigForTests();
    }
    expect(await db().prisma.appToken.count()).toBe(before);
  });
});

describe("app tokens", () => {
  it("live 7 days by default, or the asked life from 1 hour to 7 days", async () => {
    const app = await newApp();
    const now = Date.now();
    const week = await createAppToken(app.id, {}, "test");
    expect(week.grant.expiresAt.getTime() - now).toBeGreaterThanOrEqual(7 * 86400_000 - 5000);
    expect(week.grant.expiresAt.getTime() - now).toBeLessThanOrEqual(7 * 86400_000 + 5000);
    const hour = await createAppToken(app.id, { lifeSeconds: 3600 }, "test");
    expect(hour.grant.expiresAt.getTime() - now).toBeLessThanOrEqual(3600_000 + 5000);
    for (const lifeSeconds of [3599, 7 * 86400 + 1, 1.5]) {
      const err = await rejects(createAppToken(app.id, { lifeSeconds }, "test"));
      expect(err.status).toBe(422);
      expect(err.message).toContain("expiry");
    }
  });

  it("stop working once expired", async () => {
    const app = await newApp();
    const { token, grant } = await createAppToken(app.id, {}, "test");
    await db().prisma.appToken.update({
      where: { id: grant.tokenId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect(await findAppToken(token)).toBeNull();
  });

  it("are refused when unknown, malformed or a different kind of credential", async () => {
    expect(await findAppToken("appsk_unknown-token-value-0123456789")).toBeNull();
    expect(await findAppToken("hk_not-an-app-token")).toBeNull();
    expect(await findAppToken(`appsk_${"x".repeat(300)}`)).toBeNull();
  });

  it("carry their app, session, capabilities and feature flags", async () => {
    const app = await newApp();
    const { token } = await createAppToken(
      app.id,
      { sessionId: "user_1", capabilities: ["ViewBase"], featureFlags: ["beta"] },
      "test",
    );
    const grant = (await findAppToken(token))!;
    expect(grant).toMatchObject({
      appId: app.id,
      sessionId: "user_1",
      capabilities: ["ViewBase"],
      featureFlags: ["beta"],
    });
    expect(hasCapability(grant, "ViewBase")).toBe(true);
    expect(hasCapability(grant, "ManageEndpoint")).toBe(false);
    const all = (await findAppToken((await createAppToken(app.id, {}, "test")).token))!;
    expect(hasCapability(all, "ManageEndpoint")).toBe(true);
  });

  it("are revoked one at a time by logout, leaving the others", async () => {
    const app = await newApp();
    const a = await createAppToken(app.id, {}, "test");
    const b = await createAppToken(app.id, {}, "test");
    expect(await revokeAppToken(a.token)).toBe(true);
    expect(await findAppToken(a.token)).toBeNull();
    expect(await findAppToken(b.token)).not.toBeNull();
    expect(await revokeAppToken(a.token)).toBe(false);
  });

  it("are all expired for one app by expire-all, not another app's", async () => {
    const app = await newApp();
    const other = await newApp("Other");
    const a = await createAppToken(app.id, {}, "test");
    const b = await createAppToken(app.id, {}, "test");
    const c = await createAppToken(other.id, {}, "test");
    expect(await revokeAppTokens(app.id)).toBe(2);
    expect(await findAppToken(a.token)).toBeNull();
    expect(await findAppToken(b.token)).toBeNull();
    expect(await findAppToken(c.token)).not.toBeNull();
  });

  it("expire-all may leave a grace period or end only some sessions", async () => {
    const app = await newApp();
    const mine = await createAppToken(app.id, { sessionId: "s1" }, "test");
    const theirs = await createAppToken(app.id, { sessionId: "s2" }, "test");
    expect(await revokeAppTokens(app.id, { sessionIds: ["s1"] })).toBe(1);
    expect(await findAppToken(mine.token)).toBeNull();
    expect(await findAppToken(theirs.token)).not.toBeNull();

    const graced = await createAppToken(app.id, {}, "test");
    await revokeAppTokens(app.id, { graceSeconds: 60 });
    const left = (await findAppToken(graced.token))!;
    expect(left.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    expect(left.expiresAt.getTime() - Date.now()).toBeGreaterThan(30_000);
    const err = await rejects(revokeAppTokens(app.id, { graceSeconds: 3 * 86400 + 1 }));
    expect(err.status).toBe(422);
  });

  it("disappear with their app", async () => {
    const app = await newApp();
    const { token } = await createAppToken(app.id, {}, "test");
    await db().prisma.app.delete({ where: { id: app.id } });
    expect(await findAppToken(token)).toBeNull();
  });
});
