import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppPortalCapability, Svix, type ApiException } from "svix";
import { Svix as Svix1 } from "svix-v1";
import { useTestDatabase } from "../helpers/db";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { checkingFetch } from "../helpers/svix-spec";
import { createApiKey } from "@/lib/auth/api-keys";
import { resetConfigForTests } from "@/lib/config";
import type { AppPortalCapability as AppPortalCapabilityName } from "@/lib/svix/app-tokens";
import { assertRouteAllowed, type SvixPrincipal } from "@/lib/svix/auth";

// The official clients, unchanged but for serverUrl (and a fetch that validates every answer
// against Svix's spec), against the route handlers over real HTTP.
const db = useTestDatabase({ HOOKLINE_PUBLIC_URL: "https://hooks.example.com" });
let server: RouteServer;
let key: string;
let admin: Svix;
const checked = checkingFetch();
const HOST = "https://app.acme.test";

beforeAll(async () => {
  server = await startRouteServer();
  ({ key } = await createApiKey({ name: "svix-portal" }, "test"));
  admin = new Svix(key, { serverUrl: server.url, fetch: checked.fetch });
});
afterAll(() => server?.close());

const asToken = (token: string) => new Svix(token, { serverUrl: server.url, fetch: checked.fetch });

async function failure(promise: Promise<unknown>): Promise<ApiException<{ code?: string }>> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, "expected the call to fail").toMatchObject({ code: expect.any(Number) });
  return err as ApiException<{ code?: string }>;
}

async function twoApps() {
  const mine = await admin.application.create({ name: "Mine", uid: `mine-${Date.now()}` });
  const other = await admin.application.create({ name: "Other", uid: `other-${Date.now()}` });
  await db().prisma.app.update({ where: { id: mine.id }, data: { embedOrigins: [HOST] } });
  return { mine, other };
}

describe("appPortalAccess", () => {
  it("answers { url, token } with both clients, by app id or uid", async () => {
    const { mine } = await twoApps();
    for (const svix of [admin, new Svix1(key, { serverUrl: server.url, fetch: checked.fetch })]) {
      const byId = await svix.authentication.appPortalAccess(mine.id, {});
      expect(byId.url).toMatch(/^https:\/\/hooks\.example\.com\/portal\?ticket=tkt_/);
      expect(byId.token).toMatch(/^appsk_/);
      const byUid = await svix.authentication.appPortalAccess(mine.uid!, { expiry: 3600 });
      expect(byUid.token).not.toBe(byId.token);
    }
    expect(checked.answers.flatMap((a) => a.errors)).toEqual([]);
  });

  it("refuses a bad expiry or capability (422 naming it), an unknown app (404), no key (401)", async () => {
    const { mine } = await twoApps();
    const tooLong = await failure(
      admin.authentication.appPortalAccess(mine.id, { expiry: 8 * 86400 }),
    );
    expect(tooLong.code).toBe(422);
    expect(JSON.stringify(tooLong.body)).toContain('"expiry"');
    const badCapability = await failure(
      admin.authentication.appPortalAccess(mine.id, {
        capabilities: ["Everything" as never],
      }),
    );
    expect(badCapability.code).toBe(422);
    expect((await failure(admin.authentication.appPortalAccess("app_nope", {}))).code).toBe(404);
    const anonymous = new Svix("hk_wrong", { serverUrl: server.url });
    expect((await failure(anonymous.authentication.appPortalAccess(mine.id, {}))).code).toBe(401);
  });

  it("creates the app from `application` when the path names none", async () => {
    const uid = `created-${Date.now()}`;
    const { token } = await admin.authentication.appPortalAccess(uid, {
      application: { name: "Made on access" },
    });
    const app = await asToken(token).application.get(uid);
    expect(app).toMatchObject({ uid, name: "Made on access" });
  });

  it("fails naming HOOKLINE_PUBLIC_URL when it is not set", async () => {
    const { mine } = await twoApps();
    const saved = process.env.HOOKLINE_PUBLIC_URL;
    delete process.env.HOOKLINE_PUBLIC_URL;
    resetConfigForTests();
    try {
      const err = await failure(
        new Svix(key, {
          serverUrl: server.url,
          numRetries: 0,
        } as never).authentication.appPortalAccess(mine.id, {}),
      );
      expect(err.code).toBe(500);
      expect(JSON.stringify(err.body)).toContain("HOOKLINE_PUBLIC_URL");
    } finally {
      process.env.HOOKLINE_PUBLIC_URL = saved;
      resetConfigForTests();
    }
  });

  it("is not kept by idempotency-key: the answer's token is never stored", async () => {
    const { mine } = await twoApps();
    const first = await admin.authentication.appPortalAccess(
      mine.id,
      {},
      { idempotencyKey: "same-key" },
    );
    const second = await admin.authentication.appPortalAccess(
      mine.id,
      {},
      { idempotencyKey: "same-key" },
    );
    expect(second.token).not.toBe(first.token);
    const rows = await db().prisma.$queryRawUnsafe<unknown[]>(
      "SELECT * FROM svix_idempotency_keys",
    );
    expect(JSON.stringify(rows)).not.toContain(first.token);
  });
});

