/**
 * Messages, attempts, replays/background tasks and operational webhooks through the official
 * `svix` clients 2.x and 1.x, unchanged but for serverUrl, against the route handlers over real
 * HTTP, with a real job driver delivering to real receivers. Every answer is checked against
 * the response schema Svix's spec declares for its operation and status.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Svix as Svix2, Webhook } from "svix";
import { Svix as Svix1 } from "svix-v1";
import { countAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { checkingFetch } from "../helpers/svix-spec";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
let server: RouteServer;
let key: string;
let receiver: Receiver;
let driver: EmbeddedDriver;
const checked = checkingFetch();

beforeAll(async () => {
  server = await startRouteServer();
  ({ key } = await createApiKey({ name: "svix" }, "test"));
  receiver = await startReceiver((req, res) => {
    res.statusCode = req.body.includes('"fail":true') ? 500 : 200;
    res.end(res.statusCode === 200 ? "thanks" : "nope");
  });
  driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: { pollIntervalMs: 100 } });
  setJobDriver(driver);
});
afterAll(async () => {
  setJobDriver(undefined);
  await driver?.stop();
  await receiver?.close();
  await server?.close();
});

type AnySvix = Svix2 | Svix1;
function clients(): (readonly [string, AnySvix])[] {
  return [
    ["2.x", new Svix2(key, { serverUrl: server.url, fetch: checked.fetch })],
    ["1.x", new Svix1(key, { serverUrl: server.url, fetch: checked.fetch })],
  ];
}

/** An app made through the Svix surface, and an endpoint on it (straight to the database). */
async function appWithEndpoint(svix: AnySvix, name: string, maxRetries = 0) {
  const out = await svix.application.create({ name });
  const app = await db().prisma.app.findUniqueOrThrow({ where: { id: out.id } });
  const { endpoint, secret } = await createTestEndpoint(app, { url: receiver.url, maxRetries });
  return { app, endpoint, secret };
}

async function attemptsOf(app: App, n: number) {
  await eventually(
    async () => (await countAttempts({ appId: app.id })) >= n || undefined,
    15_000,
    `${n} attempts`,
  );
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => e,
  );

