/**
 * Payloads keep their key order end to end (issue 20): `jsonb` stores keys shorter-first, so a
 * payload sent as `{"zeta":…,"a":…,"mid":…}` used to reach receivers, the APIs and the portal as
 * `{"a":…,"mid":…,"zeta":…}`. Here the producer's bytes go in over real HTTP and every way out is
 * read as text: the receiver's body (and its signature over exactly those bytes), the delivery
 * log (backend and frontend API), the Svix message API; the payload search still finds the event
 * through its GIN index; the catalog's schema and example keep their order too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { useTestDatabase } from "../helpers/db";
import { createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import type { App } from "@/generated/prisma/client";
import { createApp } from "@/lib/apps/create-app";
import { createApiKey } from "@/lib/auth/api-keys";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies } from "@/lib/sessions/portal-session";
import { createAccessTicket } from "@/lib/sessions/tickets";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

/**
 * Keys in an order jsonb would not keep (it sorts by length, then bytes), nested and in arrays,
 * and integer-like keys after others, which any parsed JavaScript object would put first.
 */
const PAYLOAD_TEXT = `{"zeta":1,"10":"ten","a":{"y":2,"b":3,"2":0},"mid":[{"k2":1,"k1":2}],"customer":{"id":"cus_ko"}}`;

let server: RouteServer;
let receiver: Receiver;
let driver: EmbeddedDriver;
let key: string;
let app: App;

beforeAll(async () => {
  server = await startRouteServer({ under: "" });
  receiver = await startReceiver();
  driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
  setJobDriver(driver);
  ({ key } = await createApiKey({ name: "key-order" }, "test"));
  app = await createApp({ slug: "key-order", name: "Key order" }, "test");
});
afterAll(async () => {
  setJobDriver(undefined);
  await driver?.stop();
  await receiver?.close();
  await server?.close();
});

/** The answer's status and body as text: JSON.parse would hide nothing here, but the bytes are the point. */
async function call(
  method: string,
  path: string,
  body?: string,
  headers: Record<string, string> = { authorization: `Bearer ${key}` },
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined && { "content-type": "application/json" }) },
    body,
  });
  return { status: res.status, text: await res.text() };
}

async function portalCookie(): Promise<string> {
  const { ticket } = await createAccessTicket(
    { ticket_type: "webhook_app_access", webhook_app_slug: app.slug, expires_in: 120 },
    "test",
  );
  const { session } = await exchangeTicket(ticket);
  const cookies = await sessionCookies(session, new Request("http://hookline.test/"));
  return cookies.map((c) => c.split(";")[0]).join("; ");
}

