/**
 * Seeds 000 and 002, run against the real server (`npm start`) through Hookline's SDK with only
 * the import changed: `import { WachtClient } from "@wacht/backend"` becomes the line below.
 * The snippets read their key from WACHT_*_API_KEY and, like any SDK user, the server's
 * address from HOOKLINE_URL.
 */
import { HooklineClient as WachtClient } from "@/lib/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, stopAllServers, type RunningServer } from "../helpers/server";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { Webhook } from "standardwebhooks";

let server: RunningServer;
let receiver: Receiver;

beforeAll(async () => {
  // The receiver of the end-to-end checks listens on 127.0.0.1.
  server = await startServer({ env: { HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" } });
  const key = await server.createApiKey("seeds");
  process.env.HOOKLINE_URL = server.url;
  process.env.WACHT_BACKEND_API_KEY = key;
  process.env.WACHT_API_KEY = key;
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await stopAllServers();
});

describe("seed 000: webhook apps end to end", () => {
  it("provisions the webhook app wh_42", async () => {
    // --- seed 000 "Provision webhook app" ---
    const client = new WachtClient({ apiKey: process.env.WACHT_BACKEND_API_KEY! });

    await client.webhooks.createWebhookApp({
      name: "Billing Webhooks",
      app_slug: "wh_42",
      description: "Webhook app for deployment 42",
    });
    // ---

    const res = await fetch(`${server.url}/api/v1/apps/wh_42`, {
      headers: { authorization: `Bearer ${process.env.WACHT_BACKEND_API_KEY}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      slug: "wh_42",
      name: "Billing Webhooks",
      description: "Webhook app for deployment 42",
    });
  });
});

describe("seed 002: the webhooks module", () => {
  const client = () => new WachtClient({ apiKey: process.env.WACHT_API_KEY });

  it("createWebhookApp defines the payments-int app", async () => {
    // --- seed 002 "createWebhookApp(request)" ---
    const client = new WachtClient({ apiKey: process.env.WACHT_API_KEY });
    const app = await client.webhooks.createWebhookApp({
      name: "Payments Integration",
      slug: "payments-int",
      description: "Fires when invoices are paid.",
    });
    // ---
    expect(app).toMatchObject({
      slug: "payments-int",
      name: "Payments Integration",
      description: "Fires when invoices are paid.",
    });
    expect(app.id).toMatch(/^app_/);
  });

  it("createWebhookEndpoint binds a listener subscribed to the invoice events", async () => {
    // --- seed 002 "createWebhookEndpoint(appSlug, request)" ---
    await client().webhooks.createWebhookEndpoint("payments-int", {
      url: "https://my-backend.com/webhooks/receive",
      description: "Primary Production Listener",
      events: ["invoice.paid", "invoice.past_due"],
    });
    // ---
    const endpoints = await client().webhooks.listWebhookEndpoints("payments-int");
    expect(endpoints.data).toHaveLength(1);
    expect(endpoints.data[0]).toMatchObject({
      url: "https://my-backend.com/webhooks/receive",
      description: "Primary Production Listener",
      subscriptions: ["invoice.paid", "invoice.past_due"],
      is_active: true,
    });
  });

  it("lists, gets, updates and rotates apps (the app methods seed 002 lists)", async () => {
    const webhooks = client().webhooks;
    const apps = await webhooks.listWebhookApps({ limit: 10 });
    expect(apps.data.map((a) => a.slug)).toEqual(expect.arrayContaining(["wh_42", "payments-int"]));
    expect((await webhooks.getWebhookApp("payments-int")).name).toBe("Payments Integration");
    expect(
      await webhooks.updateWebhookApp("payments-int", {
        description: "Invoices, paid and past due",
      }),
    ).toMatchObject({
      description: "Invoices, paid and past due",
    });
    expect(await webhooks.rotateWebhookSecret("payments-int")).toEqual({ rotated: 1 });
    await webhooks.createWebhookApp({ name: "Scratch", slug: "scratch" });
    await webhooks.deleteWebhookApp("scratch");
    await expect(webhooks.getWebhookApp("scratch")).rejects.toMatchObject({
      status: 404,
      code: "not_found",
    });
  });

  it("updates, tests, reactivates and deletes endpoints (the endpoint methods seed 002 lists)", async () => {
    const webhooks = client().webhooks;
    const endpoint = await webhooks.createWebhookEndpoint("payments-int", {
      url: receiver.url,
      events: ["invoice.paid"],
    });
    const paused = await webhooks.updateWebhookEndpoint("payments-int", endpoint.id, {
      is_active: false,
    });
    expect(paused.is_active).toBe(false);
    expect((await webhooks.reactivateWebhookEndpoint(endpoint.id)).is_active).toBe(true);

    const before = receiver.requests.length;
    const test = await webhooks.testWebhookEndpoint("payments-int", endpoint.id, {
      event_name: "invoice.paid",
      payload: { invoice_id: "inv_123" },
    });
    expect(test).toMatchObject({ success: true, status_code: 200 });
    const received = receiver.requests[before]!;
    expect(received.headers["webhook-id"]).toBe(test.delivery_id);
    expect(
      JSON.stringify(new Webhook(endpoint.secret).verify(received.body, received.headers)),
    ).toContain("inv_123");

    await webhooks.deleteWebhookEndpoint("payments-int", endpoint.id);
    const left = await webhooks.listWebhookEndpoints("payments-int");
    expect(left.data.map((e) => e.id)).not.toContain(endpoint.id);
  });

  it("triggerWebhook emits a custom event that reaches a subscribed endpoint, signed", async () => {
    const webhooks = client().webhooks;
    const listener = await webhooks.createWebhookEndpoint("payments-int", {
      url: receiver.url,
      events: ["custom.*"],
    });
    const before = receiver.requests.length;

    // --- seed 002 "Triggering Custom Events" ---
    await client().webhooks.triggerWebhook("payments-int", {
      event_name: "custom.billing.processed",
      payload: {
        amount: 5000,
        currency: "USD",
        customer: "Alice",
      },
    });
    // ---

    await receiver.waitFor(before + 1, 30_000);
    const received = receiver.requests[before]!;
    const verified = new Webhook(listener.secret).verify(received.body, received.headers);
    expect(JSON.stringify(verified)).toContain("Alice");
  });

  it("lists failed deliveries and replays one (listWebhookDeliveries, getWebhookDelivery, replayWebhookDelivery)", async () => {
    // The seed's preamble.
    const client = new WachtClient({ apiKey: process.env.WACHT_API_KEY });
    const webhooks = client.webhooks;
    receiver.setHandler((_req, res) => {
      res.statusCode = 503;
      res.end("down");
    });
    const flaky = await webhooks.createWebhookEndpoint("payments-int", {
      url: receiver.url,
      events: ["invoice.paid"],
      max_retries: 0,
    });
    const before = receiver.requests.length;
    await webhooks.triggerWebhook("payments-int", {
      event_name: "invoice.paid",
      payload: { invoice_id: "inv_9" },
    });
    await receiver.waitFor(before + 1, 30_000);

    const failed = await waitUntil(async () => {
      // --- seed 002 "listWebhookDeliveries(appSlug, options)" ---
      const deliveries = await client.webhooks.listWebhookDeliveries("payments-int", {
        status: "failed", // Only find failed deliveries
        limit: 25,
      });
      // ---
      expect(deliveries.data.every((d) => d.status === "failed")).toBe(true);
      return deliveries.data.find((d) => d.endpoint_id === flaky.id);
    });
    const detail = await webhooks.getWebhookDelivery("payments-int", failed.id);
    expect(detail.attempts[0]).toMatchObject({ response_status: 503 });

    receiver.setHandler((_req, res) => {
      res.end("ok");
    });
    const replayedAt = receiver.requests.length;
    // --- seed 002 "replayWebhookDelivery(appSlug, deliveryId)", with a real failed delivery id ---
    await client.webhooks.replayWebhookDelivery("payments-int", failed.id);
    // ---
    await receiver.waitFor(replayedAt + 1, 30_000);
    expect(receiver.requests[replayedAt]!.headers["webhook-id"]).toBe(failed.id);
    // The seed's placeholder id names no delivery here.
    await expect(
      client.webhooks.replayWebhookDelivery("payments-int", "del_abc123"),
    ).rejects.toMatchObject({ status: 404 });
    await webhooks.deleteWebhookEndpoint("payments-int", flaky.id);
  });

  it("starts a bulk replay task and lists it (replayWebhookDeliveries)", async () => {
    const webhooks = client().webhooks;
    const start = new Date(Date.now() - 3_600_000).toISOString();
    const end = new Date(Date.now() + 60_000).toISOString();
    const preview = await webhooks.replayWebhookDeliveries("payments-int", {
      start_date: start,
      end_date: end,
      status: "all",
      dry_run: true,
    });
    expect(preview.count).toBeGreaterThan(0);
    const task = await webhooks.replayWebhookDeliveries("payments-int", {
      start_date: start,
      end_date: end,
      status: "failed",
    });
    expect(task).toMatchObject({ task_id: task.id, filter: { status: "failed" } });
    expect(["queued", "running", "completed"]).toContain(task.status);
    expect((await webhooks.getReplayTask("payments-int", task.id)).id).toBe(task.id);
    expect((await webhooks.listReplayTasks("payments-int")).data.map((t) => t.id)).toContain(
      task.id,
    );
  });

  it("runs a bulk replay task to completed and re-sends the failed deliveries", async () => {
    const webhooks = client().webhooks;
    receiver.setHandler((_req, res) => {
      res.statusCode = 500;
      res.end("broken");
    });
    const endpoint = await webhooks.createWebhookEndpoint("payments-int", {
      url: receiver.url,
      events: ["invoice.past_due"],
      max_retries: 0,
    });
    const start = new Date(Date.now() - 1_000).toISOString();
    const before = receiver.requests.length;
    for (const n of [1, 2, 3])
      await webhooks.triggerWebhook("payments-int", {
        event_name: "invoice.past_due",
        payload: { n },
      });
    await receiver.waitFor(before + 3, 30_000);
    const failed = await waitUntil(async () => {
      const page = await webhooks.listWebhookDeliveries("payments-int", {
        status: "failed",
        endpoint_id: endpoint.id,
        limit: 10,
      });
      return page.data.length === 3 ? page.data : undefined;
    });

    receiver.setHandler((_req, res) => {
      res.end("ok");
    });
    const replayFrom = receiver.requests.length;
    const task = await webhooks.replayWebhookDeliveries("payments-int", {
      start_date: start,
      end_date: new Date(Date.now() + 1_000).toISOString(),
      endpoint_id: endpoint.id,
      status: "failed",
    });
    const done = await waitUntil(async () => {
      const t = await webhooks.getReplayTask("payments-int", task.task_id);
      return t.status === "completed" ? t : undefined;
    });
    expect(done).toMatchObject({ total: 3, processed: 3, replayed: 3, failed: 0 });
    await receiver.waitFor(replayFrom + 3, 30_000);
    const resent = receiver.requests
      .slice(replayFrom)
      .map((r) => r.headers["webhook-id"])
      .sort();
    expect(resent).toEqual(failed.map((d) => d.id).sort());
    await waitUntil(async () => {
      const page = await webhooks.listWebhookDeliveries("payments-int", {
        status: "success",
        endpoint_id: endpoint.id,
        limit: 10,
      });
      return page.data.length === 3 ? true : undefined;
    });
    await webhooks.deleteWebhookEndpoint("payments-int", endpoint.id);
  });

  it("reports stats, analytics and timeseries", async () => {
    const webhooks = client().webhooks;
    const stats = await webhooks.getWebhookStats("payments-int");
    expect(stats.total_deliveries).toBeGreaterThan(0);
    const analytics = await webhooks.getWebhookAnalytics("payments-int", {
      fields: ["success_rate", "failed", "total_deliveries"],
    });
    expect(Object.keys(analytics).sort()).toEqual(["failed", "success_rate", "total_deliveries"]);
    expect(analytics.total_deliveries).toBeGreaterThan(0);
    const series = await webhooks.getWebhookTimeseries("payments-int", { interval: "hour" });
    expect(series.interval).toBe("hour");
    expect(series.timeseries.reduce((n, p) => n + p.total_deliveries, 0)).toBeGreaterThan(0);
  });
});

describe("the trigger route on the production server (answered without Next's router)", () => {
  const url = (slug: string, suffix = "") => `${server.url}/api/v1/apps/${slug}/events${suffix}`;
  const post = (target: string, body: string, headers: Record<string, string> = {}) =>
    fetch(target, {
      method: "POST",
      headers: {
        authorization: `Bearer ${process.env.WACHT_API_KEY}`,
        "content-type": "application/json",
        ...headers,
      },
      body,
    });

  it("answers as the route does: 202, request ids, 401, 400, 404, 422 and 413", async () => {
    const ok = await post(
      url("wh_42"),
      JSON.stringify({ event_name: "invoice.paid", payload: { n: 1 } }),
      { "x-request-id": "req-fast-1" },
    );
    expect(ok.status).toBe(202);
    expect(ok.headers.get("x-request-id")).toBe("req-fast-1");
    expect(ok.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await ok.json()).toMatchObject({ event_name: "invoice.paid", duplicate: false });

    const anonymous = await fetch(url("wh_42"), { method: "POST", body: "{}" });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      "unauthorized",
    );

    const broken = await post(url("wh_42"), "{not json");
    expect([
      broken.status,
      ((await broken.json()) as { error: { code: string } }).error.code,
    ]).toEqual([400, "invalid_json"]);
    const unknown = await post(
      url("no-such-app"),
      JSON.stringify({ event_name: "a.b", payload: {} }),
    );
    expect(unknown.status).toBe(404);
    const invalid = await post(url("wh_42"), JSON.stringify({ event_name: "a.b", payload: [] }));
    expect(invalid.status).toBe(422);
    const huge = await post(
      url("wh_42"),
      JSON.stringify({ event_name: "a.b", payload: { x: "y".repeat(2_000_000) } }),
    );
    expect(huge.status).toBe(413);
  });

  it("leaves other methods and forms of the path to Next", async () => {
    const get = await fetch(url("wh_42"), {
      headers: { authorization: `Bearer ${process.env.WACHT_API_KEY}` },
    });
    expect(get.status).toBe(405);
    // Next serves the trailing-slash form (normalising it) with the same route: same validation.
    const slash = await post(url("wh_42", "/"), "{}");
    expect(slash.status).toBe(422);
    expect(((await slash.json()) as { error: { code: string } }).error.code).toBe(
      "validation_failed",
    );
  });
});

async function waitUntil<T>(fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 250));
  }
}
