/**
 * The console's app page talks to the frontend API as the portal does, with a signed-in
 * operator in place of a portal session (`x-hookline-operator-app` names the app): the portal's
 * own handlers, viewers refused every change and the signing secret, admins allowed with the
 * console's CSRF check, changes audited as `operator:<email>`, another app's data out of reach,
 * and never for another origin's page.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "@/generated/prisma/client";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallOptions } from "../helpers/http";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import { CONSOLE_ORIGIN, consoleSignIn, type SignedOperator } from "../helpers/console";
import { createOperator } from "@/lib/console/operators";
import { OPERATOR_APP_HEADER } from "@/lib/http/route";
import * as session from "@/app/api/frontend/webhook/session/route";
import * as endpoints from "@/app/api/frontend/webhook/endpoints/route";
import * as endpoint from "@/app/api/frontend/webhook/endpoints/[id]/route";
import * as secret from "@/app/api/frontend/webhook/endpoints/[id]/secret/route";

const db = useTestDatabase();
const ORIGIN = CONSOLE_ORIGIN;
const PASSWORD = "correct horse battery staple";

type Handler = Parameters<typeof callRoute>[0];

async function signIn(email: string, role: "admin" | "viewer"): Promise<SignedOperator> {
  await createOperator({ email, role, password: PASSWORD }, "cli");
  return consoleSignIn(email, PASSWORD);
}

/** A call as the console's page makes it: same origin, the cookie, the app header, the token. */
function onApp(who: SignedOperator, app: App, handler: Handler, options: CallOptions) {
  return callRoute(handler, {
    ...options,
    headers: {
      cookie: who.cookie,
      origin: ORIGIN,
      "x-csrf-token": who.csrf,
      [OPERATOR_APP_HEADER]: app.slug,
      ...options.headers,
    },
  });
}

let mine: App;
let theirs: App;
let theirEndpoint: string;
let admin: SignedOperator;
let viewer: SignedOperator;

beforeAll(async () => {
  mine = await createTestApp("app_console_mine");
  theirs = await createTestApp("app_console_theirs");
  await createTestEndpoint(mine, { url: "https://mine.example/hooks" });
  theirEndpoint = (await createTestEndpoint(theirs, { url: "https://theirs.example/hooks" }))
    .endpoint.id;
  admin = await signIn("admin@console.test", "admin");
  viewer = await signIn("viewer@console.test", "viewer");
});

const newEndpoint = { url: "https://new.example/hooks", subscriptions: ["*"] };

describe("the frontend API for an operator on one app", () => {
  it("answers the portal's reads for the named app, with the console's CSRF token", async () => {
    const s = await onApp(viewer, mine, session.GET, { path: "/api/frontend/webhook/session" });
    expect(s.status, JSON.stringify(s.body)).toBe(200);
    expect(s.body).toMatchObject({ webhook_app: { id: mine.id }, csrf_token: viewer.csrf });
    const list = await onApp(viewer, mine, endpoints.GET, {
      path: "/api/frontend/webhook/endpoints",
    });
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { url: string }) => e.url)).toEqual([
      "https://mine.example/hooks",
    ]);
  });

  it("refuses a viewer every change and the signing secret", async () => {
    const create = await onApp(viewer, mine, endpoints.POST, {
      method: "POST",
      path: "/api/frontend/webhook/endpoints",
      body: newEndpoint,
    });
    expect(create.status).toBe(403);
    expect(create.body.error.code).toBe("operator_read_only");
    const [first] = await db().prisma.endpoint.findMany({ where: { appId: mine.id } });
    const reveal = await onApp(viewer, mine, secret.GET, {
      path: `/api/frontend/webhook/endpoints/${first!.id}/secret`,
      params: { id: first!.id },
    });
    expect(reveal.status).toBe(403);
    expect(reveal.body.error.code).toBe("operator_read_only");
    expect(await db().prisma.endpoint.count({ where: { appId: mine.id } })).toBe(1);
  });

  it("lets an admin change the app, audited under the operator's email", async () => {
    const create = await onApp(admin, mine, endpoints.POST, {
      method: "POST",
      path: "/api/frontend/webhook/endpoints",
      body: newEndpoint,
    });
    expect(create.status, JSON.stringify(create.body)).toBe(201);
    const row = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: create.body.id } });
    expect(row.appId).toBe(mine.id);
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { action: "endpoint.created", targetId: create.body.id },
    });
    expect(audit.actor).toBe("operator:admin@console.test");
  });

  it("refuses a change without the console's CSRF token, or from another origin", async () => {
    const noToken = await onApp(admin, mine, endpoints.POST, {
      method: "POST",
      path: "/api/frontend/webhook/endpoints",
      body: newEndpoint,
      headers: { "x-csrf-token": "" },
    });
    expect(noToken.status).toBe(403);
    expect(noToken.body.error.code).toBe("csrf_failed");
    const elsewhere = await onApp(admin, mine, endpoints.GET, {
      path: "/api/frontend/webhook/endpoints",
      headers: { origin: "https://customer.example" },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("never reaches another app's data through the named app", async () => {
    const read = await onApp(admin, mine, endpoint.GET, {
      path: `/api/frontend/webhook/endpoints/${theirEndpoint}`,
      params: { id: theirEndpoint },
    });
    expect(read.status).toBe(404);
    const remove = await onApp(admin, mine, endpoint.DELETE, {
      method: "DELETE",
      path: `/api/frontend/webhook/endpoints/${theirEndpoint}`,
      params: { id: theirEndpoint },
    });
    expect(remove.status).toBe(404);
    expect(
      (await db().prisma.endpoint.findUniqueOrThrow({ where: { id: theirEndpoint } })).deletedAt,
    ).toBeNull();
  });

  it("is nothing without a console session: the header alone opens no app", async () => {
    const res = await callRoute(endpoints.GET, {
      path: "/api/frontend/webhook/endpoints",
      headers: { [OPERATOR_APP_HEADER]: mine.slug },
    });
    expect(res.status).toBe(401);
    const unknown = await onApp(admin, { ...mine, slug: "no-such-app" }, endpoints.GET, {
      path: "/api/frontend/webhook/endpoints",
    });
    expect(unknown.status).toBe(404);
  });
});
