import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { createApiKey } from "@/lib/auth/api-keys";
import { HooklineClient, HooklineError } from "@/lib/sdk";

// The SDK over real HTTP, against the route handlers served by tests/helpers/route-server.ts.
const db = useTestDatabase();
let server: RouteServer;
let client: HooklineClient;

beforeAll(async () => {
  server = await startRouteServer();
  const { key } = await createApiKey({ name: "sdk" }, "test");
  client = new HooklineClient({ apiKey: key, baseUrl: server.url });
});
afterAll(() => server?.close());

describe("HooklineClient over HTTP", () => {
  it("manages an app, its endpoints and its catalog end to end", async () => {
    const w = client.webhooks;
    const app = await w.createWebhookApp({
      name: "Payments Integration",
      slug: "payments-int",
      description: "Fires when invoices are paid.",
    });
    expect(app).toMatchObject({ slug: "payments-int", name: "Payments Integration" });
    expect((await w.getWebhookApp(app.id)).slug).toBe("payments-int");
    expect((await w.listWebhookApps({ limit: 5 })).data.map((a) => a.slug)).toContain(
      "payments-int",
    );
    expect(await w.updateWebhookApp("payments-int", { branding: { theme: "dark" } })).toMatchObject(
      { branding: { theme: "dark" } },
    );

    const ep = await w.createWebhookEndpoint("payments-int", {
      url: "https://my-backend.com/webhooks/receive",
      description: "Primary Production Listener",
      events: ["invoice.paid", "invoice.past_due"],
    });
    expect(ep.subscriptions).toEqual(["invoice.paid", "invoice.past_due"]);
    expect((await w.getWebhookEndpointSecret("payments-int", ep.id)).secret).toBe(ep.secret);
    const page = await w.listWebhookEndpoints("payments-int");
    expect(page).toMatchObject({ has_more: false, next_cursor: null });
    expect(page.data.map((e) => e.id)).toEqual([ep.id]);

    const updated = await w.updateWebhookEndpoint("payments-int", ep.id, {
      is_active: false,
      max_retries: 2,
    });
    expect(updated).toMatchObject({ is_active: false, max_retries: 2 });
    expect((await w.reactivateWebhookEndpoint(ep.id)).is_active).toBe(true);
    const rotated = await w.rotateWebhookEndpointSecret("payments-int", ep.id, {
      expire_previous: true,
    });
    expect(rotated.previous_secret_expires_at).toBeNull();
    expect(await w.rotateWebhookSecret("payments-int")).toEqual({ rotated: 1 });
    const revoked = await w.revokeWebhookPortalSessions("payments-int");
    expect(revoked).toEqual({ revoked: true, revoked_before: expect.any(String) });
    expect(
      (
        await db().prisma.app.findUniqueOrThrow({ where: { slug: "payments-int" } })
      ).portalSessionsRevokedAt?.toISOString(),
    ).toBe(revoked.revoked_before);

    const catalog = await w.listEventTypes("payments-int");
    expect(catalog.data.map((t) => t.name).sort()).toEqual(["invoice.paid", "invoice.past_due"]);
    await w.createEventType("payments-int", {
      name: "invoice.refunded",
      schema: { type: "object" },
    });
    expect(
      (await w.updateEventType("payments-int", "invoice.refunded", { archived: true })).archived,
    ).toBe(true);
    expect((await w.getEventType("payments-int", "invoice.refunded")).schema).toEqual({
      type: "object",
    });
    await w.deleteEventType("payments-int", "invoice.refunded");

    await w.deleteWebhookEndpoint("payments-int", ep.id);
    expect((await w.listWebhookEndpoints("payments-int")).data).toEqual([]);
    await w.deleteWebhookApp("payments-int");
    expect(await db().prisma.app.count({ where: { slug: "payments-int" } })).toBe(0);
  });

  it("triggers an event on the engine's route (seed 002 triggerWebhook)", async () => {
    await client.webhooks.createWebhookApp({ name: "Trigger", slug: "trigger-app" });
    await client.webhooks.createWebhookEndpoint("trigger-app", {
      url: "https://receiver.example.com/h",
      events: ["custom.*"],
    });
    const result = await client.webhooks.triggerWebhook("trigger-app", {
      event_name: "custom.billing.processed",
      payload: { amount: 5000, currency: "USD", customer: "Alice" },
    });
    expect(result).toMatchObject({ event_name: "custom.billing.processed", duplicate: false });
  });

  it("throws HooklineError with the API's status, code and field details", async () => {
    await client.webhooks.createWebhookApp({ name: "Errors", app_slug: "errors-app" });
    const invalid = await client.webhooks
      .createWebhookEndpoint("errors-app", {
        url: "http://insecure.example.com",
        headers: { Host: "x" },
      })
      .catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(HooklineError);
    expect(invalid).toMatchObject({ status: 422, code: "validation_failed" });
    expect(
      ((invalid as HooklineError).details as { fields: { field: string }[] }).fields.map(
        (f) => f.field,
      ),
    ).toEqual(["headers.Host"]);

    const missing = await client.webhooks.getWebhookApp("no-such-app").catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: "HooklineError", status: 404, code: "not_found" });
    expect((missing as HooklineError).requestId).toMatch(/^req_/);

    const dup = await client.webhooks
      .createWebhookApp({ name: "Errors", slug: "errors-app" })
      .catch((e: unknown) => e);
    expect(dup).toMatchObject({ status: 409, code: "conflict" });

    const unauthenticated = new HooklineClient({ apiKey: "hk_wrong", baseUrl: server.url });
    await expect(unauthenticated.webhooks.listWebhookApps()).rejects.toMatchObject({
      status: 401,
      code: "unauthorized",
    });
  });

  it("offers the generic get/post used in seed 001", async () => {
    const apps = await client.get<{ data: { slug: string }[] }>("/apps", { limit: 1 });
    expect(apps.data.length).toBeLessThanOrEqual(1);
    const created = await client.post<{ slug: string }>("/apps", {
      name: "Generic",
      slug: "generic",
    });
    expect(created.slug).toBe("generic");
    const patched = await client.patch<{ name: string }>("/apps/generic", { name: "Generic 2" });
    expect(patched.name).toBe("Generic 2");
    await expect(client.delete("/apps/generic")).resolves.toBeUndefined();
  });
});
