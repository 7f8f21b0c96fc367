/**
 * POST /api/v1/apps/{slug}/events: 202 after commit, subscription matching, idempotency and
 * payload schemas. No worker runs here: the test fans out by hand (fanOutNow) and deliveries stay
 * pending for inspection.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { triggerEvent } from "@/lib/events/trigger-event";
import { endpointMatches, matchingPatterns } from "@/lib/events/subscriptions";
import { newId } from "@/lib/ids";
import * as eventsRoute from "@/app/api/v1/apps/[slug]/events/route";

const db = useTestDatabase();

async function trigger(slug: string, body: unknown, headers: Record<string, string> = {}) {
  const { key } = await createApiKey({ name: "trigger" }, "test");
  return callRoute(eventsRoute.POST, {
    method: "POST",
    path: `/api/v1/apps/${slug}/events`,
    params: { slug },
    apiKey: key,
    body,
    headers,
  });
}

describe("trigger", () => {
  it("answers 202 with the event id and the deliveries created, all committed", async () => {
    const app = await createTestApp();
    const a = await createTestEndpoint(app, {
      url: "https://a.example/hook",
      subscriptions: ["invoice.paid"],
    });
    const b = await createTestEndpoint(app, {
      url: "https://b.example/hook",
      subscriptions: ["invoice.*"],
    });
    const c = await createTestEndpoint(app, {
      url: "https://c.example/hook",
      subscriptions: ["*"],
    });
    await createTestEndpoint(app, {
      url: "https://d.example/hook",
      subscriptions: ["invoice.failed", "customer.*"],
    });
    await createTestEndpoint(app, { url: "https://e.example/hook", subscriptions: [] });
    const off = await createTestEndpoint(app, { url: "https://f.example/hook" });
    await db().prisma.endpoint.update({
      where: { id: off.endpoint.id },
      data: { isActive: false },
    });
    const gone = await createTestEndpoint(app, { url: "https://g.example/hook" });
    await db().prisma.endpoint.update({
      where: { id: gone.endpoint.id },
      data: { deletedAt: new Date() },
    });

    const res = await trigger(app.slug, {
      event_name: "invoice.paid",
      payload: { amount: 5000, currency: "USD" },
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ event_name: "invoice.paid", duplicate: false });
    expect(res.body.event_id).toMatch(/^msg_/);
    // Answered before fan-out: the event is committed and queued, no delivery exists yet.
    expect(await db().prisma.delivery.count({ where: { eventId: res.body.event_id } })).toBe(0);
    expect(await db().prisma.eventFanOut.count({ where: { eventId: res.body.event_id } })).toBe(1);
    expect(await fanOutNow()).toBe(3);
    expect(await db().prisma.eventFanOut.count()).toBe(0);
    const deliveries = await db().prisma.delivery.findMany({
      where: { eventId: res.body.event_id },
    });
    expect(deliveries.map((d) => d.endpointId).sort()).toEqual(
      [a.endpoint.id, b.endpoint.id, c.endpoint.id].sort(),
    );
    for (const d of deliveries) {
      expect(d).toMatchObject({
        status: "pending",
        attemptCount: 0,
        eventName: "invoice.paid",
        nextAttemptTrigger: "auto",
      });
      expect(d.nextAttemptAt).not.toBeNull();
    }
    expect(
      await db().prisma.deliveryQueueEntry.count({
        where: { deliveryId: { in: deliveries.map((d) => d.id) } },
      }),
    ).toBe(3);
    const event = await db().prisma.event.findUniqueOrThrow({ where: { id: res.body.event_id } });
    expect(event.payload).toEqual({ amount: 5000, currency: "USD" });
    const rollups = await db().prisma.deliveryRollupHourly.findMany({ where: { appId: app.id } });
    expect(rollups.map((r) => r.created)).toEqual([1, 1, 1]);
  });

  it("matches `prefix.*` on whole segments, and endpoint channels narrow the match", async () => {
    expect(matchingPatterns("invoice.paid.late")).toEqual([
      "invoice.paid.late",
      "*",
      "invoice.*",
      "invoice.paid.*",
    ]);
    expect(
      endpointMatches(
        { subscriptions: ["invoice.*"], channels: [] },
        { name: "invoice", channels: [] },
      ),
    ).toBe(false);
    expect(
      endpointMatches(
        { subscriptions: ["invoice.*"], channels: [] },
        { name: "invoices.paid", channels: [] },
      ),
    ).toBe(false);

    const app = await createTestApp();
    const any = await createTestEndpoint(app, { url: "https://a.example/hook" });
    const eu = await createTestEndpoint(app, { url: "https://b.example/hook", channels: ["eu"] });
    await createTestEndpoint(app, { url: "https://c.example/hook", channels: ["us"] });
    const plain = await triggerEvent(app, { event_name: "x.y", payload: {} });
    const euEvent = await triggerEvent(app, {
      event_name: "x.y",
      payload: {},
      channels: ["eu", "other"],
    });
    expect(await fanOutNow()).toBe(3);
    expect(await db().prisma.delivery.count({ where: { eventId: plain.event_id } })).toBe(1);
    const got = await db().prisma.delivery.findMany({ where: { eventId: euEvent.event_id } });
    expect(got.map((d) => d.endpointId).sort()).toEqual([any.endpoint.id, eu.endpoint.id].sort());
  });

  it("Idempotency-Key (or event_id) returns the first event within 24 h and creates nothing", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://a.example/hook" });
    const first = await trigger(
      app.slug,
      { event_name: "order.created", payload: { n: 1 } },
      { "Idempotency-Key": "order-1" },
    );
    expect(first.status).toBe(202);
    const again = await trigger(
      app.slug,
      { event_name: "order.created", payload: { n: 2 } },
      { "Idempotency-Key": "order-1" },
    );
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    await fanOutNow();
    expect(await db().prisma.event.count({ where: { appId: app.id } })).toBe(1);
    expect(await db().prisma.delivery.count({ where: { appId: app.id } })).toBe(1);

    const byId = await triggerEvent(app, {
      event_name: "order.created",
      payload: {},
      event_id: "evt-42",
    });
    const byIdAgain = await triggerEvent(app, {
      event_name: "order.created",
      payload: {},
      event_id: "evt-42",
    });
    expect(byIdAgain).toMatchObject({ event_id: byId.event_id, duplicate: true });
    // The header wins over event_id.
    const headerWins = await triggerEvent(
      app,
      { event_name: "order.created", payload: {}, event_id: "evt-42" },
      "other-key",
    );
    expect(headerWins.duplicate).toBe(false);

    const badKey = await trigger(
      app.slug,
      { event_name: "a", payload: {} },
      { "Idempotency-Key": "has spaces" },
    );
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.details.fields[0].field).toBe("Idempotency-Key");
  });

  it("a key older than 24 h counts as new; concurrent repeats of a fresh key create one event", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://a.example/hook" });
    const old = await triggerEvent(app, { event_name: "a", payload: {} }, "k-stale");
    await db().pool.query(
      "UPDATE events SET created_at = now() - interval '25 hours' WHERE id = $1",
      [old.event_id],
    );
    const fresh = await triggerEvent(app, { event_name: "a", payload: {} }, "k-stale");
    expect(fresh).toMatchObject({ duplicate: false });
    expect(fresh.event_id).not.toBe(old.event_id);
    expect(
      (await db().prisma.event.findUniqueOrThrow({ where: { id: old.event_id } })).idempotencyKey,
    ).toBeNull();
    expect((await triggerEvent(app, { event_name: "a", payload: {} }, "k-stale")).event_id).toBe(
      fresh.event_id,
    );

    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        triggerEvent(app, { event_name: "a", payload: {} }, "k-race"),
      ),
    );
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.event_id)).size).toBe(1);
    expect(
      await db().prisma.event.count({ where: { appId: app.id, idempotencyKey: "k-race" } }),
    ).toBe(1);
  });

  it("validates the payload against the event type's JSON Schema: 422 naming the path, nothing written", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://a.example/hook" });
    await db().prisma.eventType.create({
      data: {
        id: newId("evt"),
        appId: app.id,
        name: "invoice.paid",
        schema: {
          type: "object",
          required: ["amount", "customer"],
          properties: {
            amount: { type: "integer", minimum: 0 },
            customer: {
              type: "object",
              properties: { email: { type: "string", format: "email" } },
            },
            lines: { type: "array", items: { type: "object", required: ["sku"] } },
          },
        },
      },
    });
    const bad = await trigger(app.slug, {
      event_name: "invoice.paid",
      payload: { amount: "5", customer: { email: "nope" }, lines: [{}] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field).sort();
    expect(fields).toEqual(["payload.amount", "payload.customer.email", "payload.lines[0].sku"]);
    expect(bad.body.error.message).toMatch(/^payload\./);
    const missing = await trigger(app.slug, { event_name: "invoice.paid", payload: { amount: 1 } });
    expect(missing.body.error.details.fields).toEqual([
      { field: "payload.customer", message: "is required" },
    ]);
    expect(await db().prisma.event.count({ where: { appId: app.id } })).toBe(0);

    const ok = await trigger(app.slug, {
      event_name: "invoice.paid",
      payload: { amount: 1, customer: { email: "a@b.example" } },
    });
    expect(ok.status).toBe(202);
    await fanOutNow();
    expect(await db().prisma.delivery.count({ where: { eventId: ok.body.event_id } })).toBe(1);

    // Archived types still deliver (and still validate).
    await db().prisma.eventType.updateMany({ where: { appId: app.id }, data: { archived: true } });
    expect(
      (
        await trigger(app.slug, {
          event_name: "invoice.paid",
          payload: { amount: 2, customer: {} },
        })
      ).status,
    ).toBe(202);
    expect((await trigger(app.slug, { event_name: "invoice.paid", payload: {} })).status).toBe(422);
  });

  it("a strict catalog refuses unknown event names; bad bodies and unknown apps get the error envelope", async () => {
    const app = await db().prisma.app.create({
      data: { id: newId("app"), slug: "strict-app", name: "strict", strictCatalog: true },
    });
    const unknown = await trigger(app.slug, { event_name: "not.listed", payload: {} });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details.fields[0].field).toBe("event_name");

    const invalid = await trigger(app.slug, { event_name: "bad name", payload: [] });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(
      ["event_name", "payload"],
    );

    const missingApp = await trigger("no-such-app", { event_name: "a", payload: {} });
    expect(missingApp.status).toBe(404);

    const anonymous = await callRoute(eventsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps/x/events",
      params: { slug: "x" },
      body: { event_name: "a", payload: {} },
    });
    expect(anonymous.status).toBe(401);
  });
});
