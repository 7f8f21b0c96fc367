import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallResult } from "../helpers/http";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import * as appsRoute from "@/app/api/v1/apps/route";
import * as catchAll from "@/app/api/[...path]/route";
import * as health from "@/app/api/health/route";

const db = useTestDatabase();

describe("backend API conventions", () => {
  it("accepts a created key and refuses it once revoked, with the same 401 as a missing key", async () => {
    const { apiKey, key } = await createApiKey({ name: "backend" }, "test");
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{40,}$/);
    const stored = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(stored.keyHash).not.toContain(key.slice(3));
    expect(JSON.stringify(stored)).not.toContain(key);

    const ok = await callRoute(appsRoute.GET, { path: "/api/v1/apps", apiKey: key });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ data: [], next_cursor: null, has_more: false });

    await revokeApiKey(apiKey.id, "test");
    const revoked = await callRoute(appsRoute.GET, { path: "/api/v1/apps", apiKey: key });
    const missing = await callRoute(appsRoute.GET, { path: "/api/v1/apps" });
    const wrong = await callRoute(appsRoute.GET, {
      path: "/api/v1/apps",
      apiKey: `hk_${"x".repeat(43)}`,
    });
    for (const r of [revoked, missing, wrong]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("unauthorized");
      expect(r.body.error.message).toBe(missing.body.error.message);
    }
    const audit = await db().prisma.auditLog.findMany({
      where: { targetId: apiKey.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("answers malformed JSON with 400, field errors with 422 naming each field, and writes nothing", async () => {
    const { key } = await createApiKey({ name: "validation" }, "test");
    const malformed = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe("invalid_json");

    const invalid = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: { slug: "Not A Slug", name: "", color: "blue" },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe("validation_failed");
    expect(invalid.body.error.message).toMatch(/^slug: /);
    expect(invalid.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ["color", "name", "slug"],
    );
    expect(await db().prisma.app.count()).toBe(0);
  });

  it("refuses a body over the size limit with 413", async () => {
    const { key } = await createApiKey({ name: "size" }, "test");
    const res = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: { slug: "big", name: "x".repeat(2 * 1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("creates apps with either slug spelling, refuses a duplicate with 409, and pages by cursor", async () => {
    const { key } = await createApiKey({ name: "apps" }, "test");
    const first = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: { app_slug: "wh_42", name: "Billing Webhooks" },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      slug: "wh_42",
      name: "Billing Webhooks",
      description: null,
    });
    const dup = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: { slug: "wh_42", name: "Again" },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("conflict");
    for (const slug of ["a1", "a2", "a3"]) {
      expect(
        (
          await callRoute(appsRoute.POST, {
            method: "POST",
            path: "/api/v1/apps",
            apiKey: key,
            body: { slug, name: slug },
          })
        ).status,
      ).toBe(201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: CallResult = await callRoute(appsRoute.GET, {
        path: `/api/v1/apps?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
        apiKey: key,
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((a: { slug: string }) => a.slug));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(["a3", "a2", "a1", "wh_42"]);
    const badCursor = await callRoute(appsRoute.GET, {
      path: "/api/v1/apps?cursor=bm9wZQ",
      apiKey: key,
    });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.details.fields[0].field).toBe("cursor");
    const unknownParam = await callRoute(appsRoute.GET, {
      path: "/api/v1/apps?colour=red",
      apiKey: key,
    });
    expect(unknownParam.status).toBe(400);
    expect(unknownParam.body.error.message).toMatch(/colour/);
  });

  it("answers unknown API routes with a JSON 404 and echoes a request id", async () => {
    const res = await callRoute(catchAll.GET, {
      path: "/api/v1/nothing-here",
      headers: { "x-request-id": "trace-123" },
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "route_not_found", request_id: "trace-123" });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  it("reports the database and the job driver in /api/health", async () => {
    const res = await callRoute(health.GET, { path: "/api/health" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "ok",
      database: { status: "up" },
      jobs: { driver: "embedded" },
    });
  });
});
