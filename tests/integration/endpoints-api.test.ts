/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { activeSigningSecrets } from "@/lib/endpoints/signing-secrets";
import { newId } from "@/lib/ids";
import * as listRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as oneRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";
import * as rotateRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/rotate-secret/route";
import * as secretRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/secret/route";
import * as reactivateRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/reactivate/route";
// The test route itself is covered in endpoints-test-event.test.ts (it needs a receiver).
import * as testRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/test/route";
import * as unscopedReactivate from "@/app/api/v1/endpoints/[id]/reactivate/route";

const db = useTestDatabase();
let key: string;
const SLUG = "billing";

beforeAll(async () => {
  key = (await createApiKey({ name: "endpoints" }, "test")).key;
  await createApp({ slug: SLUG, name: "Billing" }, "test");
  await createApp({ slug: "other", name: "Other" }, "test");
  await createApp({ slug: "strict", name: "Strict", strict_catalog: true }, "test");
});

type Handler = Parameters<typeof callRoute>[0];
function call(
  handler: Handler,
  method: string,
  params: Record<string, string>,
  body?: unknown,
  query = "",
) {
  return callRoute(handler, { method, path: `/api/v1/test${query}`, apiKey: key, params, body });
}
const create = (body: Record<string, unknown>, slug = SLUG) =>
  call(listRoute.POST, "POST", { slug }, body);
