/**
 * The operator console's server side: passwords, sign-in and lock-out, sessions that end
 * server-side, CSRF, viewers refused every write (by direct requests to every console route),
 * and an audit entry for each operator action.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallOptions } from "../helpers/http";
import { findRouteFiles } from "../helpers/route-server";
import {
  CONSOLE_ORIGIN,
  consoleSignIn,
  consoleSignInRequest,
  type SignedOperator,
} from "../helpers/console";
import { hashPassword, verifyPassword } from "@/lib/console/passwords";
import { createOperator, LOCK_AFTER_FAILURES } from "@/lib/console/operators";
import { isMethodNotAllowed } from "@/lib/http/route";
import * as sessionRoute from "@/app/api/console/session/route";
import * as appsRoute from "@/app/api/console/apps/route";
import * as appRoute from "@/app/api/console/apps/[id]/route";
import * as keysRoute from "@/app/api/console/keys/route";
import * as keyRoute from "@/app/api/console/keys/[id]/route";
import * as operatorsRoute from "@/app/api/console/operators/route";
import * as auditRoute from "@/app/api/console/audit/route";
import * as overviewRoute from "@/app/api/console/overview/route";
import * as portalRoute from "@/app/api/console/apps/[id]/portal/route";
import * as v1Apps from "@/app/api/v1/apps/route";

const db = useTestDatabase();
const ORIGIN = CONSOLE_ORIGIN;
const PASSWORD = "correct horse battery staple";

type Handler = Parameters<typeof callRoute>[0];

type Signed = SignedOperator;

async function operator(email: string, role: "admin" | "viewer"): Promise<void> {
  await createOperator({ email, role, password: PASSWORD }, "cli");
}

const signInRequest = consoleSignInRequest;
const signIn = (email: string) => consoleSignIn(email, PASSWORD);

function as(who: Signed, handler: Handler, options: CallOptions, csrf = true) {
  return callRoute(handler, {
    ...options,
    headers: {
      cookie: who.cookie,
      ...(csrf && { origin: ORIGIN, "x-csrf-token": who.csrf }),
      ...options.headers,
    },
  });
}

async function auditActions(actor: string): Promise<string[]> {
  const rows = await db().prisma.auditLog.findMany({
    where: { actor },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map((r) => r.action);
}

describe("operator passwords", () => {
  it("are scrypt hashes with a salt of their own, verified only by the right password", async () => {
    const a = await hashPassword(PASSWORD);
    const b = await hashPassword(PASSWORD);
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, a)).toBe(true);
    expect(await verifyPassword(PASSWORD + " ", a)).toBe(false);
    expect(await verifyPassword(PASSWORD, "plain")).toBe(false);
  });

  it("are stored hashed, with the email lower-cased, and one account per email", async () => {
    await createOperator(
      { email: "  Mixed@Example.COM ", role: "admin", password: PASSWORD },
      "cli",
    );
    const row = await db().prisma.operator.findUniqueOrThrow({
      where: { email: "mixed@example.com" },
    });
    expect(row.passwordHash.startsWith("scrypt$")).toBe(true);
    await expect(
      createOperator({ email: "mixed@example.com", role: "viewer", password: PASSWORD }, "cli"),
    ).rejects.toMatchObject({ code: "conflict" });
    await expect(
      createOperator({ email: "short@example.com", role: "viewer", password: "short" }, "cli"),
    ).rejects.toMatchObject({ code: "validation_failed" });
    const generated = await createOperator({ email: "gen@example.com", role: "viewer" }, "cli");
    expect(generated.generated).toBe(true);
    expect(generated.password.length).toBeGreaterThanOrEqual(20);
    expect(await auditActions("cli")).toContain("operator.created");
  });
});

describe("console sign-in", () => {
  it("locks the account after repeated wrong passwords, even against the right one", async () => {
    await operator("locked@example.com", "admin");
    for (let i = 0; i < LOCK_AFTER_FAILURES - 1; i++) {
      const res = await signInRequest("locked@example.com", "wrong password!!");
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    const locking = await signInRequest("locked@example.com", "wrong password!!");
    expect(locking.status).toBe(401);
    const refused = await signInRequest("locked@example.com", PASSWORD);
    expect(refused.status).toBe(423);
    expect(refused.body.error.code).toBe("account_locked");
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(refused.headers.getSetCookie()).toEqual([]);
    const actions = await auditActions("operator:locked@example.com");
    expect(actions.filter((a) => a === "operator.sign_in_failed")).toHaveLength(
      LOCK_AFTER_FAILURES - 1,
    );
    expect(actions).toContain("operator.locked");
    expect(actions).not.toContain("operator.signed_in");
  });

  it("answers an unknown email as a wrong password", async () => {
    const res = await signInRequest("nobody@example.com", PASSWORD);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe("Wrong email or password");
  });

  it("is refused from another origin (no login CSRF)", async () => {
    await operator("origin@example.com", "admin");
    const res = await signInRequest("origin@example.com", PASSWORD, {
      origin: "https://evil.example",
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("csrf_failed");
  });

  it("sets an HttpOnly, SameSite=Lax session cookie", async () => {
    await operator("cookie@example.com", "viewer");
    const res = await signInRequest("cookie@example.com", PASSWORD);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("hookline_console="))!;
    expect(session).toContain("HttpOnly");
    expect(session).toContain("SameSite=Lax");
    expect(session).not.toContain(PASSWORD);
    const secure = await signInRequest("cookie@example.com", PASSWORD, {
      origin: "https://hookline.test",
    });
    // Over plain http the origin differs from the request's: refused, never a cookie.
    expect(secure.status).toBe(403);
  });
});

describe("console sessions", () => {
  it("end server-side at sign-out: the same cookie is refused afterwards", async () => {
    await operator("out@example.com", "viewer");
    const who = await signIn("out@example.com");
    const me = await as(who, sessionRoute.GET, { path: "/api/console/session" }, false);
    expect(me.status).toBe(200);
    expect(me.body.operator).toMatchObject({ email: "out@example.com", role: "viewer" });

    const noToken = await as(
      who,
      sessionRoute.DELETE,
      { method: "DELETE", path: "/api/console/session" },
      false,
    );
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe("csrf_failed");
    const otherOrigin = await as(who, sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/console/session",
      headers: { origin: "https://evil.example" },
    });
    expect(otherOrigin.body.error.code).toBe("csrf_failed");

    const out = await as(who, sessionRoute.DELETE, {
      method: "DELETE",
      path: "/api/console/session",
    });
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toContain("Max-Age=0");
    expect(
      await db().prisma.operatorSession.count({
        where: { operator: { email: "out@example.com" } },
      }),
    ).toBe(0);
    const after = await as(who, sessionRoute.GET, { path: "/api/console/session" }, false);
    expect(after.status).toBe(401);
    expect(await auditActions("operator:out@example.com")).toEqual([
      "operator.signed_in",
      "operator.signed_out",
    ]);
  });

  it("refuse a tampered cookie", async () => {
    const res = await callRoute(overviewRoute.GET, {
      path: "/api/console/overview",
      headers: { cookie: "hookline_console=Fe26.2**forged" },
    });
    expect(res.status).toBe(401);
  });
});

const CONSOLE_API = path.resolve(import.meta.dirname, "..", "..", "app", "api", "console");
const MUTATIONS = ["POST", "PUT", "PATCH", "DELETE"] as const;

describe("viewers", () => {
  it("are refused every console write by direct requests, and nothing changes", async () => {
    await operator("admin1@example.com", "admin");
    await operator("viewer1@example.com", "viewer");
    const admin = await signIn("admin1@example.com");
    const viewer = await signIn("viewer1@example.com");
    const app = await as(admin, appsRoute.POST, {
      method: "POST",
      path: "/api/console/apps",
      body: { slug: "viewer-target", name: "Target" },
    });
    expect(app.status).toBe(201);
    const auditBefore = await db().prisma.auditLog.count();

    const routes = findRouteFiles(CONSOLE_API);
    let tried = 0;
    for (const route of routes) {
      const mod = (await import(route.file)) as Record<string, Handler>;
      const urlPath = `/api/console/${route.segments.join("/")}`;
      for (const method of MUTATIONS) {
        const handler = mod[method];
        if (!handler || isMethodNotAllowed(handler)) continue;
        // Signing in and out are every operator's own.
        if (urlPath === "/api/console/session") continue;
        tried++;
        const res = await as(viewer, handler, {
          method,
          path: urlPath,
          params: { id: route.segments.includes("operators") ? "opr_x" : app.body.id },
          body: { name: "x", role: "admin", email: "new@example.com", slug: "new-app" },
        });
        expect(res.status, `${method} ${urlPath}`).toBe(403);
        expect(res.body.error.code, `${method} ${urlPath}`).toBe("operator_read_only");
      }
    }
    expect(tried).toBeGreaterThanOrEqual(8);
    expect(await db().prisma.auditLog.count()).toBe(auditBefore);
    expect(await db().prisma.app.count({ where: { slug: "new-app" } })).toBe(0);
    // Reads are theirs.
    const list = await as(viewer, appsRoute.GET, { path: "/api/console/apps?q=viewer" }, false);
    expect(list.status).toBe(200);
    expect(list.body.data.map((a: { slug: string }) => a.slug)).toEqual(["viewer-target"]);
  });
});

describe("admin actions", () => {
  it("are each audited with who did them, and a revoked key is refused at once", async () => {
    await operator("boss@example.com", "admin");
    const admin = await signIn("boss@example.com");
    const actor = "operator:boss@example.com";

    const created = await as(admin, appsRoute.POST, {
      method: "POST",
      path: "/api/console/apps",
      body: { slug: "audited", name: "Audited" },
    });
    expect(created.status).toBe(201);
    const edited = await as(admin, appRoute.PATCH, {
      method: "PATCH",
      path: "/api/console/apps/audited",
      params: { id: "audited" },
      body: { name: "Audited 2" },
    });
    expect(edited.body.name).toBe("Audited 2");
    const portal = await as(admin, portalRoute.POST, {
      method: "POST",
      path: "/api/console/apps/audited/portal",
      params: { id: "audited" },
    });
    expect(portal.body.url).toMatch(/^\/portal\?ticket=tkt_/);

    const key = await as(admin, keysRoute.POST, {
      method: "POST",
      path: "/api/console/keys",
      body: { name: "from console" },
    });
    expect(key.status).toBe(201);
    const auth = { authorization: `Bearer ${key.body.key}` };
    expect((await callRoute(v1Apps.GET, { path: "/api/v1/apps", headers: auth })).status).toBe(200);
    const revoked = await as(admin, keyRoute.DELETE, {
      method: "DELETE",
      path: `/api/console/keys/${key.body.apiKey.id}`,
      params: { id: key.body.apiKey.id },
    });
    expect(revoked.body.revokedAt).not.toBeNull();
    expect((await callRoute(v1Apps.GET, { path: "/api/v1/apps", headers: auth })).status).toBe(401);

    const op = await as(admin, operatorsRoute.POST, {
      method: "POST",
      path: "/api/console/operators",
      body: { email: "Second@Example.com", role: "viewer" },
    });
    expect(op.status).toBe(201);
    expect(op.body.operator.email).toBe("second@example.com");
    expect(typeof op.body.password).toBe("string");

    expect(await auditActions(actor)).toEqual([
      "operator.signed_in",
      "app.created",
      "app.updated",
      "ticket.issued",
      "api_key.created",
      "api_key.revoked",
      "operator.created",
    ]);
    const deleted = await as(admin, appRoute.DELETE, {
      method: "DELETE",
      path: "/api/console/apps/audited",
      params: { id: "audited" },
    });
    expect(deleted.status).toBe(204);
    // The app's own rows go with it (tenant data); the deletion stays on record, with its slug.
    const last = await db().prisma.auditLog.findFirstOrThrow({
      where: { actor },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    expect(last).toMatchObject({ action: "app.deleted", details: { slug: "audited" } });

    const filtered = await as(
      admin,
      auditRoute.GET,
      { path: `/api/console/audit?actor=boss@&action=api_key.` },
      false,
    );
    expect(filtered.body.data.map((r: { action: string }) => r.action)).toEqual([
      "api_key.revoked",
      "api_key.created",
    ]);
    const paged = await as(
      admin,
      auditRoute.GET,
      { path: `/api/console/audit?actor=boss@&limit=3` },
      false,
    );
    expect(paged.body.data).toHaveLength(3);
    const next = await as(
      admin,
      auditRoute.GET,
      { path: `/api/console/audit?actor=boss@&limit=3&cursor=${paged.body.next_cursor}` },
      false,
    );
    expect(next.body.data[0].action).toBe("api_key.created");
  });

  it("see the overview with live figures", async () => {
    await operator("ov@example.com", "viewer");
    const who = await signIn("ov@example.com");
    const res = await as(who, overviewRoute.GET, { path: "/api/console/overview" }, false);
    expect(res.status).toBe(200);
    expect(res.body.series).toHaveLength(24);
    expect(res.body.health.database.status).toBe("up");
    expect(res.body.queue).toMatchObject({
      due: expect.any(Number),
      lag_seconds: expect.any(Number),
    });
  });
});