describe("payload key order", () => {
  it("reaches receivers in both formats, signed over the producer's order, and the APIs answer it", async () => {
    const { secret } = await createTestEndpoint(app, { url: `${receiver.url}/hookline` });
    const { endpoint: svixEndpoint, secret: svixSecret } = await createTestEndpoint(app, {
      url: `${receiver.url}/svix`,
    });
    await db().prisma.endpoint.update({
      where: { id: svixEndpoint.id },
      data: { deliveryFormat: "svix" },
    });

    const trigger = await call(
      "POST",
      `/api/v1/apps/${app.slug}/events`,
      `{ "event_name": "order.placed", "payload": ${PAYLOAD_TEXT} }`,
    );
    expect(trigger.status).toBe(202);
    const eventId = (JSON.parse(trigger.text) as { event_id: string }).event_id;

    await receiver.waitFor(2, 20_000);
    const hookline = receiver.requests.find((r) => r.path.endsWith("/hookline"))!;
    const svix = receiver.requests.find((r) => r.path.endsWith("/svix"))!;

    // The hookline envelope embeds the payload's text: the signature covers these very bytes.
    expect(hookline.body).toMatch(/^\{"type":"order\.placed","timestamp":"[^"]+","data":/);
    expect(hookline.body.endsWith(`"data":${PAYLOAD_TEXT}}`)).toBe(true);
    new StandardWebhook(secret).verify(hookline.body, {
      "webhook-id": hookline.headers["webhook-id"]!,
      "webhook-timestamp": hookline.headers["webhook-timestamp"]!,
      "webhook-signature": hookline.headers["webhook-signature"]!,
    });
    // The svix format sends the payload alone, byte for byte as sent (spacing aside).
    expect(svix.body).toBe(PAYLOAD_TEXT);
    new SvixWebhook(svixSecret).verify(svix.body, {
      "svix-id": svix.headers["svix-id"]!,
      "svix-timestamp": svix.headers["svix-timestamp"]!,
      "svix-signature": svix.headers["svix-signature"]!,
    });

    const delivery = await db().prisma.delivery.findFirstOrThrow({
      where: { eventId, endpointId: svixEndpoint.id },
    });

    // The delivery log: backend API and the portal's frontend API.
    const backend = await call("GET", `/api/v1/apps/${app.slug}/deliveries/${delivery.id}`);
    expect(backend.status).toBe(200);
    expect(backend.text).toContain(`"payload":${PAYLOAD_TEXT}`);
    const frontend = await call(
      "GET",
      `/api/frontend/webhook/deliveries/${delivery.id}`,
      undefined,
      {
        cookie: await portalCookie(),
      },
    );
    expect(frontend.status).toBe(200);
    expect(frontend.text).toContain(`"payload":${PAYLOAD_TEXT}`);

    // The Svix message API: get and list.
    const message = await call("GET", `/api/v1/app/${app.id}/msg/${eventId}`);
    expect(message.status).toBe(200);
    expect(message.text).toContain(`"payload":${PAYLOAD_TEXT}`);
    const messages = await call("GET", `/api/v1/app/${app.id}/msg`);
    expect(messages.text).toContain(`"payload":${PAYLOAD_TEXT}`);
  });

  it("a message created through the Svix API keeps its order when delivered and read back", async () => {
    const received = receiver.requests.length;
    const created = await call(
      "POST",
      `/api/v1/app/${app.id}/msg`,
      `{"eventType":"order.shipped","payload":${PAYLOAD_TEXT}}`,
    );
    expect(created.status).toBe(202);
    expect(created.text).toContain(`"payload":${PAYLOAD_TEXT}`);
    const id = (JSON.parse(created.text) as { id: string }).id;
    await receiver.waitFor(received + 2, 20_000);
    const bodies = receiver.requests.slice(received).map((r) => r.body);
    expect(bodies).toContain(PAYLOAD_TEXT);
    const read = await call("GET", `/api/v1/app/${app.id}/msg/${id}`);
    expect(read.text).toContain(`"payload":${PAYLOAD_TEXT}`);
  });

  it("the payload search still finds it, through the GIN index", async () => {
    const found = await eventually(async () => {
      const res = await call(
        "GET",
        `/api/v1/apps/${app.slug}/deliveries?payload=${encodeURIComponent('customer.id = "cus_ko" and a.y = 2')}`,
      );
      const ids = (JSON.parse(res.text) as { data: { event_name: string }[] }).data;
      return ids.length >= 2 ? ids : undefined;
    });
    expect(found.map((d) => d.event_name)).toContain("order.placed");

    // The search's condition (lib/delivery-log/select-delivery-page.ts, lib/console/find.ts): with
    // sequential scans priced out, a plan without the GIN index means it cannot serve it.
    const client = await db().pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const { rows } = await client.query<{ "QUERY PLAN": string }>(
        "EXPLAIN SELECT id FROM events WHERE payload @@ $1::jsonpath",
        ['$.customer.id == "cus_ko"'],
      );
      expect(rows.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(
        /Bitmap Index Scan on events_payload_idx/,
      );
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  });

  it("the catalog keeps a schema's and an example's order", async () => {
    const schema = `{"type":"object","properties":{"zeta":{"type":"integer"},"a":{"type":"object"}},"required":["zeta"]}`;
    const example = `{"zeta":1,"a":{"y":2,"b":3}}`;
    const created = await call(
      "POST",
      `/api/v1/apps/${app.slug}/event-types`,
      `{"name":"order.placed","schema":${schema},"example":${example}}`,
    );
    expect(created.status).toBe(201);
    const read = await call("GET", `/api/v1/apps/${app.slug}/event-types/order.placed`);
    expect(read.text).toContain(`"schema":${schema}`);
    expect(read.text).toContain(`"example":${example}`);
    const catalog = await call("GET", "/api/frontend/webhook/events/catalog", undefined, {
      cookie: await portalCookie(),
    });
    expect(catalog.status).toBe(200);
    expect(catalog.text).toContain(`"schema":${schema}`);

    const svixSchemas = `{"1":{"type":"object","properties":{"zeta":{"type":"string"},"a":{"type":"string"}}}}`;
    const svixCreated = await call(
      "POST",
      "/api/v1/event-type",
      `{"name":"order.cancelled","description":"Cancelled","schemas":${svixSchemas}}`,
    );
    expect(svixCreated.status).toBe(201);
    const svixRead = await call("GET", "/api/v1/event-type/order.cancelled");
    expect(svixRead.text).toContain(`"schemas":${svixSchemas}`);
  });
});
