import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { activeSigningSecrets } from "@/lib/endpoints/signing-secrets";
import * as appsRoute from "@/app/api/v1/apps/route";
import * as appRoute from "@/app/api/v1/apps/[slug]/route";
import * as rotateRoute from "@/app/api/v1/apps/[slug]/rotate-secret/route";
import * as endpointsRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as endpointRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";

const db = useTestDatabase();
let key: string;

beforeAll(async () => {
  key = (await createApiKey({ name: "apps" }, "test")).key;
});

async function createApp(slug: string, extra: Record<string, unknown> = {}) {
  const res = await callRoute(appsRoute.POST, {
    method: "POST",
    path: "/api/v1/apps",
    apiKey: key,
    body: { slug, name: slug, ...extra },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; slug: string };
}

async function createEndpoint(slug: string, url = "https://receiver.example.com/hook") {
  const res = await callRoute(endpointsRoute.POST, {
    method: "POST",
    path: `/api/v1/apps/${slug}/endpoints`,
    apiKey: key,
    params: { slug },
    body: { url, events: ["invoice.paid"] },
  });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field);

describe("GET /apps/{slug}", () => {
  it("answers the app by slug or by id, and 404 for an unknown one", async () => {
    const app = await createApp("get-me", {
      description: "d",
      embed_origins: ["https://app.example.com"],
      branding: { theme: "dark" },
    });
    for (const ref of ["get-me", app.id]) {
      const res = await callRoute(appRoute.GET, {
        path: `/api/v1/apps/${ref}`,
        apiKey: key,
        params: { slug: ref },
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        id: app.id,
        slug: "get-me",
        description: "d",
        embed_origins: ["https://app.example.com"],
        branding: { theme: "dark" },
        strict_catalog: false,
      });
    }
    const missing = await callRoute(appRoute.GET, {
      path: "/api/v1/apps/nope",
      apiKey: key,
      params: { slug: "nope" },
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    const anonymous = await callRoute(appRoute.GET, {
      path: "/api/v1/apps/get-me",
      params: { slug: "get-me" },
    });
    expect(anonymous.status).toBe(401);
  });
});

describe("PATCH /apps/{slug}", () => {
  it("changes the given fields only and audits it", async () => {
    const app = await createApp("patch-me", {
      description: "before",
      branding: { primary_color: "#112233" },
    });
    const res = await callRoute(appRoute.PATCH, {
      method: "PATCH",
      path: "/api/v1/apps/patch-me",
      apiKey: key,
      params: { slug: "patch-me" },
      body: {
        name: "Renamed",
        strict_catalog: true,
        branding: { theme: "light", logo_url: "https://cdn.example.com/l.png" },
        embed_origins: ["https://a.example.com"],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      slug: "patch-me",
      name: "Renamed",
      description: "before",
      strict_catalog: true,
      embed_origins: ["https://a.example.com"],
      branding: { theme: "light", logo_url: "https://cdn.example.com/l.png" },
    });
    expect(res.body.branding.primary_color).toBeUndefined();
    const cleared = await callRoute(appRoute.PATCH, {
      method: "PATCH",
      path: "/x",
      apiKey: key,
      params: { slug: "patch-me" },
      body: { description: null },
    });
    expect(cleared.body.description).toBeNull();
    const audit = await db().prisma.auditLog.findMany({
      where: { targetId: app.id, action: "app.updated" },
    });
    expect(audit).toHaveLength(2);
  });

  it.each([
    [{ slug: "new-slug" }, "slug"],
    [{}, "(body)"],
    [{ name: "" }, "name"],
    [{ branding: { primary_color: "red" } }, "branding.primary_color"],
    [{ branding: { theme: "neon" } }, "branding.theme"],
    [{ embed_origins: ["https://a.example.com/path"] }, "embed_origins[0]"],
    [{ strict_catalog: "yes" }, "strict_catalog"],
    [{ colour: "blue" }, "colour"],
  ])("refuses %j with 422 naming %s, changing nothing", async (body, field) => {
    await createApp(`bad-${Math.random().toString(36).slice(2, 8)}`);
    const before = await db().prisma.app.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const res = await callRoute(appRoute.PATCH, {
      method: "PATCH",
      path: "/x",
      apiKey: key,
      params: { slug: before.slug },
      body,
    });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    const after = await db().prisma.app.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toEqual(before);
  });

  it("answers 404 for an unknown app", async () => {
    const res = await callRoute(appRoute.PATCH, {
      method: "PATCH",
      path: "/x",
      apiKey: key,
      params: { slug: "ghost" },
      body: { name: "x" },
    });
    expect(res.status).toBe(404);
  });
});

describe("DELETE /apps/{slug}", () => {
  it("removes the app and everything under it, keeps an audit row, then answers 404", async () => {
    const app = await createApp("doomed");
    const endpoint = await createEndpoint("doomed");
    const res = await callRoute(appRoute.DELETE, {
      method: "DELETE",
      path: "/x",
      apiKey: key,
      params: { slug: "doomed" },
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect(await db().prisma.app.count({ where: { id: app.id } })).toBe(0);
    expect(await db().prisma.endpoint.count({ where: { id: endpoint.id } })).toBe(0);
    expect(await db().prisma.endpointSecret.count({ where: { endpointId: endpoint.id } })).toBe(0);
    expect(await db().prisma.eventType.count({ where: { appId: app.id } })).toBe(0);
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { action: "app.deleted", targetId: app.id },
    });
    expect(audit.details).toMatchObject({ slug: "doomed" });
    const again = await callRoute(appRoute.DELETE, {
      method: "DELETE",
      path: "/x",
      apiKey: key,
      params: { slug: "doomed" },
    });
    expect(again.status).toBe(404);
    const get = await callRoute(appRoute.GET, {
      path: "/x",
      apiKey: key,
      params: { slug: "doomed" },
    });
    expect(get.status).toBe(404);
  });
});

describe("POST /apps/{slug}/rotate-secret", () => {
  it("rotates every live endpoint's secret, keeping the old ones for 24 h by default", async () => {
    const app = await createApp("rotate-all");
    const a = await createEndpoint("rotate-all");
    const b = await createEndpoint("rotate-all");
    const gone = await createEndpoint("rotate-all");
    await callRoute(endpointRoute.DELETE, {
      method: "DELETE",
      path: "/x",
      apiKey: key,
      params: { slug: "rotate-all", id: gone.id },
    });
    const other = await createApp("rotate-other");
    const untouched = await createEndpoint("rotate-other");

    const res = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: "rotate-all" },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ rotated: 2 });
    const active = await activeSigningSecrets([a.id, b.id, untouched.id]);
    expect(active.get(a.id)).toHaveLength(2);
    expect(active.get(a.id)![1]).toBe(a.secret);
    expect(active.get(a.id)![0]).not.toBe(a.secret);
    expect(active.get(b.id)).toHaveLength(2);
    expect(active.get(untouched.id)).toEqual([untouched.secret]);
    const previous = await db().prisma.endpointSecret.findFirstOrThrow({
      where: { endpointId: a.id, expiresAt: { not: null } },
    });
    const hours = (previous.expiresAt!.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { action: "app.secrets_rotated", appId: app.id },
    });
    expect(audit.details).toMatchObject({ rotated: 2 });
    expect(other.id).not.toBe(app.id);
  });

  it("invalidates the previous secrets at once with expire_previous", async () => {
    await createApp("rotate-now");
    const a = await createEndpoint("rotate-now");
    const res = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: "rotate-now" },
      body: { expire_previous: true },
    });
    expect(res.body).toEqual({ rotated: 1 });
    const active = await activeSigningSecrets([a.id]);
    expect(active.get(a.id)).toHaveLength(1);
    expect(active.get(a.id)![0]).not.toBe(a.secret);
  });

  it.each([
    [{ grace_period_seconds: -1 }, "grace_period_seconds"],
    [{ grace_period_seconds: 8 * 86400 }, "grace_period_seconds"],
    [{ expire_previous: true, grace_period_seconds: 60 }, "grace_period_seconds"],
    [{ expire_previous: "yes" }, "expire_previous"],
    [{ everything: true }, "everything"],
  ])("refuses %j with 422 naming %s and rotates nothing", async (body, field) => {
    await createApp(`rot-${Math.random().toString(36).slice(2, 8)}`);
    const app = await db().prisma.app.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    const ep = await createEndpoint(app.slug);
    const res = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: app.slug },
      body,
    });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.endpointSecret.count({ where: { endpointId: ep.id } })).toBe(1);
  });

  it("answers 404 for an unknown app", async () => {
    const res = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: "ghost" },
    });
    expect(res.status).toBe(404);
  });
});
