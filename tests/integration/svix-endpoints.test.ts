import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Svix as Svix2, Webhook } from "svix";
import { Svix as Svix1 } from "svix-v1";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { checkingFetch } from "../helpers/svix-spec";
import { createApiKey } from "@/lib/auth/api-keys";
import { getDb } from "@/lib/db/client";
import { listEventTypes } from "@/lib/event-types/list-event-types";

process.env.HOOKLINE_LOG_LEVEL = "error";

// A typical integration with the official clients (2.x and 1.x), unchanged but for serverUrl;
// every answer is checked against Svix's spec by the fetch they are given.
useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
let server: RouteServer;
let receiver: Receiver;
/** The receiver's origin: endpoints add their own paths. */
let origin: string;
let key: string;
const checked = checkingFetch();
const SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";

beforeAll(async () => {
  server = await startRouteServer();
  receiver = await startReceiver();
  origin = new URL(receiver.url).origin;
  ({ key } = await createApiKey({ name: "svix" }, "test"));
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

const clients = () =>
  [
    ["2.x", new Svix2(key, { serverUrl: server.url, fetch: checked.fetch })],
    ["1.x", new Svix1(key, { serverUrl: server.url, fetch: checked.fetch })],
  ] as const;

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as { code: number; body: Record<string, unknown> },
  );

describe("Svix event types", () => {
  it("keeps an environment-wide catalog: create, get, list, update, patch, archive, expunge", async () => {
    for (const [version, svix] of clients()) {
      const name = `invoice.paid_${version.replace(".", "")}`;
      const schemas = {
        "1": {
          type: "object",
          properties: { amount: { type: "integer" } },
          examples: [{ amount: 42 }],
        },
      };
      const created = await svix.eventType.create({
        name,
        description: "An invoice was paid",
        schemas,
        groupName: "billing",
      });
      expect(created).toMatchObject({ name, deprecated: false, archived: false, schemas });
      expect((await svix.eventType.get(name)).groupName).toBe("billing");
      const list = await svix.eventType.list({ withContent: true });
      expect(list.data.find((t) => t.name === name)?.schemas).toEqual(schemas);
      expect(await svix.eventType.patch(name, { deprecated: true })).toMatchObject({
        deprecated: true,
        description: "An invoice was paid",
      });
      // 2.x calls PUT "upsert", 1.x "update": both replace the fields.
      const put =
        "upsert" in svix.eventType
          ? await svix.eventType.upsert(name, { description: "Paid" })
          : await (
              svix.eventType as unknown as {
                update(n: string, b: object): Promise<{ description: string; deprecated: boolean }>;
              }
            ).update(name, { description: "Paid" });
      expect(put).toMatchObject({ description: "Paid", deprecated: false });
      await svix.eventType.delete(name);
      expect((await svix.eventType.get(name)).archived).toBe(true);
      expect((await svix.eventType.list()).data.map((t) => t.name)).not.toContain(name);
      await svix.eventType.delete(name, { expunge: true });
      expect(await errorOf(svix.eventType.get(name))).toMatchObject({ code: 404 });
    }
  });

  it("answers a duplicate with 409 and a bad name with 422 naming it", async () => {
    const [, svix] = clients()[0];
    await svix.eventType.create({ name: "user.signup", description: "x" });
    expect(
      await errorOf(svix.eventType.create({ name: "user.signup", description: "y" })),
    ).toMatchObject({
      code: 409,
      body: { code: "conflict" },
    });
    const bad = await errorOf(svix.eventType.create({ name: "bad name!", description: "" }));
    expect(bad?.code).toBe(422);
    expect(bad?.body.detail).toEqual([expect.objectContaining({ loc: ["body", "name"] })]);
  });
});

describe("the environment-wide catalog and the apps' catalogs", () => {
  it("shows environment types in every app's catalog, and subscriptions to them add nothing per app", async () => {
    const svix = new Svix2(key, { serverUrl: server.url, fetch: checked.fetch });
    await svix.eventType.create({ name: "plan.changed", description: "Plan changed" });
    const app = await svix.application.create({ name: "Catalog reader" });
    await svix.endpoint.create(app.id, {
      url: `${origin}/plans`,
      eventTypes: ["plan.changed", "plan.cancelled"],
    });
    const own = await getDb().prisma.eventType.findMany({ where: { appId: app.id } });
    expect(own.map((t) => t.name)).toEqual(["plan.cancelled"]);
    const seen = await listEventTypes({ id: app.id }, { limit: 100 });
    expect(seen.data.map((t) => t.name)).toEqual(
      expect.arrayContaining(["plan.changed", "plan.cancelled"]),
    );
    const other = await listEventTypes({ id: "app_other" }, { limit: 100 });
    expect(other.data.map((t) => t.name)).toContain("plan.changed");
    expect(other.data.map((t) => t.name)).not.toContain("plan.cancelled");
  });
});

describe("Svix endpoints", () => {
  it("runs the endpoint lifecycle with both clients, by id and by uid", async () => {
    for (const [version, svix] of clients()) {
      const app = await svix.application.create({
        name: `Shop ${version}`,
        uid: `shop-${version}`,
      });
      const v2 = version === "2.x";
      const created = await svix.endpoint.create(app.uid!, {
        url: `${origin}/hook`,
        uid: "primary",
        description: "Primary",
        secret: SECRET,
        metadata: { team: "payments" },
        channels: ["eu"],
        ...(v2
          ? { eventTypes: ["user.signup"], throttleRate: 50 }
          : { filterTypes: ["user.signup"], rateLimit: 50 }),
      } as never);
      expect(created).toMatchObject({
        uid: "primary",
        url: `${origin}/hook`,
        description: "Primary",
        metadata: { team: "payments" },
        channels: ["eu"],
        disabled: false,
        ...(v2
          ? { eventTypes: ["user.signup"], throttleRate: 50 }
          : { filterTypes: ["user.signup"], rateLimit: 50 }),
      });
      if (!v2) expect(created).toMatchObject({ version: 1 }); // 2.x's model leaves it out
      expect((await svix.endpoint.get(app.id, "primary")).id).toBe(created.id);
      expect((await svix.endpoint.getSecret(app.uid!, created.id)).key).toBe(SECRET);
      const list = await svix.endpoint.list(app.id);
      expect(list).toMatchObject({ done: true });
      expect(list.data.map((e) => e.id)).toEqual([created.id]);

      const patched = await svix.endpoint.patch(app.id, "primary", {
        disabled: true,
        description: "Paused",
      });
      expect(patched).toMatchObject({ disabled: true, description: "Paused", uid: "primary" });
      const putBody = { url: `${origin}/v2`, description: "Replaced" };
      const replaced = v2
        ? await (svix as Svix2).endpoint.upsert(app.id, created.id, putBody)
        : await (svix as Svix1).endpoint.update(app.id, created.id, putBody);
      // PUT replaces: unsent fields go back to their defaults.
      expect(replaced).toMatchObject({
        url: `${origin}/v2`,
        disabled: false,
        uid: null,
        channels: null,
      });
      const subscribed = replaced as { eventTypes?: unknown; filterTypes?: unknown };
      expect(v2 ? subscribed.eventTypes : subscribed.filterTypes).toBeNull();

      const headersApi = svix.endpoint as unknown as {
        updateHeaders?: (a: string, e: string, b: object) => Promise<void>;
        setHeaders?: (a: string, e: string, b: object) => Promise<void>;
      };
      await (headersApi.setHeaders ?? headersApi.updateHeaders)!.call(
        svix.endpoint,
        app.id,
        created.id,
        {
          headers: { "X-Tenant": "t1", Authorization: "Bearer abcdefghijklmnopqrstu" },
        },
      );
      await svix.endpoint.patchHeaders(app.id, created.id, {
        headers: { "X-Region": "eu" },
        deleteHeaders: ["X-Tenant"],
      } as never);
      expect(await svix.endpoint.getHeaders(app.id, created.id)).toEqual({
        headers: { "X-Region": "eu" },
        sensitive: ["Authorization"],
      });

      const rotated = "whsec_" + Buffer.alloc(32, 7).toString("base64");
      await svix.endpoint.rotateSecret(app.id, created.id, { key: rotated });
      expect((await svix.endpoint.getSecret(app.id, created.id)).key).toBe(rotated);

      const stats = await svix.endpoint.getStats(app.id, created.id);
      expect(stats).toEqual({ success: 0, pending: 0, sending: 0, fail: 0, canceled: 0 });
      const recovered = await svix.endpoint.recover(app.id, created.id, {
        since: new Date(Date.now() - 3600_000),
      });
      expect(recovered).toMatchObject({ status: "running", task: "endpoint.recover" });

      await svix.endpoint.delete(app.id, created.id);
      expect(await errorOf(svix.endpoint.get(app.id, created.id))).toMatchObject({
        code: 404,
        body: { code: "not_found" },
      });
    }
  });

  it("sends an event type's example, signed with the endpoint's secret", async () => {
    const svix = new Svix2(key, { serverUrl: server.url, fetch: checked.fetch });
    await svix.eventType.create({
      name: "order.created",
      description: "An order",
      schemas: { "1": { type: "object", examples: [{ order: "o_1" }] } },
    });
    const app = await svix.application.create({ name: "Orders" });
    const ep = await svix.endpoint.create(app.id, {
      url: `${origin}/orders`,
      secret: SECRET,
    });
    const before = receiver.requests.length;
    const msg = await svix.endpoint.sendExample(app.id, ep.id, { eventType: "order.created" });
    expect(msg).toMatchObject({ eventType: "order.created", payload: { order: "o_1" } });
    await receiver.waitFor(before + 1);
    const delivered = receiver.requests[before]!;
    expect(delivered.path).toBe("/orders");
    // Throws unless the signature verifies with the secret the endpoint was created with.
    expect(() => new Webhook(SECRET).verify(delivered.body, delivered.headers)).not.toThrow();
    expect(() =>
      new Webhook(SECRET.replace("C2F", "D2F")).verify(delivered.body, delivered.headers),
    ).toThrow();
    expect(delivered.body).toContain("o_1");
  });

  it("refuses bad input as Svix does: 422 detail[], 404, never 500", async () => {
    const svix = new Svix2(key, { serverUrl: server.url, fetch: checked.fetch });
    const app = await svix.application.create({ name: "Strict", uid: "strict" });
    const bad = await errorOf(
      svix.endpoint.create(app.id, {
        url: "",
        secret: "short",
        throttleRate: -1,
        uid: "a b",
      } as never),
    );
    expect(bad?.code).toBe(422);
    const locs = (bad?.body.detail as { loc: unknown[] }[]).map((d) => d.loc);
    expect(locs).toEqual(
      expect.arrayContaining([
        ["body", "url"],
        ["body", "secret"],
        ["body", "throttleRate"],
        ["body", "uid"],
      ]),
    );
    const privateUrl = await errorOf(svix.endpoint.create(app.id, { url: "ftp://example.com/x" }));
    expect(privateUrl).toMatchObject({
      code: 422,
      body: { detail: [expect.objectContaining({ loc: ["body", "url"] })] },
    });
    expect(await errorOf(svix.endpoint.get(app.id, "nope"))).toMatchObject({ code: 404 });
    expect(await errorOf(svix.endpoint.get("no-such-app", "nope"))).toMatchObject({ code: 404 });
    const raw = await fetch(`${server.url}/api/v1/app/${app.id}/endpoint`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(422);
    expect(await raw.json()).toMatchObject({
      detail: [expect.objectContaining({ loc: ["body"] })],
    });
    const unauth = await fetch(`${server.url}/api/v1/app`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(unauth.status).toBe(401);
    expect(await unauth.json()).toEqual({
      code: "authentication_failed",
      detail: expect.any(String),
    });
    const wrongMethod = await fetch(`${server.url}/api/v1/health`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    const unknown = await fetch(`${server.url}/api/v1/app/${app.id}/nothing-here`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "not_found" });
  });

  it("keeps endpoints apart per app: another app's endpoint is a 404, uids are per app", async () => {
    const svix = new Svix2(key, { serverUrl: server.url, fetch: checked.fetch });
    const a = await svix.application.create({ name: "A" });
    const b = await svix.application.create({ name: "B" });
    const epA = await svix.endpoint.create(a.id, { url: `${origin}/a`, uid: "main" });
    const epB = await svix.endpoint.create(b.id, { url: `${origin}/b`, uid: "main" });
    expect((await svix.endpoint.get(a.id, "main")).id).toBe(epA.id);
    expect((await svix.endpoint.get(b.id, "main")).id).toBe(epB.id);
    expect(await errorOf(svix.endpoint.get(b.id, epA.id))).toMatchObject({ code: 404 });
    expect(await errorOf(svix.endpoint.delete(b.id, epA.id))).toMatchObject({ code: 404 });
    expect(
      await errorOf(svix.endpoint.create(a.id, { url: `${origin}/c`, uid: "main" })),
    ).toMatchObject({
      code: 409,
    });
  });

  it("answers a repeated idempotency-key with the first answer, without running again", async () => {
    const svix = new Svix2(key, { serverUrl: server.url, fetch: checked.fetch });
    const first = await svix.application.create(
      { name: "Once" },
      { idempotencyKey: "create-once" },
    );
    const again = await svix.application.create(
      { name: "Twice?" },
      { idempotencyKey: "create-once" },
    );
    expect(again).toEqual(first);
    const count = await getDb().prisma.app.count({ where: { name: { in: ["Once", "Twice?"] } } });
    expect(count).toBe(1);
    // Another key runs again; a failed first attempt is not kept.
    const other = await svix.application.create(
      { name: "Once" },
      { idempotencyKey: "create-other" },
    );
    expect(other.id).not.toBe(first.id);
    expect(
      await errorOf(svix.application.create({ name: "" }, { idempotencyKey: "fix-me" })),
    ).toMatchObject({ code: 422 });
    expect(
      (await svix.application.create({ name: "Fixed" }, { idempotencyKey: "fix-me" })).name,
    ).toBe("Fixed");
  });
});

describe("Svix auth", () => {
  it("logs out (204) and expires every portal session of an app (204)", async () => {
    for (const [, svix] of clients()) {
      const app = await svix.application.create({ name: "Sessions" });
      await svix.authentication.logout();
      await svix.authentication.expireAll(app.id, {});
      const row = await getDb().prisma.app.findUniqueOrThrow({ where: { id: app.id } });
      expect(row.portalSessionsRevokedAt).not.toBeNull();
      expect(await errorOf(svix.authentication.expireAll("missing-app", {}))).toMatchObject({
        code: 404,
      });
    }
  });
});

describe("every answer", () => {
  it("matched the response schema of its operation in Svix's spec", () => {
    expect(checked.answers.length).toBeGreaterThan(60);
    expect(checked.answers.filter((a) => a.errors.length)).toEqual([]);
    expect(checked.answers.filter((a) => a.status >= 500)).toEqual([]);
  });
});
