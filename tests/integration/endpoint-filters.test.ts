/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Payload filters per endpoint (issue 15, part 1), through the SDK over real HTTP (the route
 * handlers served by tests/helpers/route-server.ts), the embedded driver and a real receiver on
 * 127.0.0.1: only matching events are delivered, the others are counted as `filtered` for that
 * endpoint; filters are validated (422 naming the part), updated and removed; the filter test API
 * answers from the database, on the backend and (scoped to the session's app) the frontend API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { createApiKey } from "@/lib/auth/api-keys";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { HooklineClient, HooklineError, type PayloadFilter } from "@/lib/sdk";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies } from "@/lib/sessions/portal-session";
import { createAccessTicket } from "@/lib/sessions/tickets";
import * as frontendFilterTest from "@/app/api/frontend/webhook/filters/test/route";
import * as frontendEndpoint from "@/app/api/frontend/webhook/endpoints/[id]/route";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const SLUG = "filters-app";
const OTHER = "filters-other";

let server: RouteServer;
let receiver: Receiver;
let driver: EmbeddedDriver;
let client: HooklineClient;

beforeAll(async () => {
  server = await startRouteServer();
  receiver = await startReceiver();
  const { key } = await createApiKey({ name: "filters" }, "test");
  client = new HooklineClient({ apiKey: key, baseUrl: server.url });
  await client.webhooks.createWebhookApp({ name: "Filters", slug: SLUG });
  await client.webhooks.createWebhookApp({ name: "Other", slug: OTHER });
  driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await receiver?.close();
  await server?.close();
});

/** The error of a call that must fail. */
async function failure(call: Promise<unknown>): Promise<HooklineError> {
  const err = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HooklineError);
  return err as HooklineError;
}
const fieldsOf = (err: HooklineError) =>
  (err.details as { fields: { field: string; message: string }[] }).fields;

/** Webhook ids the receiver got for a given endpoint (its URL's query names it). */
function receivedBy(tag: string): unknown[] {
  return receiver.requests
    .filter((r) => r.path.endsWith(`?ep=${tag}`))
    .map((r) => (JSON.parse(r.body) as { data: unknown }).data);
}

async function waitForRequests(count: number) {
  await receiver.waitFor(count, 20_000);
}

async function analyticsFor(endpointId: string) {
  return client.webhooks.getWebhookAnalytics(SLUG, {
    endpoint_id: endpointId,
    fields: ["filtered", "total_deliveries"],
  });
}