describe("Svix messages", () => {
  it("creates, reads by id and eventId, lists with filters and expunges, with both clients", async () => {
    for (const [version, svix] of clients()) {
      const { app, secret } = await appWithEndpoint(svix, `Messages ${version}`);
      // A second endpoint made through the client with a secret brought from elsewhere.
      const broughtSecret = `whsec_${randomBytes(24).toString("base64")}`;
      await svix.endpoint.create(app.id, {
        url: `${receiver.url}/brought-${version}`,
        secret: broughtSecret,
      });
      const msg = await svix.message.create(
        app.id,
        {
          eventType: "invoice.paid",
          payload: { amount: 5, version },
          eventId: `inv-${version}`,
          channels: ["project_1"],
          tags: ["billing"],
        },
        { withContent: true },
      );
      expect(msg).toMatchObject({
        eventType: "invoice.paid",
        eventId: `inv-${version}`,
        payload: { amount: 5, version },
        channels: ["project_1"],
      });
      expect(msg.id).toMatch(/^msg_/);
      expect(msg.timestamp).toBeInstanceOf(Date);
      const other = await svix.message.create(app.id, { eventType: "user.created", payload: {} });

      expect((await svix.message.get(app.id, msg.id)).eventId).toBe(`inv-${version}`);
      expect((await svix.message.get(app.id, `inv-${version}`)).id).toBe(msg.id);
      const all = await svix.message.list(app.id, { withContent: true });
      expect(all.data.map((m) => m.id)).toEqual([other.id, msg.id]);
      expect(all.done).toBe(true);
      expect(all.data[1]!.payload).toEqual({ amount: 5, version });
      const lean = await svix.message.list(app.id, { withContent: false });
      expect(lean.data[1]!.payload).toEqual({});
      const paged = await svix.message.list(app.id, { limit: 1 });
      expect(paged.data.map((m) => m.id)).toEqual([other.id]);
      expect(paged.done).toBe(false);
      const next = await svix.message.list(app.id, { limit: 1, iterator: paged.iterator });
      expect(next.data.map((m) => m.id)).toEqual([msg.id]);
      expect((await svix.message.list(app.id, { channel: "project_1" })).data).toHaveLength(1);
      expect((await svix.message.list(app.id, { tag: "billing" })).data).toHaveLength(1);
      expect(
        (await svix.message.list(app.id, { eventTypes: ["user.created", "x.y"] })).data.map(
          (m) => m.id,
        ),
      ).toEqual([other.id]);
      expect(
        (await svix.message.list(app.id, { before: new Date(Date.now() - 3_600_000) })).data,
      ).toEqual([]);

      // The receiver gets it, signed with the endpoint's secret, as `svix` verifies it.
      const delivered = await eventually(async () =>
        receiver.requests.find((r) => r.body.includes(`"amount":5,"version":"${version}"`)),
      );
      expect(() => new Webhook(secret).verify(delivered.body, delivered.headers)).not.toThrow();
      // As Svix delivers: the raw payload, and svix-id = the id message.create answered, on
      // every endpoint; the brought-along secret verifies its endpoint's copy.
      expect(JSON.parse(delivered.body)).toEqual({ amount: 5, version });
      expect(delivered.headers["svix-id"]).toBe(msg.id);
      const brought = await eventually(async () =>
        receiver.requests.find(
          (r) => r.path === `/hook/brought-${version}` && r.body.includes(`"amount":5`),
        ),
      );
      expect(() => new Webhook(broughtSecret).verify(brought.body, brought.headers)).not.toThrow();
      expect(() => new Webhook(secret).verify(brought.body, brought.headers)).toThrow();
      expect(brought.headers["svix-id"]).toBe(msg.id);
      expect(JSON.parse(brought.body)).toEqual({ amount: 5, version });

      await svix.message.expungeContent(app.id, msg.id);
      expect((await svix.message.get(app.id, msg.id, { withContent: true })).payload).toEqual({});
    }
  });

  it("refuses a repeated eventId with 409, bad input with 422 detail[], unknown ids with 404", async () => {
    for (const [version, svix] of clients()) {
      const { app } = await appWithEndpoint(svix, `Errors ${version}`);
      await svix.message.create(app.id, { eventType: "a", payload: {}, eventId: "once" });
      const repeat = await failure(
        svix.message.create(app.id, { eventType: "a", payload: {}, eventId: "once" }),
      );
      expect(repeat).toMatchObject({ code: 409, body: { code: "conflict" } });
      // The same idempotency-key answers the first message again, and makes nothing new.
      const first = await svix.message.create(
        app.id,
        { eventType: "a", payload: { n: 1 }, eventId: "keyed" },
        { idempotencyKey: `key-${version}` },
      );
      const replayed = await svix.message.create(
        app.id,
        { eventType: "a", payload: { n: 2 }, eventId: "keyed" },
        { idempotencyKey: `key-${version}` },
      );
      expect(replayed.id).toBe(first.id);
      expect((await svix.message.get(app.id, replayed.id, { withContent: true })).payload).toEqual({
        n: 1,
      });
      expect(await db().prisma.event.count({ where: { appId: app.id, uid: "keyed" } })).toBe(1);
      const bad = await failure(
        svix.message.create(app.id, {
          eventType: "has space",
          payload: {},
          channels: ["a", "a"],
        }),
      );
      expect(bad).toMatchObject({ code: 422 });
      expect(
        (bad as { body: { detail: { loc: string[] }[] } }).body.detail.map((d) => d.loc),
      ).toEqual(
        expect.arrayContaining([
          ["body", "eventType"],
          ["body", "channels"],
        ]),
      );
      expect(await failure(svix.message.get(app.id, "msg_nope"))).toMatchObject({
        code: 404,
        body: { code: "not_found" },
      });
      expect(await failure(svix.message.list("app_nope"))).toMatchObject({ code: 404 });
      expect(await failure(svix.messageAttempt.listByMsg(app.id, "msg_nope"))).toMatchObject({
        code: 404,
      });
      expect(await failure(svix.messageAttempt.listByEndpoint(app.id, "ep_nope"))).toMatchObject({
        code: 404,
      });
    }
    const res = await fetch(`${server.url}/api/v1/app/app_x/msg?limit=0&before=yesterday`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBeLessThan(500);
  });
});

describe("Svix attempts", () => {
  it("lists attempts by endpoint and message, destinations and attempted messages; gets, expunges and resends", async () => {
    for (const [version, svix] of clients()) {
      const { app, endpoint } = await appWithEndpoint(svix, `Attempts ${version}`);
      const ok = await svix.message.create(app.id, { eventType: "a", payload: { fail: false } });
      const bad = await svix.message.create(app.id, {
        eventType: "b",
        payload: { fail: true },
        channels: ["c1"],
      });
      await attemptsOf(app, 2);

      const byEndpoint = await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, {
        withContent: true,
      });
      expect(byEndpoint.data).toHaveLength(2);
      const okAttempt = byEndpoint.data.find((a) => a.msgId === ok.id)!;
      expect(okAttempt).toMatchObject({
        endpointId: endpoint.id,
        status: 0,
        responseStatusCode: 200,
        response: "thanks",
        triggerType: 0,
        url: receiver.url,
      });
      expect(
        (await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { status: 2 })).data.map(
          (a) => a.msgId,
        ),
      ).toEqual([bad.id]);
      expect(
        (await svix.messageAttempt.listByEndpoint(app.id, endpoint.id, { channel: "c1" })).data,
      ).toHaveLength(1);
      const byMsg = await svix.messageAttempt.listByMsg(app.id, bad.id, { withContent: true });
      expect(byMsg.data).toEqual([
        expect.objectContaining({ status: 2, responseStatusCode: 500, response: "nope" }),
      ]);
      const attempt = await svix.messageAttempt.get(app.id, ok.id, okAttempt.id);
      expect(attempt.id).toBe(okAttempt.id);

      const destinations = await svix.messageAttempt.listAttemptedDestinations(app.id, bad.id);
      expect(destinations.data).toEqual([
        expect.objectContaining({ id: endpoint.id, status: 2, url: receiver.url }),
      ]);
      const attempted = await svix.messageAttempt.listAttemptedMessages(app.id, endpoint.id);
      expect(attempted.data.map((m) => [m.id, m.status])).toEqual([
        [bad.id, 2],
        [ok.id, 0],
      ]);

      await svix.messageAttempt.expungeContent(app.id, ok.id, okAttempt.id);
      expect((await svix.messageAttempt.get(app.id, ok.id, okAttempt.id)).response).toBe("");

      await svix.messageAttempt.resend(app.id, ok.id, endpoint.id);
      await attemptsOf(app, 3);
      const again = await svix.messageAttempt.listByMsg(app.id, ok.id);
      expect(again.data[0]).toMatchObject({ status: 0, triggerType: 1 });
    }
  });
});

