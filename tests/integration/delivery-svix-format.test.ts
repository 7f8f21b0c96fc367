/**
 * Delivery as Svix delivers (issue 19, item 4), from receivers' side: an app in the `svix`
 * format, endpoints with secrets the caller brought along; receivers verify with the official
 * `svix` package (2.x and 1.x) exactly as they would against Svix.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as SvixWebhook } from "svix";
import { Webhook as SvixV1Webhook } from "svix-v1";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver, type ReceivedRequest } from "../helpers/receiver";
import { accepts, eventually } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import * as appsRoute from "@/app/api/v1/apps/route";
import * as appRoute from "@/app/api/v1/apps/[slug]/route";
import * as endpointsRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as endpointRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";
import * as rotateRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/rotate-secret/route";
import * as eventsRoute from "@/app/api/v1/apps/[slug]/events/route";
import * as replayRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/replay/route";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

let key: string;
let driver: EmbeddedDriver;
let receiver: Receiver;
/** Paths whose first request is answered 500 (one retry each). */
const failOnce = new Set<string>();

beforeAll(async () => {
  key = (await createApiKey({ name: "svix-format" }, "test")).key;
  receiver = await startReceiver((req, res) => {
    if (failOnce.delete(req.path)) {
      res.statusCode = 500;
      res.end("not yet");
    } else res.end("ok");
  });
  driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await receiver?.close();
});