describe("endpoint filters at fan-out", () => {
  it("delivers only the events an endpoint's filter matches and counts the others as filtered for that endpoint", async () => {
    const w = client.webhooks;
    const paid = await w.createWebhookEndpoint(SLUG, {
      url: `${receiver.url}?ep=paid`,
      events: ["invoice.paid"],
      filter: {
        and: [
          { field: "amount", gt: 0 },
          { field: "region", in: ["eu", "uk"] },
        ],
      },
    });
    // The text form is stored and answered in the JSON form.
    const text = await w.createWebhookEndpoint(SLUG, {
      url: `${receiver.url}?ep=text`,
      events: ["invoice.paid"],
      filter: 'customer.id = "cus_1"',
    });
    const all = await w.createWebhookEndpoint(SLUG, {
      url: `${receiver.url}?ep=all`,
      events: ["invoice.paid"],
    });
    expect(paid.filter).toEqual({
      and: [
        { field: "amount", gt: 0 },
        { field: "region", in: ["eu", "uk"] },
      ],
    });
    expect(text.filter).toEqual({ field: "customer.id", eq: "cus_1" });
    expect(all.filter).toBeNull();
    expect((await w.getWebhookEndpoint(SLUG, text.id)).filter).toEqual({
      field: "customer.id",
      eq: "cus_1",
    });

    const payloads = [
      { n: 1, amount: 10, region: "eu", customer: { id: "cus_1" } }, // paid, text, all
      { n: 2, amount: 0, region: "eu", customer: { id: "cus_2" } }, // all
      { n: 3, amount: 5, region: "us", customer: { id: "cus_1" } }, // text, all
      { n: 4, amount: "12", region: "uk" }, // all (a string is not a number)
    ];
    const before = receiver.requests.length;
    for (const payload of payloads)
      await w.triggerWebhook(SLUG, { event_name: "invoice.paid", payload });
    // 1 + 2 + 4 deliveries.
    await waitForRequests(before + 7);
    expect(receivedBy("paid").map((d: any) => d.n)).toEqual([1]);
    expect(
      receivedBy("text")
        .map((d: any) => d.n)
        .sort(),
    ).toEqual([1, 3]);
    expect(
      receivedBy("all")
        .map((d: any) => d.n)
        .sort(),
    ).toEqual([1, 2, 3, 4]);

    expect(await analyticsFor(paid.id)).toEqual({ filtered: 3, total_deliveries: 1 });
    expect(await analyticsFor(text.id)).toEqual({ filtered: 2, total_deliveries: 2 });
    expect(await analyticsFor(all.id)).toEqual({ filtered: 0, total_deliveries: 4 });
    const series = await w.getWebhookTimeseries(SLUG, { interval: "hour", endpoint_id: paid.id });
    expect(series.timeseries.reduce((sum, p) => sum + (p.filtered ?? 0), 0)).toBe(3);
    const stats = await w.getWebhookStats(SLUG);
    expect(stats.last_24h.filtered).toBe(5);
    // Filtered events made no delivery rows either.
    expect(await db().prisma.delivery.count({ where: { endpointId: paid.id } })).toBe(1);
  });

  it("updates and removes a filter; fan-out follows the current one", async () => {
    const w = client.webhooks;
    const ep = await w.createWebhookEndpoint(SLUG, {
      url: `${receiver.url}?ep=upd`,
      events: ["order.created"],
      filter: "total >= 100",
    });
    const changed = await w.updateWebhookEndpoint(SLUG, ep.id, {
      filter: { field: "total", lt: 100 },
    });
    expect(changed.filter).toEqual({ field: "total", lt: 100 });
    // Other updates leave the filter alone.
    expect((await w.updateWebhookEndpoint(SLUG, ep.id, { description: "orders" })).filter).toEqual({
      field: "total",
      lt: 100,
    });
    const before = receiver.requests.length;
    await w.triggerWebhook(SLUG, { event_name: "order.created", payload: { total: 150 } });
    await w.triggerWebhook(SLUG, { event_name: "order.created", payload: { total: 50 } });
    await waitForRequests(before + 1);
    expect(await analyticsFor(ep.id)).toEqual({ filtered: 1, total_deliveries: 1 });

    const removed = await w.updateWebhookEndpoint(SLUG, ep.id, { filter: null });
    expect(removed.filter).toBeNull();
    const row = await db().pool.query<{ filter: unknown; filter_path: string | null }>(
      "SELECT filter, filter_path::text FROM endpoints WHERE id = $1",
      [ep.id],
    );
    expect(row.rows[0]).toEqual({ filter: null, filter_path: null });
    await w.triggerWebhook(SLUG, { event_name: "order.created", payload: { total: 150 } });
    await waitForRequests(before + 2);
    expect(receivedBy("upd").map((d: any) => d.total)).toEqual([50, 150]);
  });

  it("keeps the two columns together: the compiled predicate is written with the filter only", async () => {
    const ep = await client.webhooks.createWebhookEndpoint(SLUG, {
      url: `${receiver.url}?ep=cols`,
      filter: "a = 1",
    });
    const { rows } = await db().pool.query<{ filter_path: string }>(
      "SELECT filter_path::text FROM endpoints WHERE id = $1",
      [ep.id],
    );
    expect(rows[0]!.filter_path).toBe('($."a" == 1)');
    await expect(
      db().pool.query("UPDATE endpoints SET filter_path = NULL WHERE id = $1", [ep.id]),
    ).rejects.toThrow(/endpoints_filter_path_with_filter/);
  });
});