async function created(body: Record<string, unknown> = {}, slug = SLUG) {
  const res = await create({ url: "https://receiver.example.com/hooks", ...body }, slug);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
const fieldsOf = (body: any): string[] =>
  body.error.details.fields.map((f: { field: string }) => f.field);
const messagesOf = (body: any): string =>
  body.error.details.fields.map((f: { message: string }) => f.message).join("; ");

describe("POST /apps/{slug}/endpoints", () => {
  it("registers the seed 002 endpoint offline, with defaults, a whsec_ secret and new catalog entries", async () => {
    const res = await create({
      url: "https://my-backend.com/webhooks/receive",
      description: "Primary Production Listener",
      events: ["invoice.paid", "invoice.past_due"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      url: "https://my-backend.com/webhooks/receive",
      description: "Primary Production Listener",
      subscriptions: ["invoice.paid", "invoice.past_due"],
      is_active: true,
      max_retries: 5,
      timeout_seconds: 30,
      rate_limit: null,
      headers: {},
      channels: [],
      disabled_reason: null,
      consecutive_failures: 0,
    });
    expect(res.body.id).toMatch(/^ep_/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(res.body.events).toBeUndefined();
    const app = await db().prisma.app.findUniqueOrThrow({ where: { slug: SLUG } });
    const types = await db().prisma.eventType.findMany({
      where: { appId: app.id },
      orderBy: { name: "asc" },
    });
    expect(types.map((t) => t.name)).toEqual(
      expect.arrayContaining(["invoice.paid", "invoice.past_due"]),
    );
    const stored = await db().prisma.endpointSecret.findFirstOrThrow({
      where: { endpointId: res.body.id },
    });
    expect(stored.secretEncrypted).not.toContain(res.body.secret.slice(6));
    const actions = (await db().prisma.auditLog.findMany({ where: { appId: app.id } })).map(
      (a) => a.action,
    );
    expect(actions).toContain("endpoint.created");
    expect(actions.filter((a) => a === "event_type.created").length).toBeGreaterThanOrEqual(2);
  });

  it("accepts all three subscription spellings, answers subscriptions, and defaults to *", async () => {
    expect((await created({ subscriptions: ["a.b"] })).subscriptions).toEqual(["a.b"]);
    expect(
      (await created({ subscribed_events: ["invoice.paid", "invoice.failed"] })).subscriptions,
    ).toEqual(["invoice.paid", "invoice.failed"]);
    expect(
      (await created({ events: ["x.y", "z"], subscriptions: ["z", "x.y"] })).subscriptions,
    ).toEqual(["z", "x.y"]);
    expect((await created({ events: ["dup", "dup"] })).subscriptions).toEqual(["dup"]);
    expect((await created({})).subscriptions).toEqual(["*"]);
    const wild = await created({ subscriptions: ["*", "customer.*"] });
    expect(wild.subscriptions).toEqual(["*", "customer.*"]);
    expect(
      await db().prisma.eventType.count({ where: { name: { in: ["*", "customer.*"] } } }),
    ).toBe(0);
  });

  it("takes custom headers, limits and channels", async () => {
    const body = await created({
      headers: { "X-Tenant": "42", Authorization: "Bearer downstream" },
      max_retries: 0,
      timeout_seconds: 60,
      rate_limit: 10,
      is_active: false,
      channels: ["eu", "tenant:42"],
    });
    expect(body).toMatchObject({
      // Credentials come back masked (issue 13); the stored value is what deliveries send.
      headers: { "X-Tenant": "42", Authorization: "********ream" },
      max_retries: 0,
      timeout_seconds: 60,
      rate_limit: 10,
      is_active: false,
      channels: ["eu", "tenant:42"],
    });
  });

  it("stores and shows the URL in its normalised form (issue 13)", async () => {
    const body = await created({ url: "HTTPS://Receiver.EXAMPLE.com:443/a/../hooks?x=1" });
    expect(body.url).toBe("https://receiver.example.com/hooks?x=1");
    const row = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.url).toBe("https://receiver.example.com/hooks?x=1");
  });

  it("masks credential headers on every read, keeps them stored, and keeps them when a read is sent back (issue 13)", async () => {
    const token = "Bearer downstream-credential-1234";
    const body = await created({
      headers: { Authorization: token, "X-Api-Key": "short", "X-Tenant": "42" },
    });
    expect(body.headers).toEqual({
      Authorization: "********1234",
      "X-Api-Key": "********",
      "X-Tenant": "42",
    });
    const read = await call(oneRoute.GET, "GET", { slug: SLUG, id: body.id });
    expect(read.body.headers).toEqual(body.headers);
    const patched = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, id: body.id },
      { headers: { ...read.body.headers, "X-Tenant": "43" } },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const row = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.headers).toEqual({ Authorization: token, "X-Api-Key": "short", "X-Tenant": "43" });
    const replaced = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, id: body.id },
      { headers: { Authorization: "Bearer new" } },
    );
    expect(replaced.status).toBe(200);
    expect(
      (await db().prisma.endpoint.findUniqueOrThrow({ where: { id: body.id } })).headers,
    ).toEqual({ Authorization: "Bearer new" });
  });

  it.each([
    [{ url: "http://receiver.example.com/h" }, "url", /https/],
    [{ url: "https://user:pw@receiver.example.com/h" }, "url", /credentials/],
    [{ url: "https://10.1.2.3/h" }, "url", /private/],
    [{ url: "https://127.0.0.1/h" }, "url", /loopback/],
    [{ url: "https://[::1]/h" }, "url", /loopback/],
    [{ url: "https://169.254.169.254/latest" }, "url", /metadata/],
    [{ url: "https://localhost/h" }, "url", /loopback/],
    [{ url: "ftp://receiver.example.com/h" }, "url", /scheme/],
    [{ url: `https://receiver.example.com/${"a".repeat(2050)}` }, "url", /2048/],
    [{ url: "not a url" }, "url", /spaces or control/],
    [{ url: "not-a-url" }, "url", /not valid/],
    [{ url: "https://example.com\\@127.0.0.1/" }, "url", /backslash/],
    [{ url: "https://example.com:0/h" }, "url", /port/],
    [{ url: "https://example.com/a\u0001b" }, "url", /control/],
    [{ url: "" }, "url", /required/],
    [{ url: undefined, description: "x" }, "url", /./],
    [{ subscriptions: ["invoice.*.paid"] }, "subscriptions[0]", /event name/],
    [{ events: [] }, "events", /at least one/],
    [{ events: ["a"], subscriptions: ["b"] }, "events", /differs from subscriptions/],
    [{ events: ["a"], subscribed_events: ["b"] }, "subscribed_events", /differs/],
    [{ max_retries: 21 }, "max_retries", /at most 20/],
    [{ max_retries: -1 }, "max_retries", /at least 0/],
    [{ max_retries: 1.5 }, "max_retries", /whole/],
    [{ timeout_seconds: 0 }, "timeout_seconds", /at least 1/],
    [{ timeout_seconds: 61 }, "timeout_seconds", /at most 60/],
    [{ rate_limit: 0 }, "rate_limit", /at least 1/],
    [{ is_active: "yes" }, "is_active", /./],
    [{ description: "d".repeat(2001) }, "description", /2000/],
    [{ channels: ["bad channel"] }, "channels[0]", /./],
    [{ headers: { Connection: "close" } }, "headers.Connection", /hop-by-hop/],
    [{ headers: { "Keep-Alive": "1" } }, "headers.Keep-Alive", /hop-by-hop/],
    [{ headers: { "Transfer-Encoding": "chunked" } }, "headers.Transfer-Encoding", /hop-by-hop/],
    [{ headers: { TE: "trailers" } }, "headers.TE", /hop-by-hop/],
    [{ headers: { Trailer: "x" } }, "headers.Trailer", /hop-by-hop/],
    [{ headers: { Upgrade: "h2c" } }, "headers.Upgrade", /hop-by-hop/],
    [{ headers: { "Proxy-Authorization": "x" } }, "headers.Proxy-Authorization", /hop-by-hop/],
    [{ headers: { Host: "evil.example" } }, "headers.Host", /hop-by-hop/],
    [{ headers: { "Content-Length": "1" } }, "headers.Content-Length", /hop-by-hop/],
    [{ headers: { "webhook-signature": "v1,forged" } }, "headers.webhook-signature", /signature/],
    [{ headers: { "Webhook-Id": "x" } }, "headers.Webhook-Id", /signature/],
    [{ headers: { "svix-signature": "x" } }, "headers.svix-signature", /signature/],
    [{ headers: { "Content-Type": "text/plain" } }, "headers.Content-Type", /content/],
    [{ headers: { "User-Agent": "me" } }, "headers.User-Agent", /Hookline/],
    [{ headers: { "bad header": "x" } }, "headers.bad header", /not a valid header name/],
    [{ headers: { "X-A": "line\nbreak" } }, "headers.X-A", /RFC 9110/],
    [{ headers: { "X-U": "h\u00e9llo\u{1f680}" } }, "headers.X-U", /RFC 9110/],
    [{ headers: { "X-U": "bell\u0007" } }, "headers.X-U", /RFC 9110/],
    [{ headers: { "X-U": " padded" } }, "headers.X-U", /RFC 9110/],
    [{ headers: { "X-A": "1", "x-a": "2" } }, "headers.x-a", /twice/],
    [{ headers: { "X-A": 1 } }, "headers.X-A", /string/],
    [{ secret: "whsec_mine" }, "secret", /base64 of 24-64 random bytes/],
  ])("refuses %j with 422 naming %s and writes nothing", async (override, field, message) => {
    const before = {
      endpoints: await db().prisma.endpoint.count(),
      types: await db().prisma.eventType.count(),
    };
    const body =
      "url" in override ? override : { url: "https://receiver.example.com/h", ...override };
    const res = await create(body as Record<string, unknown>);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fieldsOf(res.body)).toContain(field);
    expect(messagesOf(res.body)).toMatch(message);
    expect({
      endpoints: await db().prisma.endpoint.count(),
      types: await db().prisma.eventType.count(),
    }).toEqual(before);
  });

  it("refuses names outside a strict catalog, naming the entry, and writes nothing", async () => {
    const app = await db().prisma.app.findUniqueOrThrow({ where: { slug: "strict" } });
    await db().prisma.eventType.create({
      data: { id: newId("evt"), appId: app.id, name: "invoice.paid" },
    });
    const res = await create(
      { url: "https://r.example.com/h", events: ["invoice.paid", "invoice.unknown", "invoice.*"] },
      "strict",
    );
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(["events[1]"]);
    expect(res.body.error.message).toMatch(/invoice\.unknown.*strict catalog/);
    expect(await db().prisma.endpoint.count({ where: { appId: app.id } })).toBe(0);
    expect(await db().prisma.eventType.count({ where: { appId: app.id } })).toBe(1);
    const ok = await create(
      { url: "https://r.example.com/h", events: ["invoice.paid", "invoice.*"] },
      "strict",
    );
    expect(ok.status).toBe(201);
  });

  it("answers malformed JSON with 400 and an unknown app with 404", async () => {
    const bad = await callRoute(listRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: SLUG },
      body: "{nope",
    });
    expect(bad.status).toBe(400);
    const missing = await create({ url: "https://r.example.com/h" }, "ghost");
    expect(missing.status).toBe(404);
  });
});