describe("Svix replays and background tasks", () => {
  it("replay-missing and bulk-replay answer tasks that background-task get and list show", async () => {
    for (const [version, svix] of clients()) {
      const { app, endpoint } = await appWithEndpoint(svix, `Replays ${version}`);
      const since = new Date(Date.now() - 60_000);
      await svix.message.create(app.id, { eventType: "a", payload: { fail: true } });
      await attemptsOf(app, 1);
      await eventually(async () =>
        (await db().prisma.delivery.count({ where: { appId: app.id, status: "failed" } })) === 1
          ? true
          : undefined,
      );
      const task = await svix.endpoint.replayMissing(app.id, endpoint.id, { since });
      expect(task).toMatchObject({ status: "running", task: "endpoint.replay" });
      const done = await eventually(async () => {
        const t = await svix.backgroundTask.get(task.id);
        return t.status === "finished" ? t : undefined;
      });
      expect(done.data).toMatchObject({ endpointId: endpoint.id, replayed: 1 });
      await attemptsOf(app, 2);

      const bulk = await svix.endpoint.bulkReplay(app.id, endpoint.id, {
        since,
        eventTypes: ["a"],
      });
      expect(bulk.task).toBe("endpoint.bulk-replay");
      await eventually(async () =>
        (await svix.backgroundTask.get(bulk.id)).status === "finished" ? true : undefined,
      );
      const listed = await svix.backgroundTask.list({ limit: 100 });
      expect(listed.data.map((t) => t.id)).toEqual(expect.arrayContaining([task.id, bulk.id]));
      expect(await failure(svix.backgroundTask.get("qtask_nope"))).toMatchObject({ code: 404 });
      const backwards = await failure(
        svix.endpoint.replayMissing(app.id, endpoint.id, { since: new Date(), until: since }),
      );
      expect(backwards).toMatchObject({ code: 422 });
    }
  });
});

