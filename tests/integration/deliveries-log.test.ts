/**
 * The delivery log: 10,000 deliveries seeded with raw SQL, paged by cursor and by offset while
 * new deliveries keep arriving (no duplicates, no gaps), filters checked against SQL, bad input
 * refused naming the parameter, and the detail view (attempts, masking, expiry, isolation).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallResult } from "../helpers/http";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { newId } from "@/lib/ids";
import { purgeExpiredPayloads } from "@/lib/retention/purge-expired-payloads";
import * as listRoute from "@/app/api/v1/apps/[slug]/deliveries/route";
import * as detailRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/route";

const db = useTestDatabase();
const SEEDED = 10_000;
const BASE = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000);

let key: string;
let app: App;
let other: App;
let endpointIds: string[];
let otherEndpointId: string;

/** Deliveries created one minute apart, three at a time sharing a timestamp (the id breaks ties). */
async function seed(
  appId: string,
  endpoints: string[],
  count: number,
  prefix: string,
): Promise<void> {
  const pool = db().pool;
  await pool.query(
    `INSERT INTO events (id, app_id, name, payload, created_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, (ARRAY['invoice.paid','invoice.failed','user.created'])[1 + i % 3],
            jsonb_build_object('n', i), $3::timestamptz - make_interval(mins => i / 3)
     FROM generate_series(1, $4) AS i`,
    [appId, `msg_${prefix}`, BASE, count],
  );
  await pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, last_status_code,
                             created_at, updated_at, completed_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, $5 || lpad(i::text, 6, '0'), ($3::text[])[1 + i % array_length($3::text[], 1)],
            (ARRAY['invoice.paid','invoice.failed','user.created'])[1 + i % 3],
            (ARRAY['success','failed','retrying','pending','cancelled']::delivery_status[])[1 + (i * 7) % 5],
            1 + i % 4,
            (ARRAY[200, 500, 503, 404, NULL]::int[])[1 + (i * 7) % 5],
            $4::timestamptz - make_interval(mins => i / 3), $4::timestamptz, NULL
     FROM generate_series(1, $6) AS i`,
    [appId, `dlv_${prefix}`, endpoints, BASE, `msg_${prefix}`, count],
  );
}

/** New deliveries "arriving now": created after everything seeded. */
async function arrive(n: number): Promise<void> {
  const pool = db().pool;
  for (let i = 0; i < n; i++) {
    const eventId = newId("msg");
    await pool.query(
      "INSERT INTO events (id, app_id, name, payload) VALUES ($1, $2, 'invoice.paid', '{}')",
      [eventId, app.id],
    );
    await pool.query(
      `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, last_status_code)
       VALUES ($1, $2, $3, $4, 'invoice.paid', 'failed', 500)`,
      [newId("dlv"), app.id, eventId, endpointIds[0]],
    );
  }
}

async function expectedIds(where = "", params: unknown[] = []): Promise<string[]> {
  const { rows } = await db().pool.query<{ id: string }>(
    `SELECT id FROM deliveries WHERE app_id = $1 AND created_at <= $2 ${where} ORDER BY created_at DESC, id DESC`,
    [app.id, BASE, ...params],
  );
  return rows.map((r) => r.id);
}

function list(query: string, slug = app.slug): Promise<CallResult> {
  return callRoute(listRoute.GET, {
    path: `/api/v1/apps/${slug}/deliveries${query ? `?${query}` : ""}`,
    apiKey: key,
    params: { slug },
  });
}

/** Walks every page by cursor; `between` runs after each page (new arrivals). */
async function walkByCursor(query: string, between?: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const res: CallResult = await list(
      `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    seen.push(...res.body.data.map((d: { id: string }) => d.id));
    expect(res.body.has_more).toBe(res.body.next_cursor !== null);
    cursor = res.body.next_cursor;
    if (!cursor) return seen;
    await between?.();
  }
  throw new Error("too many pages");
}

beforeAll(async () => {
  key = (await createApiKey({ name: "log" }, "test")).key;
  app = await createTestApp("log-app");
  other = await createTestApp("log-other");
  endpointIds = [];
  for (let i = 0; i < 3; i++)
    endpointIds.push(
      (await createTestEndpoint(app, { url: `https://r${i}.example.com/hook` })).endpoint.id,
    );
  otherEndpointId = (await createTestEndpoint(other, { url: "https://other.example.com/hook" }))
    .endpoint.id;
  await seed(app.id, endpointIds, SEEDED, "a");
  await seed(other.id, [otherEndpointId], 50, "b");
});

