/**
 * Finding any event in the delivery log: `event_id`, `idempotency_key` and `payload` (the filter
 * language's text form), alone and combined with the other filters, paged by cursor, refused
 * with 400 naming `payload` when the text is wrong, inside the app (backend and frontend API),
 * and blind to expired payloads. Events go in through the trigger route and the real fan-out;
 * what each search should find is worked out here from the payloads we sent.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallResult } from "../helpers/http";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { MATCHING_EVENTS_LIMIT } from "@/lib/delivery-log/select-delivery-page";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { purgeExpiredPayloads } from "@/lib/retention/purge-expired-payloads";
import * as listRoute from "@/app/api/v1/apps/[slug]/deliveries/route";
import * as frontendListRoute from "@/app/api/frontend/webhook/deliveries/route";
import * as eventsRoute from "@/app/api/v1/apps/[slug]/events/route";
import * as ticketsRoute from "@/app/api/v1/session/tickets/route";
import * as exchangeRoute from "@/app/api/session/ticket/exchange/route";

const db = useTestDatabase();
const EVENTS = 30;
const REGIONS = ["eu", "us", "uk"];
const BASE = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000);

interface Sent {
  index: number;
  eventId: string;
  name: string;
  idempotencyKey: string;
  payload: Record<string, unknown>;
}

let key: string;
let app: App;
let other: App;
let endpointIds: string[];
let sent: Sent[];
let otherSent: Sent[];

function payloadOf(i: number): Record<string, unknown> {
  return {
    customer: { id: `cus_${i % 5}`, email: `c${i % 5}@example.com` },
    amount: i * 10,
    region: REGIONS[i % 3],
    tags: i % 4 === 0 ? ["vip", "new"] : ["new"],
    items: [{ sku: `sku-${i % 3}`, quantity: 1 + (i % 2) }, { sku: "shipping" }],
    ...(i % 6 === 0 && { coupon: null }),
    livemode: i % 2 === 0,
  };
}

async function trigger(target: App, i: number, keyPrefix: string): Promise<Sent> {
  const name = i % 2 === 0 ? "invoice.paid" : "invoice.failed";
  const idempotencyKey = `${keyPrefix}-order-${i}`;
  const payload = payloadOf(i);
  // Half by the Idempotency-Key header, half by the body's event_id (which doubles as the key).
  const byHeader = i % 2 === 0;
  const res = await callRoute(eventsRoute.POST, {
    method: "POST",
    path: `/api/v1/apps/${target.slug}/events`,
    apiKey: key,
    params: { slug: target.slug },
    headers: byHeader ? { "idempotency-key": idempotencyKey } : {},
    body: { event_name: name, payload, ...(!byHeader && { event_id: idempotencyKey }) },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return { index: i, eventId: res.body.event_id, name, idempotencyKey, payload };
}

function list(query: string, slug = app.slug): Promise<CallResult> {
  return callRoute(listRoute.GET, {
    path: `/api/v1/apps/${slug}/deliveries?${query}`,
    apiKey: key,
    params: { slug },
  });
}

const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Every page by cursor (bounded), checking each page's shape. */
async function walk(
  query: string,
  call: (query: string) => Promise<CallResult> = list,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const res: CallResult = await call(
      `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    seen.push(...res.body.data.map((d: { id: string }) => d.id));
    cursor = res.body.next_cursor;
    if (!cursor) return seen;
  }
  throw new Error("too many pages");
}

/** The app's deliveries of these events (and matching `where`), newest first. */
async function deliveriesOf(
  events: Sent[],
  where = "",
  params: unknown[] = [],
  appId = app.id,
): Promise<string[]> {
  const { rows } = await db().pool.query<{ id: string }>(
    `SELECT id FROM deliveries WHERE app_id = $1 AND event_id = ANY($2) ${where} ORDER BY created_at DESC, id DESC`,
    [appId, events.map((e) => e.eventId), ...params],
  );
  return rows.map((r) => r.id);
}

const where = (test: (p: Record<string, unknown>, s: Sent) => boolean) =>
  sent.filter((s) => test(s.payload, s));

beforeAll(async () => {
  key = (await createApiKey({ name: "search" }, "test")).key;
  app = await createTestApp("search-app");
  other = await createTestApp("search-other");
  endpointIds = [];
  for (let i = 0; i < 2; i++)
    endpointIds.push(
      (await createTestEndpoint(app, { url: `https://r${i}.example.com/hook` })).endpoint.id,
    );
  await createTestEndpoint(other, { url: "https://other.example.com/hook" });
  sent = [];
  for (let i = 0; i < EVENTS; i++) sent.push(await trigger(app, i, "a"));
  // The other app sends the same payloads and keys: none of it may ever show in this app's searches.
  otherSent = [];
  for (let i = 0; i < 6; i++) otherSent.push(await trigger(other, i, "a"));
  await fanOutNow();
  // Spread the log over time (event i, i minutes before BASE) and give it some failures, so the
  // date and status filters have something to tell apart. An event and its deliveries keep one
  // `created_at`, as fan-out writes them (the payload search's windows rely on it).
  for (const s of [...sent, ...otherSent]) {
    const at = new Date(BASE.getTime() - s.index * 60_000);
    await db().pool.query("UPDATE events SET created_at = $2 WHERE id = $1", [s.eventId, at]);
    await db().pool.query("UPDATE deliveries SET created_at = $2 WHERE event_id = $1", [
      s.eventId,
      at,
    ]);
  }
  await db().pool.query(
    "UPDATE deliveries SET status = 'failed', last_status_code = 500 WHERE endpoint_id = $1 AND event_id = ANY($2)",
    [endpointIds[1], sent.filter((s) => s.index % 3 !== 2).map((s) => s.eventId)],
  );
  const { rows } = await db().pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM deliveries WHERE app_id = $1",
    [app.id],
  );
  expect(rows[0]!.n).toBe(EVENTS * 2);
});