describe("Svix operational webhooks", () => {
  it("manages endpoints and secrets; a registered endpoint receives exhausted events in Svix shape, signed with its secret", async () => {
    const operator = await startReceiver();
    try {
      for (const [version, svix] of clients()) {
        const ops = svix.operationalWebhook.endpoint;
        const created = await ops.create({
          url: `${operator.url}/${version}`,
          uid: `ops-${version}`,
          eventTypes: ["message.attempt.exhausted"],
          metadata: { team: "sre" },
        });
        expect(created).toMatchObject({ uid: `ops-${version}`, disabled: false });
        expect((await ops.get(`ops-${version}`)).id).toBe(created.id);
        expect((await ops.list()).data.map((e) => e.id)).toContain(created.id);
        const upsert = "upsert" in ops ? ops.upsert.bind(ops) : ops.update.bind(ops);
        const updated = await upsert(created.id, {
          url: `${operator.url}/${version}`,
          uid: `ops-${version}`,
          eventTypes: ["message.attempt.exhausted", "endpoint.disabled"],
          description: "on call",
        });
        expect(updated).toMatchObject({ description: "on call" });
        const setHeaders =
          "setHeaders" in ops ? ops.setHeaders.bind(ops) : ops.updateHeaders.bind(ops);
        await setHeaders(created.id, {
          headers: { "X-Team": "sre", Authorization: "Bearer s3cret" },
        });
        expect(await ops.getHeaders(created.id)).toEqual({
          headers: { "X-Team": "sre" },
          sensitive: ["Authorization"],
        });
        const { key: first } = await ops.getSecret(created.id);
        expect(first).toMatch(/^whsec_/);
        await ops.rotateSecret(created.id, {});
        const { key: second } = await ops.getSecret(created.id);
        expect(second).not.toBe(first);
        const given = `whsec_${Buffer.alloc(24, 7).toString("base64")}`;
        await ops.rotateSecret(created.id, { key: given });
        expect((await ops.getSecret(created.id)).key).toBe(given);

        const { app } = await appWithEndpoint(svix, `Ops ${version}`);
        const msg = await svix.message.create(app.id, { eventType: "a", payload: { fail: true } });
        const received = await eventually(async () =>
          operator.requests.find(
            (r) => r.path.endsWith(`/${version}`) && r.body.includes("message.attempt.exhausted"),
          ),
        );
        expect(() => new Webhook(given).verify(received.body, received.headers)).not.toThrow();
        const body = JSON.parse(received.body) as { type: string; data: Record<string, unknown> };
        expect(body).toMatchObject({
          type: "message.attempt.exhausted",
          data: { appId: app.id, msgId: msg.id, lastAttempt: { responseStatusCode: 500 } },
        });
        expect(received.headers["svix-id"]).toBe(received.headers["webhook-id"]);
        expect(received.headers["x-team"]).toBe("sre");

        await ops.delete(created.id);
        expect(await failure(ops.get(created.id))).toMatchObject({ code: 404 });
      }
      const svix = clients()[0]![1] as Svix2;
      const bad = await failure(
        svix.operationalWebhook.endpoint.create({ url: "not a url", eventTypes: ["nope"] }),
      );
      expect(bad).toMatchObject({ code: 422 });
    } finally {
      await operator.close();
    }
  });
});