describe("GET /apps/{slug}/endpoints", () => {
  it("pages newest first by cursor, leaving out deleted endpoints and other apps'", async () => {
    await createApp({ slug: "paging", name: "Paging" }, "test");
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await created({ description: `n${i}` }, "paging")).id);
    await created({}, "other");
    await call(oneRoute.DELETE, "DELETE", { slug: "paging", id: ids[2]! });
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: any = await call(
        listRoute.GET,
        "GET",
        { slug: "paging" },
        undefined,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.data.map((e: { id: string }) => e.id));
      expect(res.body.has_more).toBe(res.body.next_cursor !== null);
      expect(res.body.data.every((e: { secret?: string }) => e.secret === undefined)).toBe(true);
      cursor = res.body.next_cursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([ids[4], ids[3], ids[1], ids[0]]);

    const first: any = await call(listRoute.GET, "GET", { slug: "paging" }, undefined, "?limit=1");
    const foreign = await call(
      listRoute.GET,
      "GET",
      { slug: "other" },
      undefined,
      `?cursor=${first.body.next_cursor}`,
    );
    expect(foreign.status).toBe(400);
    expect(fieldsOf(foreign.body)).toEqual(["cursor"]);
  });

  it.each([
    ["?limit=0", "limit"],
    ["?limit=251", "limit"],
    ["?limit=abc", "limit"],
    ["?cursor=garbage", "cursor"],
    ["?status=active", "status"],
  ])("refuses %s with 400 naming %s", async (query, field) => {
    const res = await call(listRoute.GET, "GET", { slug: SLUG }, undefined, query);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it("answers 404 for an unknown app", async () => {
    expect((await call(listRoute.GET, "GET", { slug: "ghost" })).status).toBe(404);
  });
});