describe("an app token", () => {
  it("acts on its own app and nothing else", async () => {
    const { mine, other } = await twoApps();
    const { token } = await admin.authentication.appPortalAccess(mine.id, {});
    const svix = asToken(token);
    expect((await svix.application.get(mine.id)).id).toBe(mine.id);
    expect((await svix.application.get(mine.uid!)).id).toBe(mine.id);

    expect((await failure(svix.application.get(other.id))).code).toBe(404);
    expect((await failure(svix.application.list())).code).toBe(403);
    expect((await failure(svix.application.create({ name: "Sneaky" }))).code).toBe(403);
    expect((await failure(svix.application.delete(mine.id))).code).toBe(403);
    expect((await failure(svix.application.patch(mine.id, { name: "Renamed" }))).code).toBe(403);
    expect((await failure(svix.authentication.appPortalAccess(mine.id, {}))).code).toBe(403);
    expect((await failure(svix.authentication.expireAll(mine.id, {}))).code).toBe(403);
    expect((await failure(svix.eventType.create({ name: "x.y", description: "no" }))).code).toBe(
      403,
    );
    expect((await db().prisma.app.findUniqueOrThrow({ where: { id: mine.id } })).name).toBe("Mine");

    // Hookline's own API takes API keys only.
    const native = await fetch(`${server.url}/api/v1/apps`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(native.status).toBe(401);
    const nativeApp = await fetch(`${server.url}/api/v1/apps/${mine.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(nativeApp.status).toBe(401);
  });

  it("lists its app's endpoints and messages, and reaches no other app's", async () => {
    const { mine, other } = await twoApps();
    const created = await admin.endpoint.create(mine.id, { url: "https://example.com/hook" });
    await admin.endpoint.create(other.id, { url: "https://example.com/other" });
    const svix = asToken((await admin.authentication.appPortalAccess(mine.id, {})).token);
    const list = await svix.endpoint.list(mine.id);
    expect(list.data.map((e) => e.id)).toEqual([created.id]);
    expect((await failure(svix.endpoint.list(other.id))).code).toBe(404);
    expect((await failure(svix.endpoint.get(other.id, created.id))).code).toBe(404);
    expect((await svix.message.list(mine.id)).data).toEqual([]);
    expect((await failure(svix.message.list(other.id))).code).toBe(404);
    expect((await failure(svix.messageAttempt.listByEndpoint(other.id, created.id))).code).toBe(
      404,
    );
    // Event types: read (useEventTypes does), never written.
    await svix.eventType.list();
    expect((await failure(svix.eventType.create({ name: "x.z", description: "no" }))).code).toBe(
      403,
    );
  });

  it("with only ViewBase reads but cannot change (403)", async () => {
    const { mine } = await twoApps();
    const { token } = await admin.authentication.appPortalAccess(mine.id, {
      capabilities: [AppPortalCapability.ViewBase],
    });
    const svix = asToken(token);
    expect((await svix.application.get(mine.id)).id).toBe(mine.id);
    expect((await svix.endpoint.list(mine.id)).data).toEqual([]);
    const refused = await failure(svix.endpoint.create(mine.id, { url: "https://example.com/a" }));
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({ code: "insufficient_access" });
  });

  it("stops working after logout, and all of an app's after expire-all (portal sessions too)", async () => {
    const { mine, other } = await twoApps();
    const a = asToken((await admin.authentication.appPortalAccess(mine.id, {})).token);
    const b = asToken((await admin.authentication.appPortalAccess(mine.id, {})).token);
    const c = asToken((await admin.authentication.appPortalAccess(mine.id, {})).token);
    const elsewhere = asToken((await admin.authentication.appPortalAccess(other.id, {})).token);

    await a.authentication.logout();
    expect((await failure(a.application.get(mine.id))).code).toBe(401);
    expect((await b.application.get(mine.id)).id).toBe(mine.id);

    await admin.authentication.expireAll(mine.id, {});
    expect((await failure(b.application.get(mine.id))).code).toBe(401);
    const row = await db().prisma.app.findUniqueOrThrow({ where: { id: mine.id } });
    expect(row.portalSessionsRevokedAt).not.toBeNull();
    expect((await failure(c.application.get(mine.id))).code).toBe(401);
    expect((await elsewhere.application.get(other.id)).id).toBe(other.id);

    // With sessionIds, only the tokens made for those sessions end.
    const s1 = asToken(
      (await admin.authentication.appPortalAccess(mine.id, { sessionId: "user_1" })).token,
    );
    const s2 = asToken(
      (await admin.authentication.appPortalAccess(mine.id, { sessionId: "user_2" })).token,
    );
    await admin.authentication.expireAll(mine.id, { sessionIds: ["user_1"] });
    expect((await failure(s1.application.get(mine.id))).code).toBe(401);
    expect((await s2.application.get(mine.id)).id).toBe(mine.id);

    // An API key is not a session: logging it out ends nothing.
    await admin.authentication.logout();
    expect((await admin.application.get(mine.id)).id).toBe(mine.id);
  });
});

describe("CORS for app tokens", () => {
  async function tokenFor(appId: string) {
    return (await admin.authentication.appPortalAccess(appId, {})).token;
  }

  it("preflights are allowed for the embed origins of the app in the path", async () => {
    const { mine, other } = await twoApps();
    const preflight = (appId: string, origin: string) =>
      fetch(`${server.url}/api/v1/app/${appId}/endpoint`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type, idempotency-key",
        },
      });
    const ok = await preflight(mine.uid!, HOST);
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe(HOST);
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(ok.headers.get("access-control-allow-headers")).toContain("idempotency-key");
    expect(ok.headers.get("access-control-allow-methods")).toContain("DELETE");
    expect(
      (await preflight(mine.id, "https://evil.test")).headers.has("access-control-allow-origin"),
    ).toBe(false);
    expect((await preflight(other.id, HOST)).headers.has("access-control-allow-origin")).toBe(
      false,
    );
  });

  it("answers an app token's requests from its embed origins, refuses other origins (403)", async () => {
    const { mine } = await twoApps();
    const token = await tokenFor(mine.id);
    const get = (origin: string, credential = token) =>
      fetch(`${server.url}/api/v1/app/${mine.id}`, {
        headers: { origin, authorization: `Bearer ${credential}` },
      });
    const ok = await get(HOST);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(HOST);
    expect(ok.headers.get("vary")).toContain("Origin");

    const evil = await get("https://evil.test");
    expect(evil.status).toBe(403);
    expect(evil.headers.has("access-control-allow-origin")).toBe(false);

    // An API key is a backend secret: its answers are never readable by a browser elsewhere.
    const withKey = await get(HOST, key);
    expect(withKey.status).toBe(200);
    expect(withKey.headers.has("access-control-allow-origin")).toBe(false);

    // A dead token's 401 is readable, so the browser's client sees it rather than a network error.
    const dead = await get(HOST, "appsk_not-a-live-token-0123456789abcdef");
    expect(dead.status).toBe(401);
    expect(dead.headers.get("access-control-allow-origin")).toBe(HOST);
  });
});

describe("what an app token may reach", () => {
  const grant = (capabilities: AppPortalCapabilityName[]): SvixPrincipal => ({
    kind: "app_token",
    id: "atk_1",
    actor: "app_token:atk_1",
    grant: {
      tokenId: "atk_1",
      appId: "app_1",
      sessionId: null,
      capabilities,
      featureFlags: [],
      expiresAt: new Date(),
    },
  });
  const allowed = (capabilities: AppPortalCapabilityName[], method: string, path: string) => {
    try {
      assertRouteAllowed(grant(capabilities), { method, path });
      return true;
    } catch {
      return false;
    }
  };

  it("its app's resources and catalog reads; the rest of the environment never", () => {
    expect(allowed([], "GET", "/app/{app_id}/endpoint")).toBe(true);
    expect(allowed([], "POST", "/app/{app_id}/endpoint")).toBe(true);
    expect(allowed([], "GET", "/event-type")).toBe(true);
    expect(allowed([], "POST", "/auth/logout")).toBe(true);
    expect(allowed([], "GET", "/app")).toBe(false);
    expect(allowed([], "DELETE", "/app/{app_id}")).toBe(false);
    expect(allowed([], "POST", "/event-type")).toBe(false);
    expect(allowed([], "POST", "/auth/app-portal-access/{app_id}")).toBe(false);
    expect(allowed([], "GET", "/background-task")).toBe(false);
    expect(allowed([], "POST", "/operational-webhook/endpoint")).toBe(false);
  });

  it("within its capabilities", () => {
    const view = ["ViewBase"] as AppPortalCapabilityName[];
    expect(allowed(view, "GET", "/app/{app_id}/endpoint/{endpoint_id}")).toBe(true);
    expect(allowed(view, "GET", "/app/{app_id}/endpoint/{endpoint_id}/secret")).toBe(false);
    expect(allowed(view, "POST", "/app/{app_id}/endpoint")).toBe(false);
    expect(allowed(view, "POST", "/auth/logout")).toBe(true);
    const secret = ["ViewBase", "ManageEndpointSecret"] as AppPortalCapabilityName[];
    expect(allowed(secret, "GET", "/app/{app_id}/endpoint/{endpoint_id}/secret")).toBe(true);
    expect(allowed(secret, "POST", "/app/{app_id}/endpoint/{endpoint_id}/secret/rotate")).toBe(
      true,
    );
    expect(allowed(secret, "DELETE", "/app/{app_id}/endpoint/{endpoint_id}")).toBe(false);
    const attempts = ["ViewBase", "CreateAttempts"] as AppPortalCapabilityName[];
    expect(allowed(attempts, "POST", "/app/{app_id}/endpoint/{endpoint_id}/recover")).toBe(true);
    expect(
      allowed(attempts, "POST", "/app/{app_id}/msg/{msg_id}/endpoint/{endpoint_id}/resend"),
    ).toBe(true);
    expect(allowed(attempts, "PATCH", "/app/{app_id}/endpoint/{endpoint_id}")).toBe(false);
  });
});

describe("every answer", () => {
  it("matched the response schema of its operation in Svix's spec", () => {
    expect(checked.answers.length).toBeGreaterThan(40);
    expect(checked.answers.filter((a) => a.errors.length)).toEqual([]);
    expect(checked.answers.filter((a) => a.status >= 500 && !/portal-access/.test(a.path))).toEqual(
      [],
    );
  });
});