describe("bad input", () => {
  it("answers 4xx in Svix's error shapes on every route here, never 500", async () => {
    const svix = clients()[0]![1];
    const { app, endpoint } = await appWithEndpoint(svix, "Bad input");
    const msg = await svix.message.create(app.id, { eventType: "a", payload: {} });
    const a = `/api/v1/app/${app.id}`;
    const cases: [method: string, path: string, body?: string, status?: number][] = [
      ["POST", `${a}/msg`, "not json"],
      ["POST", `${a}/msg`, JSON.stringify({ eventType: 5, payload: "x" }), 422],
      ["POST", `${a}/msg`, JSON.stringify({ eventType: "a", payload: {}, tags: ["a b"] }), 422],
      ["POST", `${a}/msg`, JSON.stringify({ eventType: "a\u0000", payload: {} }), 422],
      ["POST", `/api/v1/app/nope/msg`, JSON.stringify({ eventType: "a", payload: {} }), 404],
      ["GET", `${a}/msg?limit=abc`, undefined, 422],
      ["GET", `${a}/msg?limit=100000`, undefined, 422],
      ["GET", `${a}/msg?iterator=garbage`, undefined, 422],
      ["GET", `${a}/msg?before=yesterday`, undefined, 422],
      ["GET", `${a}/msg?event_types=bad%20name`, undefined, 422],
      ["GET", `${a}/msg?with_content=maybe`, undefined, 422],
      ["GET", `${a}/msg/%00abc`, undefined, 422],
      ["GET", `${a}/msg/${"x".repeat(5000)}`, undefined, 422],
      ["DELETE", `${a}/msg/msg_nope/content`, undefined, 404],
      ["GET", `${a}/attempt/endpoint/${endpoint.id}?status=9`, undefined, 422],
      ["GET", `${a}/attempt/endpoint/${endpoint.id}?status_code_class=123`, undefined, 422],
      ["GET", `${a}/attempt/msg/${msg.id}?endpoint_id=ep_nope`, undefined, 404],
      ["GET", `${a}/msg/${msg.id}/attempt/atm_nope`, undefined, 404],
      ["DELETE", `${a}/msg/${msg.id}/attempt/atm_nope/content`, undefined, 404],
      ["GET", `${a}/msg/msg_nope/endpoint`, undefined, 404],
      ["GET", `${a}/endpoint/ep_nope/msg`, undefined, 404],
      ["POST", `${a}/msg/${msg.id}/endpoint/ep_nope/resend`, "{}", 404],
      ["POST", `${a}/endpoint/${endpoint.id}/replay-missing`, JSON.stringify({ since: "x" }), 422],
      [
        "POST",
        `${a}/endpoint/${endpoint.id}/bulk-replay`,
        JSON.stringify({ since: new Date().toISOString(), channel: "c" }),
        422,
      ],
      ["GET", "/api/v1/background-task?status=done", undefined, 422],
      ["GET", "/api/v1/background-task/qtask_nope", undefined, 404],
      ["POST", "/api/v1/operational-webhook/endpoint", JSON.stringify({ url: 5 }), 422],
      [
        "PUT",
        "/api/v1/operational-webhook/endpoint/ep_nope",
        JSON.stringify({ url: "http://x" }),
        404,
      ],
      ["GET", "/api/v1/operational-webhook/endpoint/ep_nope/secret", undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const res = await checked.fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
      });
      const what = `${method} ${path.slice(0, 120)} -> ${res.status}`;
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      if (status) expect(res.status, what).toBe(status);
      const json = (await res.json()) as { detail?: unknown; code?: unknown };
      if (res.status === 422) expect(Array.isArray(json.detail), what).toBe(true);
      else
        expect(json, what).toMatchObject({ code: expect.any(String), detail: expect.any(String) });
    }
    // A path parameter that cannot name anything is refused by name, with the others.
    const bad = await checked.fetch(`${server.url}/api/v1/app/%00/msg/${"x".repeat(300)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(bad.status).toBe(422);
    expect(
      ((await bad.json()) as { detail: { loc: string[] }[] }).detail.map((d) => d.loc),
    ).toEqual([
      ["path", "app_id"],
      ["path", "msg_id"],
    ]);
    // Nothing refused was written.
    expect(await db().prisma.event.count({ where: { appId: app.id } })).toBe(1);
    expect(await db().prisma.operationalWebhookEndpoint.count({ where: { url: "http://x" } })).toBe(
      0,
    );
  });
});

describe("the spec", () => {
  it("every answer above validates against Svix's response schema for its operation", () => {
    expect(checked.answers.length).toBeGreaterThan(60);
    expect(checked.answers.filter((a) => a.errors.length)).toEqual([]);
    expect(checked.answers.filter((a) => a.status >= 500)).toEqual([]);
  });
});
