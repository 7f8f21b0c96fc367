/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { activeSigningSecrets } from "@/lib/endpoints/signing-secrets";
import { newId } from "@/lib/ids";
import * as listRoute from "@/app/api/v1/apps/[slug]/webhooks/route";
import * as oneRoute from "@/app/api/v1/apps/[slug]/webhooks/[id]/route";
import * as rotateRoute from "@/app/api/v1/apps/[slug]/webhooks/[id]/rotate-secret/route";
import * as pingRoute from "@/app/api/v1/apps/[slug]/webhooks/[id]/test-ping/route";
import * as deliveriesRoute from "@/app/api/v1/apps/[slug]/webhooks/[id]/deliveries/route";
import * as endpointRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";

// test-ping delivers to a receiver on 127.0.0.1.
const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
let key: string;
let appId: string;
let receiver: Receiver;

beforeAll(async () => {
  key = (await createApiKey({ name: "compat" }, "test")).key;
  appId = (await createApp({ slug: "seed4", name: "Seed 4" }, "test")).id;
  await createApp({ slug: "other", name: "Other" }, "test");
  receiver = await startReceiver();
});
afterAll(() => receiver?.close());

type Handler = Parameters<typeof callRoute>[0];
const call = (
  handler: Handler,
  method: string,
  params: Record<string, string>,
  body?: unknown,
  query = "",
) => callRoute(handler, { method, path: `/api/v1/x${query}`, apiKey: key, params, body });
const fieldsOf = (body: any): string[] =>
  body.error.details.fields.map((f: { field: string }) => f.field);
const keys = (o: object) => Object.keys(o).sort();

async function createWebhook(slug = "seed4", body: Record<string, unknown> = {}) {
  const res = await call(
    listRoute.POST,
    "POST",
    { slug },
    { url: "https://example.com/hooks", events: ["order.created"], ...body },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data as { id: string; secret: string };
}

describe("POST /apps/{appId}/webhooks", () => {
  it("answers exactly id, url, events, active, createdAt and secret, by app id or slug", async () => {
    for (const ref of [appId, "seed4"]) {
      const res = await call(
        listRoute.POST,
        "POST",
        { slug: ref },
        { url: "https://example.com/hooks", events: ["order.created", "order.paid"] },
      );
      expect(res.status).toBe(201);
      expect(keys(res.body)).toEqual(["data", "success"]);
      expect(res.body.success).toBe(true);
      expect(keys(res.body.data)).toEqual(["active", "createdAt", "events", "id", "secret", "url"]);
      expect(res.body.data).toMatchObject({
        url: "https://example.com/hooks",
        events: ["order.created", "order.paid"],
        active: true,
      });
      expect(res.body.data.secret).toMatch(/^whsec_/);
      expect(Number.isNaN(Date.parse(res.body.data.createdAt))).toBe(false);
    }
    // Same service underneath: the endpoint is visible on /endpoints too.
    const listed = await db().prisma.endpoint.count({ where: { appId } });
    expect(listed).toBeGreaterThanOrEqual(2);
  });

  it.each([
    [{ url: "https://example.com/hooks" }, "events"],
    [{ url: "https://example.com/hooks", events: [] }, "events"],
    [{ events: ["a"] }, "url"],
    [{ url: "https://u:p@example.com/hooks", events: ["a"] }, "url"],
    [{ url: "ftp://example.com/hooks", events: ["a"] }, "url"],
    [{ url: "https://example.com/hooks", events: ["bad name"] }, "events[0]"],
    [
      { url: "https://example.com/hooks", events: ["a"], description: "not in seed 004" },
      "description",
    ],
    [{ url: "https://example.com/hooks", events: ["a"], subscriptions: ["a"] }, "subscriptions"],
  ])("refuses %j with 422 naming %s and writes nothing", async (body, field) => {
    const before = await db().prisma.endpoint.count();
    const res = await call(listRoute.POST, "POST", { slug: "seed4" }, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.endpoint.count()).toBe(before);
  });

  it("answers 404 for an unknown app", async () => {
    expect(
      (
        await call(
          listRoute.POST,
          "POST",
          { slug: "app_nope" },
          { url: "https://example.com/h", events: ["a"] },
        )
      ).status,
    ).toBe(404);
  });
});

describe("GET /apps/{appId}/webhooks", () => {
  it("lists exactly id, url, events, active, createdAt, updatedAt; no secret; deleted ones gone", async () => {
    await createApp({ slug: "listing", name: "Listing" }, "test");
    const a = await createWebhook("listing");
    const b = await createWebhook("listing");
    const c = await createWebhook("listing");
    await call(oneRoute.DELETE, "DELETE", { slug: "listing", id: b.id });
    const page1 = await call(listRoute.GET, "GET", { slug: "listing" }, undefined, "?limit=1");
    expect(page1.status).toBe(200);
    expect(keys(page1.body)).toEqual(["data", "hasMore", "nextCursor", "success"]);
    expect(page1.body).toMatchObject({ success: true, hasMore: true });
    expect(keys(page1.body.data[0])).toEqual([
      "active",
      "createdAt",
      "events",
      "id",
      "updatedAt",
      "url",
    ]);
    expect(page1.body.data[0].id).toBe(c.id);
    const page2 = await call(
      listRoute.GET,
      "GET",
      { slug: "listing" },
      undefined,
      `?limit=1&cursor=${page1.body.nextCursor}`,
    );
    expect(page2.body.data.map((w: { id: string }) => w.id)).toEqual([a.id]);
    expect(page2.body).toMatchObject({ hasMore: false, nextCursor: null });
  });

  it("refuses bad query parameters with 400 and an unknown app with 404", async () => {
    const res = await call(listRoute.GET, "GET", { slug: "seed4" }, undefined, "?limit=1000");
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(["limit"]);
    expect((await call(listRoute.GET, "GET", { slug: "seed4" }, undefined, "?page=2")).status).toBe(
      400,
    );
    expect((await call(listRoute.GET, "GET", { slug: "ghost" })).status).toBe(404);
  });
});

describe("PUT /apps/{appId}/webhooks/{id}", () => {
  it("answers exactly id, url, events, active, updatedAt", async () => {
    const w = await createWebhook();
    const res = await call(
      oneRoute.PUT,
      "PUT",
      { slug: "seed4", id: w.id },
      { url: "https://example.com/v2", events: ["order.refunded"], active: false },
    );
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(keys(res.body.data)).toEqual(["active", "events", "id", "updatedAt", "url"]);
    expect(res.body.data).toMatchObject({
      id: w.id,
      url: "https://example.com/v2",
      events: ["order.refunded"],
      active: false,
    });
    const partial = await call(oneRoute.PUT, "PUT", { slug: appId, id: w.id }, { active: true });
    expect(partial.body.data).toMatchObject({
      url: "https://example.com/v2",
      events: ["order.refunded"],
      active: true,
    });
    expect(
      await db().prisma.auditLog.count({ where: { action: "endpoint.updated", targetId: w.id } }),
    ).toBe(2);
  });

  it.each([
    [{}, "(body)"],
    [{ events: [] }, "events"],
    [{ url: "https://10.0.0.1.nip/x", active: "no" }, "active"],
    [{ url: "mailto:x@example.com" }, "url"],
    [{ description: "x" }, "description"],
  ])("refuses %j with 422 naming %s, changing nothing", async (body, field) => {
    const w = await createWebhook();
    const before = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: w.id } });
    const res = await call(oneRoute.PUT, "PUT", { slug: "seed4", id: w.id }, body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.endpoint.findUniqueOrThrow({ where: { id: w.id } })).toEqual(before);
  });
});