type Handler = Parameters<typeof callRoute>[0];
async function call(
  handler: Handler,
  method: string,
  params: Record<string, string>,
  body?: unknown,
  expected = 200,
) {
  const res = await callRoute(handler, {
    method,
    path: "/api/v1/test",
    apiKey: key,
    params,
    body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(expected);
  return res.body;
}

const newSecret = (bytes = 32) => `whsec_${randomBytes(bytes).toString("base64")}`;
let slugs = 0;
const createApp = (body: Record<string, unknown> = {}) =>
  call(appsRoute.POST, "POST", {}, { slug: `svix-${++slugs}`, name: "Svix", ...body }, 201);
const createEndpoint = (slug: string, path: string, body: Record<string, unknown> = {}) =>
  call(
    endpointsRoute.POST,
    "POST",
    { slug },
    { url: `http://127.0.0.1:${receiver.port}${path}`, ...body },
    201,
  );
const trigger = (slug: string, payload: Record<string, unknown>, event_name = "invoice.paid") =>
  call(eventsRoute.POST, "POST", { slug }, { event_name, payload }, 202);

const at = (path: string) => receiver.requests.filter((r) => r.path === path);
async function requestsAt(path: string, count: number): Promise<ReceivedRequest[]> {
  return eventually(async () => (at(path).length >= count ? at(path) : undefined), 20_000, path);
}

const svixHeaders = (req: ReceivedRequest) => ({
  "svix-id": req.headers["svix-id"]!,
  "svix-timestamp": req.headers["svix-timestamp"]!,
  "svix-signature": req.headers["svix-signature"]!,
});

/** Whether each `svix` package version accepts the request by its `svix-*` headers alone. */
function verifiedBy(secret: string, req: ReceivedRequest) {
  return {
    v2: accepts(() => new SvixWebhook(secret).verify(req.body, svixHeaders(req))),
    v1: accepts(() => new SvixV1Webhook(secret).verify(req.body, svixHeaders(req))),
  };
}

describe("the svix delivery format", () => {
  it("sends the raw payload with svix-id = the event id on every endpoint and retry, signed with the caller's secret", async () => {
    const app = await createApp({ delivery_format: "svix" });
    expect(app.delivery_format).toBe("svix");
    const secretA = newSecret(24);
    const secretB = newSecret(64);
    const a = await createEndpoint(app.slug, "/a", { secret: secretA });
    // Svix accepts a secret without its prefix; it is answered (and kept) with it.
    const b = await createEndpoint(app.slug, "/b", { secret: secretB.slice("whsec_".length) });
    expect(a).toMatchObject({
      secret: secretA,
      delivery_format: null,
      effective_delivery_format: "svix",
    });
    expect(b.secret).toBe(secretB);

    failOnce.add("/a");
    const payload = { invoice: { id: "in_1", amount: 5000 }, currency: "USD", lines: [1, 2] };
    const event = await trigger(app.slug, payload);

    const [first, retry] = await requestsAt("/a", 2);
    const [atB] = await requestsAt("/b", 1);
    for (const [req, secret] of [
      [first!, secretA],
      [retry!, secretA],
      [atB!, secretB],
    ] as const) {
      expect(req.headers["svix-id"]).toBe(event.event_id);
      expect(JSON.parse(req.body)).toEqual(payload);
      expect(req.headers["content-type"]).toBe("application/json");
      expect(verifiedBy(secret, req)).toEqual({ v2: true, v1: true });
      // The Standard Webhooks names carry the same values, for receivers reading those.
      expect(req.headers["webhook-id"]).toBe(event.event_id);
      expect(req.headers["webhook-timestamp"]).toBe(req.headers["svix-timestamp"]);
      expect(req.headers["webhook-signature"]).toBe(req.headers["svix-signature"]);
      expect(req.headers["svix-signature"]!.split(" ")).toHaveLength(1);
    }
    expect(verifiedBy(secretB, first!)).toEqual({ v2: false, v1: false });

    // A replay of a delivery keeps the message id too.
    const delivery = await db().prisma.delivery.findFirstOrThrow({
      where: { endpointId: b.id, eventId: event.event_id },
    });
    await eventually(async () => {
      const d = await db().prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
      return d.status === "success" ? true : undefined;
    });
    await call(replayRoute.POST, "POST", { slug: app.slug, id: delivery.id }, {}, 202);
    const [, replayed] = await requestsAt("/b", 2);
    expect(replayed!.headers["svix-id"]).toBe(event.event_id);
    expect(verifiedBy(secretB, replayed!)).toEqual({ v2: true, v1: true });

    // The log keeps the signatures masked, one per signature sent.
    const attempt = await findFirstAttemptOrThrow({ deliveryId: delivery.id });
    expect(attempt.requestHeaders).toMatchObject({
      "svix-id": event.event_id,
      "svix-signature": "v1,***",
      "webhook-signature": "v1,***",
    });
  });

  it("signs with the previous and the caller's new secret during the rotation grace", async () => {
    const app = await createApp({ delivery_format: "svix" });
    const before = newSecret();
    const ep = await createEndpoint(app.slug, "/rotate", { secret: before });
    const after = newSecret(48);
    const rotated = await call(
      rotateRoute.POST,
      "POST",
      { slug: app.slug, id: ep.id },
      { secret: after },
    );
    expect(rotated.secret).toBe(after);
    expect(rotated.previous_secret_expires_at).not.toBeNull();

    await trigger(app.slug, { during: "rotation" });
    const [req] = await requestsAt("/rotate", 1);
    expect(req!.headers["svix-signature"]!.split(" ")).toHaveLength(2);
    expect(verifiedBy(before, req!)).toEqual({ v2: true, v1: true });
    expect(verifiedBy(after, req!)).toEqual({ v2: true, v1: true });
    expect(verifiedBy(newSecret(), req!)).toEqual({ v2: false, v1: false });

    const malformed = await callRoute(rotateRoute.POST, {
      method: "POST",
      path: "/api/v1/test",
      apiKey: key,
      params: { slug: app.slug, id: ep.id },
      body: { secret: "whsec_tooshort" },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.details.fields.map((f: { field: string }) => f.field)).toContain(
      "secret",
    );
    expect(
      await db().prisma.endpointSecret.count({ where: { endpointId: ep.id, kind: "hmac" } }),
    ).toBe(2);
  });

  it("lets an endpoint override its app's format either way, and fall back with null", async () => {
    const hooklineApp = await createApp();
    expect(hooklineApp.delivery_format).toBe("hookline");
    const svixApp = await createApp({ delivery_format: "svix" });

    const svixHere = await createEndpoint(hooklineApp.slug, "/override-svix", {
      delivery_format: "svix",
    });
    const inherits = await createEndpoint(hooklineApp.slug, "/inherits-hookline");
    const hooklineHere = await createEndpoint(svixApp.slug, "/override-hookline", {
      delivery_format: "hookline",
    });
    expect(svixHere.effective_delivery_format).toBe("svix");
    expect(inherits).toMatchObject({
      delivery_format: null,
      effective_delivery_format: "hookline",
    });
    expect(hooklineHere.effective_delivery_format).toBe("hookline");

    const payload = { order: 7 };
    const one = await trigger(hooklineApp.slug, payload, "order.created");
    const two = await trigger(svixApp.slug, payload, "order.created");

    const [raw] = await requestsAt("/override-svix", 1);
    expect(raw!.body).toBe(JSON.stringify(payload));
    expect(raw!.headers["svix-id"]).toBe(one.event_id);
    expect(verifiedBy(svixHere.secret, raw!)).toEqual({ v2: true, v1: true });

    for (const [path, event, secret] of [
      ["/inherits-hookline", one, inherits.secret],
      ["/override-hookline", two, hooklineHere.secret],
    ] as const) {
      const [req] = await requestsAt(path, 1);
      expect(JSON.parse(req!.body)).toEqual({
        type: "order.created",
        timestamp: event.created_at,
        data: payload,
      });
      expect(req!.headers["svix-id"]).toBeUndefined();
      expect(req!.headers["webhook-id"]).toMatch(/^dlv_/);
      const standardHeaders = {
        "webhook-id": req!.headers["webhook-id"]!,
        "webhook-timestamp": req!.headers["webhook-timestamp"]!,
        "webhook-signature": req!.headers["webhook-signature"]!,
      };
      expect(() => new SvixWebhook(secret).verify(req!.body, standardHeaders)).not.toThrow();
      expect(() => new SvixWebhook(newSecret()).verify(req!.body, standardHeaders)).toThrow();
    }

    // Back to the app's format (svix) with null; the app's own format can change too.
    const reset = await call(
      endpointRoute.PATCH,
      "PATCH",
      { slug: svixApp.slug, id: hooklineHere.id },
      { delivery_format: null },
    );
    expect(reset).toMatchObject({ delivery_format: null, effective_delivery_format: "svix" });
    const switched = await call(
      appRoute.PATCH,
      "PATCH",
      { slug: hooklineApp.slug },
      { delivery_format: "svix" },
    );
    expect(switched.delivery_format).toBe("svix");
    const three = await trigger(svixApp.slug, { order: 8 }, "order.created");
    const four = await trigger(hooklineApp.slug, { order: 9 }, "order.created");
    const [, again] = await requestsAt("/override-hookline", 2);
    expect(again!.headers["svix-id"]).toBe(three.event_id);
    expect(again!.body).toBe('{"order":8}');
    const [, nowSvix] = await requestsAt("/inherits-hookline", 2);
    expect(nowSvix!.headers["svix-id"]).toBe(four.event_id);
    expect(verifiedBy(inherits.secret, nowSvix!)).toEqual({ v2: true, v1: true });
  });

  it("adds the v1a signature to svix-signature for an endpoint that signs with Ed25519 too", async () => {
    const app = await createApp({ delivery_format: "svix" });
    const secret = newSecret();
    const ep = await createEndpoint(app.slug, "/both", { secret, signature_scheme: "both" });
    await trigger(app.slug, { scheme: "both" });
    const [req] = await requestsAt("/both", 1);
    expect(req!.headers["svix-signature"]!.split(" ").map((s) => s.split(",")[0])).toEqual([
      "v1",
      "v1a",
    ]);
    expect(ep.public_key).toMatch(/^whpk_/);
    expect(verifiedBy(secret, req!)).toEqual({ v2: true, v1: true });
  });

  it("refuses an unknown format naming delivery_format, on apps and endpoints", async () => {
    const app = await createApp();
    for (const res of [
      await callRoute(appsRoute.POST, {
        method: "POST",
        path: "/api/v1/test",
        apiKey: key,
        body: { slug: "bad-format", name: "x", delivery_format: "standard" },
      }),
      await callRoute(endpointsRoute.POST, {
        method: "POST",
        path: "/api/v1/test",
        apiKey: key,
        params: { slug: app.slug },
        body: { url: receiver.url, delivery_format: "standard" },
      }),
    ]) {
      expect(res.status).toBe(422);
      expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([
        "delivery_format",
      ]);
    }
    expect(await db().prisma.app.count({ where: { slug: "bad-format" } })).toBe(0);
  });
});
