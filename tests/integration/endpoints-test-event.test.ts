import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { deliveryWithAttempts } from "../helpers/delivery-fixtures";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import * as listRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as testRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/test/route";

// The receiver listens on 127.0.0.1, which only an operator who allows private targets may use.
const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
let key: string;
let receiver: Receiver;
let endpoint: { id: string; secret: string };

beforeAll(async () => {
  key = (await createApiKey({ name: "test-event" }, "test")).key;
  await createApp({ slug: "billing", name: "Billing" }, "test");
  receiver = await startReceiver();
  const res = await callRoute(listRoute.POST, {
    method: "POST",
    path: "/x",
    apiKey: key,
    params: { slug: "billing" },
    body: { url: receiver.url, events: ["invoice.paid"], headers: { "X-Tenant": "42" } },
  });
  expect(res.status).toBe(201);
  endpoint = res.body;
});
afterAll(() => receiver?.close());

const send = (body?: unknown, id = endpoint.id) =>
  callRoute(testRoute.POST, {
    method: "POST",
    path: "/x",
    apiKey: key,
    params: { slug: "billing", id },
    body,
  });

describe("POST /apps/{slug}/endpoints/{id}/test", () => {
  it("sends seed 001's test event signed with the endpoint's secret and reports the answer", async () => {
    const before = receiver.requests.length;
    const res = await send({ event_name: "invoice.paid", payload: { invoice_id: "inv_123" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status_code: 200,
      error: null,
      response_body: "ok",
    });
    expect(res.body.delivery_id).toMatch(/^dlv_/);
    const received = receiver.requests[before]!;
    expect(received.headers["webhook-id"]).toBe(res.body.delivery_id);
    expect(received.headers["x-tenant"]).toBe("42");
    const verified = new Webhook(endpoint.secret).verify(received.body, received.headers) as {
      data?: unknown;
    };
    expect(JSON.stringify(verified)).toContain("inv_123");
    const delivery = await deliveryWithAttempts(res.body.delivery_id);
    expect(delivery.endpointId).toBe(endpoint.id);
    // The answer reports the attempt it recorded.
    expect(res.body.duration_ms).toBe(delivery.attempts[0]!.durationMs);
  });

  it("defaults to webhook.test with a generated payload, whatever the subscriptions", async () => {
    const before = receiver.requests.length;
    const res = await send();
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    expect(receiver.requests[before]!.body).toContain("webhook.test");
    const delivery = await db().prisma.delivery.findUniqueOrThrow({
      where: { id: res.body.delivery_id },
    });
    expect(delivery.eventName).toBe("webhook.test");
  });

  it("reports a failing receiver as success: false with its status", async () => {
    receiver.setHandler((_req, res) => {
      res.statusCode = 503;
      res.end("down for maintenance");
    });
    try {
      const res = await send({ event_name: "invoice.paid" });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        success: false,
        status_code: 503,
        response_body: "down for maintenance",
      });
      expect(res.body.error).toMatch(/503/);
    } finally {
      receiver.setHandler((_req, res) => {
        res.end("ok");
      });
    }
  });

  it.each([
    [{ event_name: "not valid!" }, "event_name"],
    [{ payload: [1, 2] }, "payload"],
    [{ payload: "text" }, "payload"],
    [{ event_name: "a.b", extra: 1 }, "extra"],
  ])("refuses %j with 422 naming %s and sends nothing", async (body, field) => {
    const before = receiver.requests.length;
    const res = await send(body);
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(receiver.requests.length).toBe(before);
  });

  it("answers 404 for an unknown endpoint and app", async () => {
    expect((await send({}, "ep_unknown")).status).toBe(404);
    const app = await callRoute(testRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: "ghost", id: endpoint.id },
      body: {},
    });
    expect(app.status).toBe(404);
  });
});