describe("GET /apps/{slug}/deliveries: each search alone", () => {
  it("payload: a customer's deliveries, exactly and newest first", async () => {
    const expected = await deliveriesOf(
      where((p) => (p.customer as { id: string }).id === "cus_1"),
    );
    expect(expected).toHaveLength(12);
    expect(await walk(q({ payload: 'customer.id = "cus_1"' }))).toEqual(expected);
  });

  it("event_id: the event's deliveries (one per endpoint)", async () => {
    const target = sent[7]!;
    const res = await list(q({ event_id: target.eventId }));
    expect(res.status).toBe(200);
    expect(res.body.data.map((d: { id: string }) => d.id)).toEqual(await deliveriesOf([target]));
    expect(res.body.data).toHaveLength(2);
    expect(res.body.data.every((d: { event_id: string }) => d.event_id === target.eventId)).toBe(
      true,
    );
    expect((await list(q({ event_id: "msg_nope" }))).body.data).toEqual([]);
  });

  it("idempotency_key: by the Idempotency-Key header or the trigger's event_id", async () => {
    for (const target of [sent[4]!, sent[5]!]) {
      const res = await list(q({ idempotency_key: target.idempotencyKey }));
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual(await deliveriesOf([target]));
      expect(res.body.data).toHaveLength(2);
    }
    expect((await list(q({ idempotency_key: "a-order-999" }))).body.data).toEqual([]);
  });
});