describe("filter validation", () => {
  it("refuses a broken JSON filter with 422 naming the part, and writes nothing", async () => {
    const w = client.webhooks;
    const before = await db().prisma.endpoint.count();
    const cases: [unknown, string, RegExp][] = [
      [
        {
          and: [
            { field: "a", eq: 1 },
            { field: "b", gt: true },
          ],
        },
        "filter.and[1].gt",
        /number or a string/,
      ],
      [{ field: "a" }, "filter", /needs one operator/],
      [{ field: "a..b", eq: 1 }, "filter.field", /character/],
      [{ field: "a", eq: 1, ne: 2 }, "filter", /2 operators/],
      [{ or: [] }, "filter.or", /at least one/],
      [42, "filter", /filter/],
    ];
    for (const [filter, field, message] of cases) {
      const err = await failure(
        w.createWebhookEndpoint(SLUG, {
          url: "https://x.example.com/h",
          filter: filter as PayloadFilter,
        }),
      );
      expect(err.status, JSON.stringify(filter)).toBe(422);
      const named = fieldsOf(err).find((f) => f.field === field);
      expect(named, `${JSON.stringify(filter)}: ${JSON.stringify(fieldsOf(err))}`).toBeDefined();
      expect(named!.message).toMatch(message);
    }
    // Too deep: 7 nested nots.
    let deep: PayloadFilter = { field: "a", eq: 1 };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    const tooDeep = await failure(
      w.createWebhookEndpoint(SLUG, { url: "https://x.example.com/h", filter: deep }),
    );
    expect(
      fieldsOf(tooDeep)
        .map((f) => f.message)
        .join(" "),
    ).toMatch(/deep/);
    expect(await db().prisma.endpoint.count()).toBe(before);
  });

  it("refuses broken text with 422 on `filter` and the character position", async () => {
    const err = await failure(
      client.webhooks.createWebhookEndpoint(SLUG, {
        url: "https://x.example.com/h",
        filter: "amount > 0 and region =",
      }),
    );
    expect(err.status).toBe(422);
    expect(fieldsOf(err)).toEqual([
      { field: "filter", message: expect.stringMatching(/at character \d+/) },
    ]);
  });

  it("refuses text whose escapes spell what the database cannot hold, naming `filter` (not a database error)", async () => {
    const w = client.webhooks;
    for (const filter of [
      'a = "\\u0000"',
      'a in ["\\ud800"]',
      'a["k\\u0000"] = 1',
      `a = "${"x".repeat(1_025)}"`,
    ]) {
      const created = await failure(
        w.createWebhookEndpoint(SLUG, { url: "https://x.example.com/h", filter }),
      );
      expect(created.status, filter).toBe(422);
      expect(
        fieldsOf(created).map((f) => f.field),
        filter,
      ).toEqual(["filter"]);
      const tested = await failure(w.testWebhookFilter(SLUG, { filter, payload: {} }));
      expect(tested.status, filter).toBe(422);
      expect(
        fieldsOf(tested).map((f) => f.field),
        filter,
      ).toEqual(["filter"]);
    }
  });

  it("leaves an endpoint unchanged when an update's filter is broken", async () => {
    const ep = await client.webhooks.createWebhookEndpoint(SLUG, {
      url: "https://x.example.com/keep",
      filter: "a = 1",
    });
    const err = await failure(
      client.webhooks.updateWebhookEndpoint(SLUG, ep.id, { description: "new", filter: "a = " }),
    );
    expect(err.status).toBe(422);
    const after = await client.webhooks.getWebhookEndpoint(SLUG, ep.id);
    expect(after).toMatchObject({ description: null, filter: { field: "a", eq: 1 } });
  });
});