describe("DELETE /apps/{appId}/webhooks/{id}", () => {
  it("answers 204 with an empty body; the endpoint is gone from both surfaces", async () => {
    const w = await createWebhook();
    const res = await callRoute(oneRoute.DELETE, {
      method: "DELETE",
      path: "/x",
      apiKey: key,
      params: { slug: "seed4", id: w.id },
    });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    expect((await call(endpointRoute.GET, "GET", { slug: "seed4", id: w.id })).status).toBe(404);
    expect((await call(oneRoute.DELETE, "DELETE", { slug: "seed4", id: w.id })).status).toBe(404);
  });
});

describe("POST /apps/{appId}/webhooks/{id}/rotate-secret", () => {
  it("answers only { secret } and the old secret stops signing at once", async () => {
    const w = await createWebhook();
    const res = await call(rotateRoute.POST, "POST", { slug: "seed4", id: w.id });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: { secret: expect.stringMatching(/^whsec_/) } });
    expect(res.body.data.secret).not.toBe(w.secret);
    expect((await activeSigningSecrets([w.id])).get(w.id)).toEqual([res.body.data.secret]);
    expect(await db().prisma.endpointSecret.count({ where: { endpointId: w.id } })).toBe(1);
  });

  it("refuses options (seed 004 has none) with 422", async () => {
    const w = await createWebhook();
    const res = await call(
      rotateRoute.POST,
      "POST",
      { slug: "seed4", id: w.id },
      { grace_period_seconds: 60 },
    );
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(["grace_period_seconds"]);
    expect((await activeSigningSecrets([w.id])).get(w.id)).toEqual([w.secret]);
  });
});