describe("GET/PATCH/DELETE /apps/{slug}/endpoints/{id}", () => {
  it("gets an endpoint without its secret", async () => {
    const ep = await created({ events: ["invoice.paid"] });
    const res = await call(oneRoute.GET, "GET", { slug: SLUG, id: ep.id });
    expect(res.status).toBe(200);
    const { secret: _secret, ...withoutSecret } = ep;
    expect(res.body).toEqual(withoutSecret);
  });

  it("updates only what is given, adds new names to the catalog, and audits", async () => {
    const ep = await created({
      events: ["invoice.paid"],
      description: "keep me",
      headers: { "X-A": "1" },
    });
    const res = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, id: ep.id },
      {
        url: "https://new.example.com/hooks",
        subscribed_events: ["invoice.refunded"],
        max_retries: 3,
        rate_limit: null,
      },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      url: "https://new.example.com/hooks",
      subscriptions: ["invoice.refunded"],
      max_retries: 3,
      rate_limit: null,
      description: "keep me",
      headers: { "X-A": "1" },
      timeout_seconds: 30,
    });
    expect(await db().prisma.eventType.count({ where: { name: "invoice.refunded" } })).toBe(1);
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { action: "endpoint.updated", targetId: ep.id },
    });
    expect((audit.details as { fields: string[] }).fields.sort()).toEqual([
      "max_retries",
      "rate_limit",
      "subscriptions",
      "url",
    ]);
  });

  it("clears the failure state when a disabled endpoint is switched back on", async () => {
    const ep = await created();
    await db().prisma.endpoint.update({
      where: { id: ep.id },
      data: {
        isActive: false,
        disabledReason: "410 Gone",
        disabledAt: new Date(),
        failingSince: new Date(),
        consecutiveFailures: 9,
      },
    });
    const off = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: SLUG, id: ep.id },
      { description: "still off" },
    );
    expect(off.body).toMatchObject({ is_active: false, disabled_reason: "410 Gone" });
    const on = await call(oneRoute.PATCH, "PATCH", { slug: SLUG, id: ep.id }, { is_active: true });
    expect(on.body).toMatchObject({
      is_active: true,
      disabled_reason: null,
      disabled_at: null,
      failing_since: null,
      consecutive_failures: 0,
    });
  });

  it.each([
    [{}, "(body)"],
    [{ url: "https://192.168.1.1/x" }, "url"],
    [{ url: "http://new.example.com" }, "url"],
    [{ events: [] }, "events"],
    [{ events: ["a"], subscriptions: ["b"] }, "events"],
    [{ headers: { Host: "x" } }, "headers.Host"],
    [{ timeout_seconds: 120 }, "timeout_seconds"],
    [{ app_id: "app_x" }, "app_id"],
  ])("refuses %j with 422 naming %s, changing nothing", async (body, field) => {
    const ep = await created();
    const before = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: ep.id } });
    const res = await call(oneRoute.PATCH, "PATCH", { slug: SLUG, id: ep.id }, body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect(await db().prisma.endpoint.findUniqueOrThrow({ where: { id: ep.id } })).toEqual(before);
  });

  it("refuses a strict-catalog name on update", async () => {
    const ep = await created({ events: ["invoice.paid"] }, "strict");
    const res = await call(
      oneRoute.PATCH,
      "PATCH",
      { slug: "strict", id: ep.id },
      { subscriptions: ["invoice.paid", "nope.never"] },
    );
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(["subscriptions[1]"]);
  });

  it("soft-deletes: 404 everywhere afterwards, out of lists, pending deliveries cancelled", async () => {
    const ep = await created();
    const app = await db().prisma.app.findUniqueOrThrow({ where: { slug: SLUG } });
    const event = await db().prisma.event.create({
      data: { id: newId("msg"), appId: app.id, name: "invoice.paid", payload: {} },
    });
    const pending = await db().prisma.delivery.create({
      data: {
        id: newId("dlv"),
        appId: app.id,
        eventId: event.id,
        endpointId: ep.id,
        eventName: "invoice.paid",
        status: "retrying",
        nextAttemptAt: new Date(),
      },
    });
    const done = await db().prisma.delivery.create({
      data: {
        id: newId("dlv"),
        appId: app.id,
        eventId: event.id,
        endpointId: ep.id,
        eventName: "invoice.paid",
        status: "success",
      },
    });
    const res = await call(oneRoute.DELETE, "DELETE", { slug: SLUG, id: ep.id });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
    const row = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: ep.id } });
    expect(row.deletedAt).not.toBeNull();
    expect(
      (await db().prisma.delivery.findUniqueOrThrow({ where: { id: pending.id } })).status,
    ).toBe("cancelled");
    expect((await db().prisma.delivery.findUniqueOrThrow({ where: { id: done.id } })).status).toBe(
      "success",
    );
    expect(
      await db().prisma.auditLog.count({ where: { action: "endpoint.deleted", targetId: ep.id } }),
    ).toBe(1);

    const params = { slug: SLUG, id: ep.id };
    const after = [
      await call(oneRoute.GET, "GET", params),
      await call(oneRoute.PATCH, "PATCH", params, { description: "x" }),
      await call(oneRoute.DELETE, "DELETE", params),
      await call(secretRoute.GET, "GET", params),
      await call(rotateRoute.POST, "POST", params),
      await call(reactivateRoute.POST, "POST", params),
      await call(unscopedReactivate.POST, "POST", { id: ep.id }),
    ];
    for (const r of after) expect(r.status).toBe(404);
    const list: any = await call(listRoute.GET, "GET", { slug: SLUG }, undefined, "?limit=250");
    expect(list.body.data.map((e: { id: string }) => e.id)).not.toContain(ep.id);
  });
});