describe("POST /apps/{slug}/filters/test", () => {
  beforeAll(async () => {
    await client.webhooks.createEventType(SLUG, {
      name: "invoice.refunded",
      description: "x",
      example: { amount: 20, region: "eu" },
    });
    await client.webhooks.createEventType(SLUG, {
      name: "invoice.voided",
      description: "no example",
    });
    await client.webhooks.createEventType(OTHER, {
      name: "other.secret",
      description: "x",
      example: { amount: 1 },
    });
  });

  it("evaluates a given payload, in JSON or text form, and answers the JSON form", async () => {
    const w = client.webhooks;
    expect(
      await w.testWebhookFilter(SLUG, { filter: "amount > 10", payload: { amount: 11 } }),
    ).toEqual({
      matches: true,
      filter: { field: "amount", gt: 10 },
      payload: { amount: 11 },
    });
    expect(
      (
        await w.testWebhookFilter(SLUG, {
          filter: { field: "amount", gt: 10 },
          payload: { amount: 9 },
        })
      ).matches,
    ).toBe(false);
    // The database's semantics: a type mismatch does not match, and its negation does.
    expect(
      (await w.testWebhookFilter(SLUG, { filter: "amount > 10", payload: { amount: "99" } }))
        .matches,
    ).toBe(false);
    expect(
      (await w.testWebhookFilter(SLUG, { filter: "not (amount > 10)", payload: { amount: "99" } }))
        .matches,
    ).toBe(true);
  });

  it("evaluates the catalog example of an event type; 404 for an unknown one, 422 without an example", async () => {
    const w = client.webhooks;
    expect(
      await w.testWebhookFilter(SLUG, { filter: 'region = "eu"', event_type: "invoice.refunded" }),
    ).toMatchObject({
      matches: true,
      payload: { amount: 20, region: "eu" },
    });
    expect(
      (await w.testWebhookFilter(SLUG, { filter: "amount > 20", event_type: "invoice.refunded" }))
        .matches,
    ).toBe(false);
    expect(
      (await failure(w.testWebhookFilter(SLUG, { filter: "a = 1", event_type: "invoice.unknown" })))
        .status,
    ).toBe(404);
    // Another app's event type is unknown here.
    expect(
      (await failure(w.testWebhookFilter(SLUG, { filter: "a = 1", event_type: "other.secret" })))
        .status,
    ).toBe(404);
    const noExample = await failure(
      w.testWebhookFilter(SLUG, { filter: "a = 1", event_type: "invoice.voided" }),
    );
    expect(noExample.status).toBe(422);
    expect(fieldsOf(noExample)[0]!.field).toBe("event_type");
  });

  it("refuses a broken filter or a request with neither or both of payload and event_type", async () => {
    const w = client.webhooks;
    const broken = await failure(w.testWebhookFilter(SLUG, { filter: "amount >", payload: {} }));
    expect(broken.status).toBe(422);
    expect(fieldsOf(broken)[0]!.field).toBe("filter");
    expect(fieldsOf(await failure(w.testWebhookFilter(SLUG, { filter: "a = 1" })))[0]!.field).toBe(
      "payload",
    );
    expect(
      (
        await failure(
          w.testWebhookFilter(SLUG, {
            filter: "a = 1",
            payload: {},
            event_type: "invoice.refunded",
          }),
        )
      ).status,
    ).toBe(422);
  });

  it("on the frontend API: the session's app only, CSRF enforced", async () => {
    const { ticket } = await createAccessTicket(
      { ticket_type: "webhook_app_access", webhook_app_slug: SLUG, expires_in: 120 },
      "test",
    );
    const { session } = await exchangeTicket(ticket);
    const cookie = (await sessionCookies(session, new Request("http://hookline.test/")))
      .map((c) => c.split(";")[0])
      .join("; ");
    const call = (body: unknown, csrf = session.csrf) =>
      callRoute(frontendFilterTest.POST, {
        method: "POST",
        path: "/api/frontend/webhook/filters/test",
        headers: { cookie, "x-csrf-token": csrf },
        body,
      });
    const ok = await call({ filter: "amount >= 20", event_type: "invoice.refunded" });
    expect(ok.status).toBe(200);
    expect(ok.body.matches).toBe(true);
    expect((await call({ filter: "amount >= 1", event_type: "other.secret" })).status).toBe(404);
    expect((await call({ filter: "a = 1", payload: {} }, "wrong")).status).toBe(403);
    // And the frontend API's endpoint update takes a filter like the backend's.
    const ep = await client.webhooks.createWebhookEndpoint(SLUG, {
      url: "https://x.example.com/fe",
    });
    const patched = await callRoute(frontendEndpoint.PATCH, {
      method: "PATCH",
      path: `/api/frontend/webhook/endpoints/${ep.id}`,
      params: { id: ep.id },
      headers: { cookie, "x-csrf-token": session.csrf },
      body: { filter: 'tier starts with "gold"' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.filter).toEqual({ field: "tier", starts_with: "gold" });
  });
});