describe("GET /apps/{slug}/deliveries: paging 10,000 deliveries while new ones arrive", () => {
  it("by cursor: every seeded delivery once, newest first, whatever arrives in between", async () => {
    const expected = await expectedIds();
    expect(expected).toHaveLength(SEEDED);
    const first = await list("limit=250");
    expect(first.body.data).toHaveLength(250);
    expect(first.body.data[0]).toMatchObject({ app_id: app.id, id: expected[0] });
    const seen = await walkByCursor("limit=250", () => arrive(3));
    const seeded = seen.filter((id) => id.startsWith("dlv_a"));
    expect(seeded).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("by offset with end_date pinned: every page exact, no duplicates or gaps while deliveries arrive", async () => {
    const pinned = new Date().toISOString();
    const { rows } = await db().pool.query<{ id: string }>(
      "SELECT id FROM deliveries WHERE app_id = $1 AND created_at <= $2 ORDER BY created_at DESC, id DESC",
      [app.id, pinned],
    );
    const expected = rows.map((r) => r.id);
    const seen: string[] = [];
    for (let offset = 0; offset < expected.length; offset += 250) {
      const res = await list(`limit=250&offset=${offset}&end_date=${encodeURIComponent(pinned)}`);
      expect(res.status).toBe(200);
      expect(res.body.data.map((d: { id: string }) => d.id)).toEqual(
        expected.slice(offset, offset + 250),
      );
      seen.push(...res.body.data.map((d: { id: string }) => d.id));
      if (offset % 2500 === 0) await arrive(2);
    }
    expect(seen).toEqual(expected);
    // offset after a cursor skips rows past the cursor's position
    const page1 = await list("limit=10&status=failed");
    const skipped = await list(
      `limit=10&status=failed&offset=5&cursor=${encodeURIComponent(page1.body.next_cursor)}`,
    );
    const direct = await list("limit=25&status=failed");
    expect(skipped.body.data.map((d: { id: string }) => d.id)).toEqual(
      direct.body.data.slice(15, 25).map((d: { id: string }) => d.id),
    );
  });

  it("filters: status, event_name, endpoint_id, http_status (code and class), date range, combined", async () => {
    const start = new Date(BASE.getTime() - 2 * 86_400_000).toISOString();
    const end = new Date(BASE.getTime() - 86_400_000).toISOString();
    const cases: [string, string, unknown[]][] = [
      ["status=failed", "AND status = 'failed'", []],
      ["event_name=user.created", "AND event_name = 'user.created'", []],
      [`endpoint_id=${endpointIds[1]}`, "AND endpoint_id = $3", [endpointIds[1]]],
      ["http_status=503", "AND last_status_code = 503", []],
      ["http_status=5xx", "AND last_status_code BETWEEN 500 AND 599", []],
      [
        `start_date=${start}&end_date=${end}`,
        "AND created_at >= $3 AND created_at <= $4",
        [start, end],
      ],
      [
        `status=retrying&event_name=invoice.failed&endpoint_id=${endpointIds[1]}&start_date=${start}`,
        "AND status = 'retrying' AND event_name = 'invoice.failed' AND endpoint_id = $3 AND created_at >= $4",
        [endpointIds[1], start],
      ],
    ];
    for (const [query, where, params] of cases) {
      const expected = await expectedIds(where, params);
      expect(expected.length, query).toBeGreaterThan(0);
      const seen = (await walkByCursor(`limit=250&${query}`)).filter((id) =>
        id.startsWith("dlv_a"),
      );
      expect(seen, query).toEqual(expected);
    }
    const page = await list("status=failed&limit=5");
    expect(page.body.data.every((d: { status: string }) => d.status === "failed")).toBe(true);
    expect(Object.keys(page.body.data[0]).sort()).toEqual(
      [
        "app_id",
        "attempt_count",
        "completed_at",
        "created_at",
        "endpoint_id",
        "event_id",
        "event_name",
        "id",
        "last_attempt_at",
        "last_error",
        "last_status_code",
        "next_attempt_at",
        "status",
        "updated_at",
      ].sort(),
    );
  });

  it("stays inside the app: another app's deliveries never show, its endpoint is a 404", async () => {
    const res = await list("limit=250", other.slug);
    expect(res.body.data).toHaveLength(50);
    expect(res.body.data.every((d: { app_id: string }) => d.app_id === other.id)).toBe(true);
    const foreign = await list(`endpoint_id=${otherEndpointId}`);
    expect(foreign.status).toBe(404);
  });
});

describe("bad input: 400 naming the parameter", () => {
  const fieldOf = (res: CallResult) =>
    res.body.error.details.fields.map((f: { field: string }) => f.field);
  it.each([
    ["status=done", "status"],
    ["start_date=yesterday", "start_date"],
    ["start_date=yesterday&end_date=2026-03-01T00:00:00Z", "start_date"],
    ["end_date=2026-13-45T00:00:00Z", "end_date"],
    ["start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z", "end_date"],
    ["limit=251", "limit"],
    ["limit=0", "limit"],
    ["offset=-1", "offset"],
    ["http_status=abc", "http_status"],
    ["colour=red", "colour"],
    ["cursor=bm9wZQ", "cursor"],
  ])("%s", async (query, field) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_parameter");
    expect(fieldOf(res)).toContain(field);
  });

  it("refuses a cursor from other filters or another app", async () => {
    const failed = await list("status=failed&limit=2");
    const cursor = encodeURIComponent(failed.body.next_cursor);
    const otherFilter = await list(`status=success&limit=2&cursor=${cursor}`);
    expect(otherFilter.status).toBe(400);
    expect(fieldOf(otherFilter)).toEqual(["cursor"]);
    const otherApp = await list(`status=failed&limit=2&cursor=${cursor}`, other.slug);
    expect(otherApp.status).toBe(400);
    // a different page size with the same filters is fine
    expect((await list(`status=failed&limit=7&cursor=${cursor}`)).status).toBe(200);
  });
});

describe("GET /apps/{slug}/deliveries/{id}", () => {
  it("shows the payload, the endpoint and every attempt (signature masked); expired payloads say so; other apps get 404", async () => {
    const deliveryId = "dlv_a000003";
    const old = new Date(Date.now() - 40 * 86_400_000);
    await db().pool.query("UPDATE events SET created_at = $2 WHERE id = $1", ["msg_a000003", old]);
    for (const [n, status, trigger, body] of [
      [1, 500, "auto", "boom"],
      [2, 200, "manual", "ok"],
    ] as const) {
      await db().pool.query(
        `INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, trigger, request_url, request_headers,
                               response_status, response_headers, response_body, duration_ms, error, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'https://r0.example.com/hook', $7, $8, $9, $10, $11, $12, $13)`,
        [
          newId("atm"),
          deliveryId,
          app.id,
          endpointIds[0],
          n,
          trigger,
          JSON.stringify({
            "webhook-id": deliveryId,
            "webhook-signature": "v1,***",
            "content-type": "application/json",
          }),
          status,
          JSON.stringify({ "content-type": "text/plain" }),
          body,
          120 * n,
          status === 200 ? null : "the receiver answered HTTP 500",
          new Date(old.getTime() + n * 60_000),
        ],
      );
    }
    const get = (id: string, slug = app.slug) =>
      callRoute(detailRoute.GET, {
        path: `/api/v1/apps/${slug}/deliveries/${id}`,
        apiKey: key,
        params: { slug, id },
      });
    const res = await get(deliveryId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: deliveryId,
      event_id: "msg_a000003",
      payload: { n: 3 },
      payload_expired: false,
      endpoint: {
        id: endpointIds[0],
        url: "https://r0.example.com/hook",
        is_active: true,
        deleted: false,
      },
    });
    expect(
      res.body.attempts.map(
        (a: {
          attempt_number: number;
          trigger: string;
          response_status: number;
          response_body: string;
        }) => [a.attempt_number, a.trigger, a.response_status, a.response_body],
      ),
    ).toEqual([
      [1, "auto", 500, "boom"],
      [2, "manual", 200, "ok"],
    ]);
    expect(res.body.attempts[0]).toMatchObject({
      request_headers: { "webhook-id": deliveryId, "webhook-signature": "v1,***" },
      response_headers: { "content-type": "text/plain" },
      duration_ms: 120,
      error: "the receiver answered HTTP 500",
      response_body_expired: false,
    });

    const purged = await purgeExpiredPayloads({ batchSize: 100 });
    expect(purged.eventsExpired).toBeGreaterThanOrEqual(1);
    const expired = await get(deliveryId);
    expect(expired.body).toMatchObject({
      payload: null,
      payload_expired: true,
      status: expect.any(String),
    });
    expect(expired.body.payload_expired_at).not.toBeNull();
    expect(
      expired.body.attempts.map(
        (a: { response_body: string | null; response_body_expired: boolean }) => [
          a.response_body,
          a.response_body_expired,
        ],
      ),
    ).toEqual([
      [null, true],
      [null, true],
    ]);

    expect((await get("dlv_b000001")).status).toBe(404);
    expect((await get("dlv_b000001", other.slug)).status).toBe(200);
    expect((await get("dlv_nope")).status).toBe(404);
  });
});
