/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Issue 23 item 5: custom endpoint header values are encrypted at rest like signing secrets,
 * masked on every read, and sent for real to a real receiver; rows stored in plaintext before
 * encryption are still delivered and get encrypted by the start-up pass.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { triggerEvent } from "@/lib/events/trigger-event";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { encryptPlaintextEndpointHeaders } from "@/lib/endpoints/stored-headers";
import * as listRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as oneRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const CREDENTIAL = "Bearer sk_live_0123456789abcdefWXYZ";
const API_KEY_VALUE = "key-9f8e7d6c5b4a3210";
let key: string;
let receiver: Receiver;
let driver: EmbeddedDriver;

beforeAll(async () => {
  key = (await createApiKey({ name: "headers" }, "test")).key;
  receiver = await startReceiver();
  driver = startEmbeddedDriver({ pollIntervalMs: 100, shutdownGraceMs: 2_000, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await receiver?.close();
});

async function rawEndpoint(id: string) {
  const rows = await db().prisma.$queryRaw<
    Array<{ headers: unknown; headers_encrypted: string | null }>
  >`SELECT headers, headers_encrypted FROM endpoints WHERE id = ${id}`;
  return rows[0]!;
}

async function deliveredHeaders(app: { id: string; slug: string }, endpointId: string) {
  const event = await triggerEvent(app as any, { event_name: "order.paid", payload: { n: 1 } });
  const delivery = await eventually(
    async () => {
      const d = await db().prisma.delivery.findFirst({
        where: { eventId: event.event_id, endpointId },
      });
      return d?.status === "success" ? d : undefined;
    },
    20_000,
    "the delivery",
  );
  const received = receiver.requests.find((r) => r.headers["webhook-id"] === delivery.id);
  expect(received).toBeDefined();
  return received!.headers;
}

describe("custom header values at rest (item 5)", () => {
  it("stores them encrypted, reads them masked, and delivers the real values", async () => {
    const app = await createApp({ slug: "headers-enc", name: "Headers" }, "test");
    const created = await callRoute(listRoute.POST, {
      method: "POST",
      path: "/x",
      apiKey: key,
      params: { slug: app.slug },
      body: {
        url: receiver.url,
        headers: { Authorization: CREDENTIAL, "X-Api-Key": API_KEY_VALUE, "X-Tenant": "42" },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.headers).toEqual({
      Authorization: "********WXYZ",
      "X-Api-Key": "********3210",
      "X-Tenant": "42",
    });

    // The database holds no credential in clear: not in `headers`, not anywhere in the row.
    const row = await rawEndpoint(id);
    const dump = JSON.stringify(
      await db().prisma.$queryRaw`SELECT to_jsonb(e) AS row FROM endpoints e WHERE id = ${id}`,
    );
    expect(dump).not.toContain("sk_live_0123456789");
    expect(dump).not.toContain(API_KEY_VALUE);
    expect(row.headers).toEqual(created.body.headers);
    expect(row.headers_encrypted).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);

    const read = await callRoute(oneRoute.GET, {
      path: "/x",
      apiKey: key,
      params: { slug: app.slug, id },
    });
    expect(read.body.headers).toEqual(created.body.headers);
    const listed = await callRoute(listRoute.GET, {
      path: "/x",
      apiKey: key,
      params: { slug: app.slug },
    });
    expect(listed.body.data[0].headers).toEqual(created.body.headers);

    const sent = await deliveredHeaders(app, id);
    expect(sent.authorization).toBe(CREDENTIAL);
    expect(sent["x-api-key"]).toBe(API_KEY_VALUE);
    expect(sent["x-tenant"]).toBe("42");

    // An update that sends back the masked values as read keeps the credentials.
    const updated = await callRoute(oneRoute.PATCH, {
      method: "PATCH",
      path: "/x",
      apiKey: key,
      params: { slug: app.slug, id },
      body: { headers: { ...read.body.headers, "X-Tenant": "43" } },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.headers).toEqual({ ...created.body.headers, "X-Tenant": "43" });
    expect(JSON.stringify(await rawEndpoint(id))).not.toContain("sk_live_0123456789");
    const again = await deliveredHeaders(app, id);
    expect(again.authorization).toBe(CREDENTIAL);
    expect(again["x-tenant"]).toBe("43");
  });

  it("encrypts a row stored in plaintext before encryption, which delivers all along", async () => {
    const app = await createTestApp();
    // Written straight to the table as the schema before encryption did.
    const { endpoint } = await createTestEndpoint(app, {
      url: receiver.url,
      headers: { Authorization: CREDENTIAL, "X-Tenant": "7" },
    });
    expect((await rawEndpoint(endpoint.id)).headers_encrypted).toBeNull();
    const read = await callRoute(oneRoute.GET, {
      path: "/x",
      apiKey: key,
      params: { slug: app.slug, id: endpoint.id },
    });
    expect(read.body.headers).toEqual({ Authorization: "********WXYZ", "X-Tenant": "7" });
    expect((await deliveredHeaders(app, endpoint.id)).authorization).toBe(CREDENTIAL);

    expect(await encryptPlaintextEndpointHeaders()).toBeGreaterThanOrEqual(1);
    const row = await rawEndpoint(endpoint.id);
    expect(JSON.stringify(row.headers)).not.toContain("sk_live_0123456789");
    expect(row.headers).toEqual({ Authorization: "********WXYZ", "X-Tenant": "7" });
    expect(row.headers_encrypted).toMatch(/^v1\./);
    expect(await encryptPlaintextEndpointHeaders()).toBe(0);

    const after = await callRoute(oneRoute.GET, {
      path: "/x",
      apiKey: key,
      params: { slug: app.slug, id: endpoint.id },
    });
    expect(after.body.headers).toEqual(read.body.headers);
    const sent = await deliveredHeaders(app, endpoint.id);
    expect(sent.authorization).toBe(CREDENTIAL);
    expect(sent["x-tenant"]).toBe("7");
  });
});