describe("secrets", () => {
  it("reveals the current secret (audited) and rotates with a 24 h grace by default", async () => {
    const ep = await created();
    const shown = await call(secretRoute.GET, "GET", { slug: SLUG, id: ep.id });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ secret: ep.secret });
    expect(
      await db().prisma.auditLog.count({
        where: { action: "endpoint.secret_viewed", targetId: ep.id },
      }),
    ).toBe(1);

    const rotated = await call(rotateRoute.POST, "POST", { slug: SLUG, id: ep.id });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    const expiresIn = Date.parse(rotated.body.previous_secret_expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(23.9 * 3600_000);
    expect((await activeSigningSecrets([ep.id])).get(ep.id)).toEqual([
      rotated.body.secret,
      ep.secret,
    ]);
    expect((await call(secretRoute.GET, "GET", { slug: SLUG, id: ep.id })).body.secret).toBe(
      rotated.body.secret,
    );
    expect(
      await db().prisma.auditLog.count({
        where: { action: "endpoint.secret_rotated", targetId: ep.id },
      }),
    ).toBe(1);
  });

  it("honours expire_previous and grace_period_seconds", async () => {
    const ep = await created();
    const now = await call(
      rotateRoute.POST,
      "POST",
      { slug: SLUG, id: ep.id },
      { expire_previous: true },
    );
    expect(now.body.previous_secret_expires_at).toBeNull();
    expect((await activeSigningSecrets([ep.id])).get(ep.id)).toEqual([now.body.secret]);
    const short = await call(
      rotateRoute.POST,
      "POST",
      { slug: SLUG, id: ep.id },
      { grace_period_seconds: 60 },
    );
    const expiresIn = Date.parse(short.body.previous_secret_expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(55_000);
    expect(expiresIn).toBeLessThanOrEqual(60_000);
    expect((await activeSigningSecrets([ep.id])).get(ep.id)).toEqual([
      short.body.secret,
      now.body.secret,
    ]);
  });

  it.each([
    [{ grace_period_seconds: 1.5 }, "grace_period_seconds"],
    [{ grace_period_seconds: 604801 }, "grace_period_seconds"],
    [{ expire_previous: true, grace_period_seconds: 10 }, "grace_period_seconds"],
    [{ expire_previous: 1 }, "expire_previous"],
    [{ secret: "whsec_x" }, "secret"],
  ])("refuses rotation options %j with 422 naming %s", async (body, field) => {
    const ep = await created();
    const res = await call(rotateRoute.POST, "POST", { slug: SLUG, id: ep.id }, body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
    expect((await activeSigningSecrets([ep.id])).get(ep.id)).toEqual([ep.secret]);
  });
});

describe("reactivate", () => {
  async function disabled() {
    const ep = await created();
    await db().prisma.endpoint.update({
      where: { id: ep.id },
      data: {
        isActive: false,
        disabledReason: "failing for 5 days",
        disabledAt: new Date(),
        failingSince: new Date(),
        consecutiveFailures: 40,
      },
    });
    return ep;
  }
  const cleared = {
    is_active: true,
    disabled_reason: null,
    disabled_at: null,
    failing_since: null,
    consecutive_failures: 0,
  };

  it("reactivates under the app and by id alone, with an audit row each", async () => {
    const a = await disabled();
    const scoped = await call(reactivateRoute.POST, "POST", { slug: SLUG, id: a.id });
    expect(scoped.status).toBe(200);
    expect(scoped.body).toMatchObject({ id: a.id, ...cleared });
    const b = await disabled();
    const unscoped = await call(unscopedReactivate.POST, "POST", { id: b.id });
    expect(unscoped.status).toBe(200);
    expect(unscoped.body).toMatchObject({ id: b.id, ...cleared });
    const audit = await db().prisma.auditLog.findMany({
      where: { action: "endpoint.reactivated", targetId: { in: [a.id, b.id] } },
    });
    expect(audit).toHaveLength(2);
    expect(audit[0]!.details).toMatchObject({ disabled_reason: "failing for 5 days" });
  });

  it("refuses a body with fields and an unknown id", async () => {
    const a = await disabled();
    const extra = await call(
      reactivateRoute.POST,
      "POST",
      { slug: SLUG, id: a.id },
      { force: true },
    );
    expect(extra.status).toBe(422);
    expect(fieldsOf(extra.body)).toEqual(["force"]);
    const extraUnscoped = await call(
      unscopedReactivate.POST,
      "POST",
      { id: a.id },
      { force: true },
    );
    expect(extraUnscoped.status).toBe(422);
    expect((await db().prisma.endpoint.findUniqueOrThrow({ where: { id: a.id } })).isActive).toBe(
      false,
    );
    const unknown = await call(unscopedReactivate.POST, "POST", { id: "ep_nope" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe('Endpoint "ep_nope" not found');
  });
});

describe("another app's endpoint under this app's slug", () => {
  it("is 404 with the unknown-id message on every endpoint route, and nothing changes", async () => {
    const foreign = await created({ description: "belongs to other" }, "other");
    const before = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: foreign.id } });
    const secretsBefore = await db().prisma.endpointSecret.count({
      where: { endpointId: foreign.id },
    });
    const params = { slug: SLUG, id: foreign.id };
    const attempts: Array<[string, Handler, string, unknown?]> = [
      ["GET one", oneRoute.GET, "GET"],
      ["PATCH", oneRoute.PATCH, "PATCH", { description: "hijacked" }],
      ["DELETE", oneRoute.DELETE, "DELETE"],
      ["rotate", rotateRoute.POST, "POST", {}],
      ["secret", secretRoute.GET, "GET"],
      ["reactivate", reactivateRoute.POST, "POST"],
      ["test", testRoute.POST, "POST", {}],
    ];
    for (const [label, handler, method, body] of attempts) {
      const res = await call(handler, method, params, body);
      const unknown = await call(handler, method, { slug: SLUG, id: "ep_doesnotexist" }, body);
      expect(res.status, label).toBe(404);
      expect(res.body.error.message.replace(foreign.id, "ID"), label).toBe(
        unknown.body.error.message.replace("ep_doesnotexist", "ID"),
      );
    }
    expect(await db().prisma.endpoint.findUniqueOrThrow({ where: { id: foreign.id } })).toEqual(
      before,
    );
    expect(await db().prisma.endpointSecret.count({ where: { endpointId: foreign.id } })).toBe(
      secretsBefore,
    );
    expect(
      await db().prisma.auditLog.count({
        where: { targetId: foreign.id, action: { not: "endpoint.created" } },
      }),
    ).toBe(0);
  });
});
