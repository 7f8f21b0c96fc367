import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import * as listRoute from "@/app/api/v1/apps/[slug]/event-types/route";
import * as oneRoute from "@/app/api/v1/apps/[slug]/event-types/[name]/route";
import * as endpointsRoute from "@/app/api/v1/apps/[slug]/endpoints/route";

const db = useTestDatabase();
let key: string;
const SLUG = "catalog";

beforeAll(async () => {
  key = (await createApiKey({ name: "event-types" }, "test")).key;
  await createApp({ slug: SLUG, name: "Catalog" }, "test");
  await createApp({ slug: "other", name: "Other" }, "test");
});

type Handler = Parameters<typeof callRoute>[0];
const call = (
  handler: Handler,
  method: string,
  params: Record<string, string>,
  body?: unknown,
  query = "",
) => callRoute(handler, { method, path: `/api/v1/x${query}`, apiKey: key, params, body });
const create = (body: Record<string, unknown>, slug = SLUG) =>
  call(listRoute.POST, "POST", { slug }, body);
const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field);

const invoiceSchema = {
  type: "object",
  properties: { invoice_id: { type: "string" }, amount: { type: "integer" } },
  required: ["invoice_id"],
};

describe("POST /apps/{slug}/event-types", () => {
  it("adds a type with schema and example, audited; a second one by that name is 409", async () => {
    const res = await create({
      name: "invoice.paid",
      description: "An invoice was paid",
      schema: invoiceSchema,
      example: { invoice_id: "inv_1", amount: 5000 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "invoice.paid",
      description: "An invoice was paid",
      schema: invoiceSchema,
      example: { invoice_id: "inv_1", amount: 5000 },
      archived: false,
    });
    expect(res.body.id).toMatch(/^evt_/);
    expect(
      await db().prisma.auditLog.count({
        where: { action: "event_type.created", targetId: res.body.id },
      }),
    ).toBe(1);
    const dup = await create({ name: "invoice.paid" });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe("conflict");
    const elsewhere = await create({ name: "invoice.paid" }, "other");
    expect(elsewhere.status).toBe(201);
  });

  it("keeps schema and example optional", async () => {
    const res = await create({ name: "customer_created" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      description: null,
      schema: null,
      example: null,
      archived: false,
    });
  });

  it.each([
    [{}, "name"],
    [{ name: "has space" }, "name"],
    [{ name: "trailing." }, "name"],
    [{ name: "x".repeat(201) }, "name"],
    [{ name: "ok.one", schema: "object" }, "schema"],
    [{ name: "ok.one", schema: { type: "bogus" } }, "schema"],
    [{ name: "ok.one", example: [1] }, "example"],
    [{ name: "ok.one", schema: invoiceSchema, example: { amount: 1 } }, "example.invoice_id"],
    [
      { name: "ok.one", schema: invoiceSchema, example: { invoice_id: "i", amount: "many" } },
      "example.amount",
    ],
    [{ name: "ok.one", archived: "no" }, "archived"],
    [{ name: "ok.one", version: 2 }, "version"],
  ])("refuses %j with 422 naming %s and writes nothing", async (body, field) => {
    const before = await db().prisma.eventType.count();
    const res = await create(body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.eventType.count()).toBe(before);
  });

  it("answers 404 for an unknown app", async () => {
    expect((await create({ name: "a.b" }, "ghost")).status).toBe(404);
  });
});

describe("GET /apps/{slug}/event-types", () => {
  it("pages the catalog, filters by archived, and includes names added by endpoint subscriptions", async () => {
    await createApp({ slug: "listing", name: "Listing" }, "test");
    for (const name of ["a.one", "a.two", "a.three"])
      expect((await create({ name }, "listing")).status).toBe(201);
    await call(oneRoute.PATCH, "PATCH", { slug: "listing", name: "a.two" }, { archived: true });
    const ep = await call(
      endpointsRoute.POST,
      "POST",
      { slug: "listing" },
      { url: "https://r.example.com/h", events: ["b.from_endpoint", "a.*"] },
    );
    expect(ep.status).toBe(201);

    const names: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: Awaited<ReturnType<typeof call>> = await call(
        listRoute.GET,
        "GET",
        { slug: "listing" },
        undefined,
        `?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      names.push(...res.body.data.map((t: { name: string }) => t.name));
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(names).toEqual(["b.from_endpoint", "a.three", "a.two", "a.one"]);
    const archived = await call(
      listRoute.GET,
      "GET",
      { slug: "listing" },
      undefined,
      "?archived=true",
    );
    expect(archived.body.data.map((t: { name: string }) => t.name)).toEqual(["a.two"]);
    const current = await call(
      listRoute.GET,
      "GET",
      { slug: "listing" },
      undefined,
      "?archived=false",
    );
    expect(current.body.data).toHaveLength(3);
    const other = await call(listRoute.GET, "GET", { slug: "other" });
    expect(other.body.data.map((t: { name: string }) => t.name)).not.toContain("a.one");
  });

  it.each([
    ["?archived=maybe", "archived"],
    ["?limit=0", "limit"],
    ["?cursor=xyz", "cursor"],
    ["?name=a", "name"],
  ])("refuses %s with 400 naming %s", async (query, field) => {
    const res = await call(listRoute.GET, "GET", { slug: SLUG }, undefined, query);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it("answers 404 for an unknown app", async () => {
    expect((await call(listRoute.GET, "GET", { slug: "ghost" })).status).toBe(404);
  });
});

describe("GET/PATCH/DELETE /apps/{slug}/event-types/{name}", () => {
  it("gets, updates (checking the example against the stored schema), archives and deletes", async () => {
    await create({ name: "order.shipped", schema: invoiceSchema });
    const got = await call(oneRoute.GET, "GET", { slug: SLUG, name: "order.shipped" });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ name: "order.shipped", schema: invoiceSchema });

    const bad = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, name: "order.shipped" },
      { example: { amount: 3 } },
    );
    expect(bad.status).toBe(422);
    expect(fieldsOf(bad.body)).toEqual(["example.invoice_id"]);

    const updated = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, name: "order.shipped" },
      { description: "Shipped", example: { invoice_id: "x" } },
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      description: "Shipped",
      example: { invoice_id: "x" },
      schema: invoiceSchema,
    });

    const noSchema = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, name: "order.shipped" },
      { schema: null },
    );
    expect(noSchema.body.schema).toBeNull();

    const archived = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, name: "order.shipped" },
      { archived: true },
    );
    expect(archived.body.archived).toBe(true);
    const actions = (
      await db().prisma.auditLog.findMany({
        where: { targetId: got.body.id },
        orderBy: { createdAt: "asc" },
      })
    ).map((a) => a.action);
    expect(actions).toEqual([
      "event_type.created",
      "event_type.updated",
      "event_type.updated",
      "event_type.archived",
    ]);

    const deleted = await call(oneRoute.DELETE, "DELETE", { slug: SLUG, name: "order.shipped" });
    expect(deleted.status).toBe(204);
    expect((await call(oneRoute.GET, "GET", { slug: SLUG, name: "order.shipped" })).status).toBe(
      404,
    );
    expect(
      await db().prisma.auditLog.count({
        where: { action: "event_type.deleted", targetId: got.body.id },
      }),
    ).toBe(1);
  });

  it.each([
    [{}, "(body)"],
    [{ name: "renamed" }, "name"],
    [{ schema: { type: 42 } }, "schema"],
    [{ archived: null }, "archived"],
  ])("refuses PATCH %j with 422 naming %s", async (body, field) => {
    await create({ name: "patch.target" }).catch(() => undefined);
    const before = await db().prisma.eventType.findFirstOrThrow({
      where: { name: "patch.target" },
    });
    const res = await call(oneRoute.PATCH, "PATCH", { slug: SLUG, name: "patch.target" }, body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.eventType.findUniqueOrThrow({ where: { id: before.id } })).toEqual(
      before,
    );
  });

  it("answers another app's type, an unknown name and an unknown app with 404, changing nothing", async () => {
    await create({ name: "private.thing", description: "theirs" }, "other");
    const params = { slug: SLUG, name: "private.thing" };
    for (const [handler, method, body] of [
      [oneRoute.GET, "GET", undefined],
      [oneRoute.PATCH, "PATCH", { description: "mine now" }],
      [oneRoute.DELETE, "DELETE", undefined],
    ] as Array<[Handler, string, unknown]>) {
      const res = await call(handler, method, params, body);
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe('Event type "private.thing" not found');
      expect((await call(handler, method, { slug: "ghost", name: "x" }, body)).status).toBe(404);
    }
    const theirs = await db().prisma.eventType.findFirstOrThrow({
      where: { name: "private.thing" },
    });
    expect(theirs.description).toBe("theirs");
  });
});