describe("combined with the other filters", () => {
  it("payload AND status / event_name / endpoint_id / http_status / dates / event_id / idempotency_key", async () => {
    const eu = where((p) => p.region === "eu");
    const start = new Date(BASE.getTime() - 20 * 60_000).toISOString();
    const end = new Date(BASE.getTime() - 5 * 60_000).toISOString();
    const cases: [Record<string, string>, Promise<string[]>][] = [
      [{ payload: 'region = "eu"', status: "failed" }, deliveriesOf(eu, "AND status = 'failed'")],
      [
        { payload: 'region = "eu"', event_name: "invoice.failed" },
        deliveriesOf(eu, "AND event_name = 'invoice.failed'"),
      ],
      [
        { payload: 'region = "eu"', endpoint_id: endpointIds[0]! },
        deliveriesOf(eu, "AND endpoint_id = $3", [endpointIds[0]]),
      ],
      [
        { payload: 'region = "eu"', http_status: "5xx" },
        deliveriesOf(eu, "AND last_status_code BETWEEN 500 AND 599"),
      ],
      [
        { payload: 'region = "eu"', start_date: start, end_date: end },
        deliveriesOf(eu, "AND created_at >= $3 AND created_at <= $4", [start, end]),
      ],
      [
        { payload: "amount >= 100", status: "failed", event_name: "invoice.paid" },
        deliveriesOf(
          where((p) => (p.amount as number) >= 100),
          "AND status = 'failed' AND event_name = 'invoice.paid'",
        ),
      ],
      // an event search narrows to its event; a payload it does not match leaves nothing
      [{ event_id: sent[3]!.eventId, payload: 'region = "eu"' }, deliveriesOf([sent[3]!])],
      [{ event_id: sent[4]!.eventId, payload: 'region = "eu"' }, Promise.resolve([])],
      [
        { idempotency_key: sent[6]!.idempotencyKey, endpoint_id: endpointIds[1]! },
        deliveriesOf([sent[6]!], "AND endpoint_id = $3", [endpointIds[1]]),
      ],
      [
        { event_id: sent[6]!.eventId, idempotency_key: sent[7]!.idempotencyKey },
        Promise.resolve([]),
      ],
    ];
    for (const [params, expectedPromise] of cases) {
      const expected = await expectedPromise;
      const query = q(params);
      expect(await walk(`limit=4&${query}`), query).toEqual(expected);
    }
    // the cases are not vacuous
    expect((await deliveriesOf(eu, "AND status = 'failed'")).length).toBeGreaterThan(0);
  });

  it("pages a payload search by cursor: all of it once, in order, and the cursor is bound to the search", async () => {
    const expected = await deliveriesOf(where((p) => p.livemode === true));
    expect(expected).toHaveLength(30);
    const seen = await walk(q({ payload: "livemode = true", limit: "7" }));
    expect(seen).toEqual(expected);
    const first = await list(q({ payload: "livemode = true", limit: "7" }));
    const cursor = first.body.next_cursor as string;
    const otherSearch = await list(
      `${q({ payload: "livemode = false", limit: "7" })}&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(otherSearch.status).toBe(400);
    expect(otherSearch.body.error.details.fields[0].field).toBe("cursor");
    // the same condition written differently is the same search
    const respelled = await list(
      `${q({ payload: "(livemode == true)", limit: "7" })}&cursor=${encodeURIComponent(cursor)}`,
    );
    expect(respelled.status).toBe(200);
    expect(respelled.body.data.map((d: { id: string }) => d.id)).toEqual(expected.slice(7, 14));
    // by offset too
    const offset = await list(q({ payload: "livemode = true", limit: "5", offset: "10" }));
    expect(offset.body.data.map((d: { id: string }) => d.id)).toEqual(expected.slice(10, 15));
  });
});

describe("the condition language over real payloads", () => {
  const cases: [string, (p: Record<string, unknown>) => boolean][] = [
    ['not (region = "eu")', (p) => p.region !== "eu"],
    ['region != "eu"', (p) => p.region !== "eu"],
    ['region in ["eu", "uk"]', (p) => p.region === "eu" || p.region === "uk"],
    [
      'customer.id not in ["cus_0", "cus_1"]',
      (p) => !["cus_0", "cus_1"].includes((p.customer as { id: string }).id),
    ],
    // arrays: any element
    ['tags = "vip"', (p) => (p.tags as string[]).includes("vip")],
    ['not (tags = "vip")', (p) => !(p.tags as string[]).includes("vip")],
    ['items.sku = "sku-2"', (p) => (p.items as { sku: string }[]).some((it) => it.sku === "sku-2")],
    ["items[0].quantity > 1", (p) => (p.items as { quantity: number }[])[0]!.quantity > 1],
    ["coupon exists", (p) => "coupon" in p],
    ["coupon not exists", (p) => !("coupon" in p)],
    ["coupon = null", (p) => "coupon" in p && p.coupon === null],
    [
      'customer.email starts with "c3@"',
      (p) => (p.customer as { email: string }).email.startsWith("c3@"),
    ],
    [
      'amount > 200 or (region = "us" and not (livemode = true))',
      (p) => (p.amount as number) > 200 || (p.region === "us" && p.livemode !== true),
    ],
    // a comparison across types does not match; its negation does
    ['amount > "100"', () => false],
    ['not (amount > "100")', () => true],
    ['customer.id = "cus_nobody"', () => false],
  ];
  it.each(cases)("%s", async (text, matches) => {
    const expected = await deliveriesOf(where(matches));
    expect(await walk(q({ payload: text, limit: "250" }))).toEqual(expected);
  });
});

describe("both plans: a few matching events, or more than MATCHING_EVENTS_LIMIT", () => {
  it("gives every match once, in log order, whichever plan it takes", async () => {
    const bulk = await createTestApp("search-bulk");
    const endpoint = (await createTestEndpoint(bulk, { url: "https://bulk.example.com/hook" }))
      .endpoint;
    const count = MATCHING_EVENTS_LIMIT + 500;
    // Event i: one delivery, i minutes old, three at a time sharing a timestamp (the id breaks ties).
    await db().pool.query(
      `INSERT INTO events (id, app_id, name, payload, created_at)
       SELECT 'msg_bulk' || i, $1, 'invoice.paid', jsonb_build_object('kind', 'bulk', 'n', i, 'odd', i % 2 = 1), $2::timestamptz - make_interval(mins => i / 3)
       FROM generate_series(1, $3) AS i`,
      [bulk.id, BASE, count],
    );
    await db().pool.query(
      `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, created_at, updated_at)
       SELECT 'dlv_bulk' || i, $1, 'msg_bulk' || i, $2, 'invoice.paid', 'success', $3::timestamptz - make_interval(mins => i / 3), $3
       FROM generate_series(1, $4) AS i`,
      [bulk.id, endpoint.id, BASE, count],
    );
    const expected = async (where: string) =>
      (
        await db().pool.query<{ id: string }>(
          `SELECT d.id FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.app_id = $1 AND ${where} ORDER BY d.created_at DESC, d.id DESC`,
          [bulk.id],
        )
      ).rows.map((r) => r.id);
    for (const [text, where, matches] of [
      ['kind = "bulk"', "true", count], // more than the limit: walks the log
      ["odd = true", "(e.payload->>'odd')::boolean", count / 2],
      ['kind = "bulk" and n > 2400', "(e.payload->>'n')::int > 2400", count - 2400], // a few: by their events
      ["not (n <= 2490)", "(e.payload->>'n')::int > 2490", count - 2490],
    ] as const) {
      const ids = await expected(where);
      expect(ids, text).toHaveLength(matches);
      expect(
        await walk(q({ payload: text, limit: "250" }), (query) => list(query, bulk.slug)),
        text,
      ).toEqual(ids);
    }
  });
});

describe("bad input: 400 invalid_parameter naming the parameter", () => {
  it.each([
    ["a missing value", "amount >", /^expected a value after ">" .* \(at character 9\)$/],
    ["a dangling and", 'customer.id = "cus_1" and', /\(at character 26\)$/],
    ["an unknown operator", 'region === "eu"', /\(at character 10\)$/],
    ["nothing", "", /empty/],
    ["too much", `x = "${"y".repeat(9000)}"`, /longer than 8192/],
  ])("payload: %s", async (_, text, message) => {
    const res = await list(q({ payload: text }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_parameter");
    expect(res.body.error.details.fields).toEqual([
      { field: "payload", message: expect.stringMatching(message) },
    ]);
  });

  it.each([
    ["event_id", "empty", ""],
    ["event_id", "too long", "x".repeat(101)],
    ["idempotency_key", "empty", ""],
    ["idempotency_key", "too long", "x".repeat(256)],
  ])("%s: %s", async (name, _, value) => {
    const res = await list(q({ [name]: value }));
    expect(res.status).toBe(400);
    expect(res.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual([name]);
  });
});

describe("tenant isolation", () => {
  it("another app's events never match, whatever the search", async () => {
    const same = await walk(q({ payload: 'customer.id = "cus_0"' }));
    expect(same).toEqual(
      await deliveriesOf(where((p) => (p.customer as { id: string }).id === "cus_0")),
    );
    expect((await list(q({ event_id: otherSent[0]!.eventId }))).body.data).toEqual([]);
    // both apps hold the key "a-order-2": each finds its own event
    const mine = await list(q({ idempotency_key: "a-order-2" }));
    expect(mine.body.data.map((d: { event_id: string }) => d.event_id)).toEqual([
      sent[2]!.eventId,
      sent[2]!.eventId,
    ]);
    const theirs = await list(q({ idempotency_key: "a-order-2" }), other.slug);
    expect(theirs.body.data.map((d: { event_id: string }) => d.event_id)).toEqual([
      otherSent[2]!.eventId,
    ]);
  });

  it("the frontend API searches only the session's app", async () => {
    const ticket = await callRoute(ticketsRoute.POST, {
      method: "POST",
      path: "/api/v1/session/tickets",
      apiKey: key,
      body: { ticket_type: "webhook_app_access", webhook_app_slug: other.slug },
    });
    expect(ticket.status).toBe(201);
    const exchanged = await callRoute(exchangeRoute.POST, {
      method: "POST",
      path: "/api/session/ticket/exchange",
      body: { ticket: ticket.body.ticket },
    });
    expect(exchanged.status).toBe(200);
    const cookie = exchanged.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const frontend = (query: string) =>
      callRoute(frontendListRoute.GET, {
        path: `/api/frontend/webhook/deliveries?${query}`,
        headers: { cookie },
      });
    const found = await walk(q({ payload: 'customer.id = "cus_0"' }), frontend);
    expect(found).toEqual(
      await deliveriesOf(
        otherSent.filter((s) => (s.payload.customer as { id: string }).id === "cus_0"),
        "",
        [],
        other.id,
      ),
    );
    expect(found).toHaveLength(2);
    expect((await frontend(q({ event_id: sent[0]!.eventId }))).body.data).toEqual([]);
    expect((await frontend(q({ event_id: otherSent[1]!.eventId }))).body.data).toHaveLength(1);
    const bad = await frontend(q({ payload: "amount >" }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe("payload");
  });
});

describe("expired payloads", () => {
  it("never match a payload search, not even a negation; event_id still finds their deliveries", async () => {
    const expiring = sent.filter((s) => s.index >= 25);
    await db().pool.query("UPDATE events SET created_at = $2 WHERE id = ANY($1)", [
      expiring.map((s) => s.eventId),
      new Date(Date.now() - 400 * 86_400_000),
    ]);
    const purged = await purgeExpiredPayloads({ retentionDays: 30 });
    expect(purged.eventsExpired).toBe(expiring.length);
    const alive = sent.filter((s) => s.index < 25);
    for (const [text, matches] of [
      ['not (region = "nowhere")', () => true],
      ["customer.id exists", () => true],
      ["coupon not exists", (p: Record<string, unknown>) => !("coupon" in p)],
      [
        'customer.id = "cus_0"',
        (p: Record<string, unknown>) => (p.customer as { id: string }).id === "cus_0",
      ],
    ] as const) {
      const expected = await deliveriesOf(alive.filter((s) => matches(s.payload)));
      expect(await walk(q({ payload: text, limit: "250" })), text).toEqual(expected);
    }
    expect((await list(q({ event_id: expiring[0]!.eventId }))).body.data).toHaveLength(2);
  });
});

describe("the OpenAPI document", () => {
  it("lists the three search parameters on the backend and the frontend delivery log", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<
        string,
        {
          get: {
            parameters: {
              name: string;
              in: string;
              description?: string;
              schema: { type?: string };
            }[];
          };
        }
      >;
    };
    for (const path of ["/api/v1/apps/{slug}/deliveries", "/api/frontend/webhook/deliveries"]) {
      const params = doc.paths[path]!.get.parameters;
      for (const name of ["event_id", "idempotency_key", "payload"]) {
        expect(params, `${path} ${name}`).toContainEqual(
          expect.objectContaining({
            name,
            in: "query",
            schema: expect.objectContaining({ type: "string" }),
          }),
        );
      }
      expect(params.find((p) => p.name === "payload")!.description).toMatch(
        /customer\.id = "cus_123"/,
      );
    }
  });
});