describe("POST /apps/{appId}/webhooks/{id}/test-ping", () => {
  it("sends a signed test event and answers how it went", async () => {
    const w = await createWebhook("seed4", { url: receiver.url });
    const before = receiver.requests.length;
    const res = await call(pingRoute.POST, "POST", { slug: "seed4", id: w.id });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(keys(res.body.data)).toEqual([
      "deliveryId",
      "durationMs",
      "error",
      "statusCode",
      "success",
    ]);
    expect(res.body.data).toMatchObject({ success: true, statusCode: 200, error: null });
    expect(receiver.requests.length).toBe(before + 1);
    expect(receiver.requests[before]!.headers["webhook-id"]).toBe(res.body.data.deliveryId);
  });

  it("refuses a body with fields", async () => {
    const w = await createWebhook("seed4", { url: receiver.url });
    const res = await call(pingRoute.POST, "POST", { slug: "seed4", id: w.id }, { event: "x" });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(["event"]);
  });
});

describe("GET /apps/{appId}/webhooks/{id}/deliveries", () => {
  it("pages this endpoint's deliveries by cursor, filtered by status", async () => {
    const w = await createWebhook();
    const sibling = await createWebhook();
    const event = await db().prisma.event.create({
      data: { id: newId("msg"), appId, name: "order.created", payload: { n: 1 } },
    });
    const base = Date.now() - 60_000;
    const statuses = ["success", "failed", "success", "retrying", "success"] as const;
    const ids: string[] = [];
    for (const [i, status] of statuses.entries()) {
      const d = await db().prisma.delivery.create({
        data: {
          id: newId("dlv"),
          appId,
          eventId: event.id,
          endpointId: w.id,
          eventName: "order.created",
          status,
          attemptCount: i + 1,
          lastStatusCode: status === "success" ? 200 : 500,
          createdAt: new Date(base + i * 1000),
        },
      });
      ids.push(d.id);
    }
    await db().prisma.delivery.create({
      data: {
        id: newId("dlv"),
        appId,
        eventId: event.id,
        endpointId: sibling.id,
        eventName: "order.created",
      },
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: any = await call(
        deliveriesRoute.GET,
        "GET",
        { slug: "seed4", id: w.id },
        undefined,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.success).toBe(true);
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([...ids].reverse());

    const ok = await call(
      deliveriesRoute.GET,
      "GET",
      { slug: "seed4", id: w.id },
      undefined,
      "?status=success",
    );
    expect(ok.body.data).toHaveLength(3);
    expect(keys(ok.body.data[0])).toEqual([
      "attempts",
      "completedAt",
      "createdAt",
      "error",
      "event",
      "eventId",
      "id",
      "nextAttemptAt",
      "status",
      "statusCode",
      "webhookId",
    ]);
    expect(ok.body.data[0]).toMatchObject({
      id: ids[4],
      webhookId: w.id,
      event: "order.created",
      status: "success",
      attempts: 5,
      statusCode: 200,
    });
  });

  it.each([
    ["?status=delivered", "status"],
    ["?limit=-1", "limit"],
    ["?cursor=abc", "cursor"],
    ["?offset=3", "offset"],
  ])("refuses %s with 400 naming %s", async (query, field) => {
    const w = await createWebhook();
    const res = await call(
      deliveriesRoute.GET,
      "GET",
      { slug: "seed4", id: w.id },
      undefined,
      query,
    );
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });
});

describe("another app's endpoint under this app", () => {
  it("is 404 on every seed-004 route, with the unknown-id message, and nothing changes", async () => {
    const foreign = await createWebhook("other", { url: receiver.url });
    const before = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: foreign.id } });
    const sent = receiver.requests.length;
    const attempts: Array<[string, Handler, string, unknown?]> = [
      ["PUT", oneRoute.PUT, "PUT", { active: false }],
      ["DELETE", oneRoute.DELETE, "DELETE"],
      ["rotate", rotateRoute.POST, "POST"],
      ["ping", pingRoute.POST, "POST"],
      ["deliveries", deliveriesRoute.GET, "GET"],
    ];
    for (const [label, handler, method, body] of attempts) {
      for (const slug of ["seed4", appId]) {
        const res = await call(handler, method, { slug, id: foreign.id }, body);
        expect(res.status, label).toBe(404);
        expect(res.body.error.message, label).toBe(`Endpoint "${foreign.id}" not found`);
      }
    }
    expect(await db().prisma.endpoint.findUniqueOrThrow({ where: { id: foreign.id } })).toEqual(
      before,
    );
    expect((await activeSigningSecrets([foreign.id])).get(foreign.id)).toEqual([foreign.secret]);
    expect(receiver.requests.length).toBe(sent);
  });
});
