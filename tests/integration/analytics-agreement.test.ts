/**
 * Stats, analytics and timeseries against counts computed directly from the deliveries table and
 * the attempts (the all_attempts view), by the one counting rule: a delivery counts once, in the
 * bucket it was created in, by its current state (failed includes cancelled); attempts count in the bucket they were made. The outcomes go through the real state machine (insertPendingDeliveries,
 * claimDelivery, recordAttemptOutcome, scheduleManualAttempts), which keeps the hourly rollups;
 * the API reads only the rollups (minute buckets: the raw rows).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute, type CallResult } from "../helpers/http";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import {
  LATENCY_BUCKET_BOUNDS_MS,
  latencyBucketIndex,
  LATENCY_BUCKET_COUNT,
  percentileFromHistogram,
} from "@/lib/analytics/rollups";
import { createApiKey } from "@/lib/auth/api-keys";
import type { AttemptResult } from "@/lib/delivery/http-client";
import { withTransaction } from "@/lib/delivery/sql";
import { claimDelivery } from "@/lib/delivery/claim-deliveries";
import { insertPendingDeliveries } from "@/lib/delivery/enqueue-deliveries";
import { recordAttemptOutcome } from "@/lib/delivery/record-attempt";
import { scheduleManualAttempts } from "@/lib/delivery/schedule-manual-attempts";
import { newId } from "@/lib/ids";
import { writeEndpointFilter } from "@/lib/endpoints/endpoint-filter";
import { fanOutNow } from "../helpers/delivery-fixtures";
import * as analyticsRoute from "@/app/api/v1/apps/[slug]/analytics/route";
import * as timeseriesRoute from "@/app/api/v1/apps/[slug]/timeseries/route";
import * as statsRoute from "@/app/api/v1/apps/[slug]/stats/route";

// Failures are generated days in the past: keep the endpoints from being disabled for failing too long.
const db = useTestDatabase({ HOOKLINE_DISABLE_AFTER_SECONDS: String(365 * 86_400) });
const HOUR = 3_600_000;
const DELIVERIES = 400;

let key: string;
let app: App;
const endpoints: string[] = [];
/** The top of the current hour: every generated timestamp is before it. */
const anchor = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const windowStart = new Date(anchor.getTime() - 9 * 24 * HOUR);

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(42);
const LATENCIES = [3, 10, 11, 24, 40, 99, 180, 250, 400, 800, 1_500, 4_000, 9_000, 20_000, 31_000];

function outcome(durationMs: number): AttemptResult {
  const r = random();
  if (r < 0.55)
    return {
      ok: true,
      status: 200,
      headers: {},
      body: "ok",
      bodyTruncated: false,
      durationMs,
      error: null,
      errorCode: null,
      retryAfterSeconds: null,
    };
  if (r < 0.9)
    return {
      ok: false,
      status: 500,
      headers: {},
      body: "boom",
      bodyTruncated: false,
      durationMs,
      error: null,
      errorCode: null,
      retryAfterSeconds: null,
    };
  return {
    ok: false,
    status: null,
    headers: null,
    body: null,
    bodyTruncated: false,
    durationMs,
    error: "timed out",
    errorCode: "timeout",
    retryAfterSeconds: null,
  };
}

/**
 * Events an endpoint's payload filter kept from it (counted `filtered`, in the hour the event was
 * accepted), recorded as they are generated: the expected counts do not come from the rollups.
 */
const filteredAt: { endpointId: string; at: Date; eventId: string }[] = [];
let filterMatched = 0;

/**
 * `order.created` events through the real fan-out, dated in the past like the rest: only
 * endpoints[2] subscribes to them, with the filter `amount > 0`; a third have amount 0.
 */
async function generateFiltered(): Promise<void> {
  await db().prisma.endpoint.updateMany({
    where: { id: { in: endpoints.slice(0, 2) } },
    data: { subscriptions: ["invoice.*"] },
  });
  await db().prisma.endpoint.update({
    where: { id: endpoints[2]! },
    data: { subscriptions: ["invoice.*", "order.*"] },
  });
  await db().prisma.$transaction((tx) =>
    writeEndpointFilter(tx, endpoints[2]!, { field: "amount", gt: 0 }),
  );
  for (let i = 0; i < 60; i++) {
    const createdAt = new Date(
      anchor.getTime() - 60_000 - Math.floor((i % 4 === 0 ? 3 * HOUR : 72 * HOUR) * random()),
    );
    const eventId = newId("msg");
    await db().pool.query(
      "INSERT INTO events (id, app_id, name, payload, created_at) VALUES ($1, $2, 'order.created', $3, $4)",
      [eventId, app.id, JSON.stringify({ amount: i % 3 }), createdAt],
    );
    await db().pool.query("INSERT INTO event_fanout_queue (event_id, created_at) VALUES ($1, $2)", [
      eventId,
      createdAt,
    ]);
    if (i % 3 === 0) filteredAt.push({ endpointId: endpoints[2]!, at: createdAt, eventId });
    else filterMatched++;
  }
  expect(await fanOutNow()).toBe(filterMatched);
}

/** Makes one attempt for a delivery through the state machine at a given time. */
async function attempt(deliveryId: string, at: Date) {
  const claim = await claimDelivery(deliveryId, "analytics-test", { onlyIfDue: false });
  if (!claim.claimed) throw new Error(`could not claim ${deliveryId}: ${claim.reason}`);
  const durationMs = LATENCIES[Math.floor(random() * LATENCIES.length)]!;
  return recordAttemptOutcome(claim, {
    attemptedAt: at,
    requestHeaders: {},
    result: outcome(durationMs),
  });
}

async function generate(): Promise<void> {
  const failedOnce: { id: string; at: Date }[] = [];
  for (let i = 0; i < DELIVERIES; i++) {
    const endpointId = endpoints[i % endpoints.length]!;
    // Mostly within the last 3 days, some over the previous week; a cluster in the last 3 hours for minute buckets.
    const ageMs =
      i % 5 === 0
        ? 3 * HOUR * random()
        : i % 7 === 0
          ? 9 * 24 * HOUR * random()
          : 72 * HOUR * random();
    const createdAt = new Date(anchor.getTime() - 60_000 - Math.floor(ageMs));
    const eventId = newId("msg");
    const [deliveryId] = await withTransaction(async (client) => {
      await client.query(
        "INSERT INTO events (id, app_id, name, payload, created_at) VALUES ($1, $2, $3, '{}', $4)",
        [eventId, app.id, i % 2 ? "invoice.paid" : "invoice.failed", createdAt],
      );
      return insertPendingDeliveries(client, {
        appId: app.id,
        eventId,
        eventName: "invoice.paid",
        endpointIds: [endpointId],
        createdAt,
      });
    });
    // Some never get an attempt (pending); the rest run up to their retry budget or stop midway (retrying).
    const planned = i % 11 === 0 ? 0 : 1 + Math.floor(random() * 4);
    let at = createdAt;
    for (let n = 0; n < planned; n++) {
      at = new Date(
        Math.min(at.getTime() + Math.floor(random() * 40 * 60_000), anchor.getTime() - 1),
      );
      const t = await attempt(deliveryId!, at);
      if (t.final) {
        if (t.status === "failed") failedOnce.push({ id: deliveryId!, at });
        break;
      }
    }
  }
  // Replay a third of the failed ones by hand: a second final outcome for the same delivery.
  for (const { id, at } of failedOnce.filter((_, i) => i % 3 === 0)) {
    await scheduleManualAttempts([id], "manual");
    await attempt(id, new Date(Math.min(at.getTime() + 30 * 60_000, anchor.getTime() - 1)));
  }
}

interface Expected {
  created: number;
  succeeded: number;
  failed: number;
  attempts: number;
  attemptsFailed: number;
  latencySum: number;
  latencyMax: number;
  histogram: number[];
  filtered: number;
}

/** The same counts straight from the tables, per bucket (`trunc` SQL over a timestamp column). */
async function expected(
  trunc: (col: string) => string,
  from: Date,
  to: Date,
  endpointId?: string,
): Promise<Map<number, Expected>> {
  const params: unknown[] = [app.id, from, to];
  const ep = (alias: string) => (endpointId ? ` AND ${alias}.endpoint_id = $4` : "");
  if (endpointId) params.push(endpointId);
  const out = new Map<number, Expected>();
  const at = (b: Date) => {
    let e = out.get(b.getTime());
    if (!e)
      out.set(
        b.getTime(),
        (e = {
          created: 0,
          succeeded: 0,
          failed: 0,
          attempts: 0,
          attemptsFailed: 0,
          latencySum: 0,
          latencyMax: 0,
          histogram: new Array(LATENCY_BUCKET_COUNT).fill(0),
          filtered: 0,
        }),
      );
    return e;
  };
  const created = await db().pool.query<{ b: Date; n: string; s: string; f: string }>(
    `SELECT ${trunc("d.created_at")} AS b, count(*) AS n, count(*) FILTER (WHERE d.status = 'success') AS s,
            count(*) FILTER (WHERE d.status IN ('failed', 'cancelled')) AS f
     FROM deliveries d WHERE d.app_id = $1 AND d.created_at >= $2 AND d.created_at < $3${ep("d")} GROUP BY 1`,
    params,
  );
  for (const r of created.rows)
    Object.assign(at(r.b), { created: Number(r.n), succeeded: Number(r.s), failed: Number(r.f) });
  const attempts = await db().pool.query<{ b: Date; duration_ms: number; error: string | null }>(
    `SELECT ${trunc("a.created_at")} AS b, a.duration_ms, a.error FROM all_attempts a
     WHERE a.app_id = $1 AND a.created_at >= $2 AND a.created_at < $3${ep("a")}`,
    params,
  );
  for (const r of attempts.rows) {
    const e = at(r.b);
    e.attempts++;
    e.latencySum += r.duration_ms;
    e.latencyMax = Math.max(e.latencyMax, r.duration_ms);
    e.histogram[latencyBucketIndex(r.duration_ms)]!++;
    if (r.error !== null) e.attemptsFailed++;
  }
  const kept = filteredAt.filter(
    (f) => f.at >= from && f.at < to && (!endpointId || f.endpointId === endpointId),
  );
  if (kept.length > 0) {
    const buckets = await db().pool.query<{ b: Date }>(
      `SELECT ${trunc("t")} AS b FROM unnest($1::timestamptz[]) AS t`,
      [kept.map((f) => f.at)],
    );
    for (const r of buckets.rows) at(r.b).filtered++;
  }
  return out;
}

const rate = (s: number, f: number) =>
  s + f === 0 ? null : Math.round((s / (s + f)) * 10_000) / 100;
const avg = (e: Expected) =>
  e.attempts === 0 ? null : Math.round((e.latencySum / e.attempts) * 100) / 100;

function get(
  route: typeof analyticsRoute | typeof timeseriesRoute | typeof statsRoute,
  name: string,
  query: string,
): Promise<CallResult> {
  return callRoute(route.GET, {
    path: `/api/v1/apps/${app.slug}/${name}?${query}`,
    apiKey: key,
    params: { slug: app.slug },
  });
}

beforeAll(async () => {
  key = (await createApiKey({ name: "analytics" }, "test")).key;
  app = await createTestApp("analytics-app");
  for (let i = 0; i < 3; i++)
    endpoints.push(
      (await createTestEndpoint(app, { url: `https://r${i}.example.com/hook`, maxRetries: 2 }))
        .endpoint.id,
    );
  await generate();
  await generateFiltered();
}, 120_000);

describe("analytics agree with the attempts", () => {
  it("over the whole period, and per endpoint, for every field", async () => {
    for (const endpointId of [undefined, endpoints[1]]) {
      const all = await expected(() => "'epoch'::timestamptz", windowStart, anchor, endpointId);
      const e = all.get(0)!;
      expect(e.attempts).toBeGreaterThan(endpointId ? 100 : 300);
      expect(e.failed).toBeGreaterThan(endpointId ? 2 : 5);
      // The counting invariants: replays moved deliveries between states, never added them.
      expect(e.succeeded + e.failed).toBeLessThanOrEqual(e.created);
      const q = `start_date=${windowStart.toISOString()}&end_date=${new Date(anchor.getTime() - 1).toISOString()}${endpointId ? `&endpoint_id=${endpointId}` : ""}`;
      const res = await get(analyticsRoute, "analytics", q);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        total_deliveries: e.created,
        successful: e.succeeded,
        failed: e.failed,
        pending: e.created - e.succeeded - e.failed,
        filtered: e.filtered,
        success_rate: rate(e.succeeded, e.failed),
        total_attempts: e.attempts,
        failed_attempts: e.attemptsFailed,
        avg_latency_ms: avg(e),
        p50_latency_ms: percentileFromHistogram(e.histogram, 0.5, e.latencyMax),
        p95_latency_ms: percentileFromHistogram(e.histogram, 0.95, e.latencyMax),
        p99_latency_ms: percentileFromHistogram(e.histogram, 0.99, e.latencyMax),
      });
      // The histogram percentile is the bucket bound the exact percentile falls under.
      const { rows } = await db().pool.query<{ p: number }>(
        `SELECT percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p FROM all_attempts WHERE app_id = $1${endpointId ? " AND endpoint_id = $2" : ""}`,
        endpointId ? [app.id, endpointId] : [app.id],
      );
      const exact = rows[0]!.p;
      const bound = res.body.p95_latency_ms as number;
      const index = LATENCY_BUCKET_BOUNDS_MS.indexOf(bound);
      expect(exact <= bound || index === LATENCY_BUCKET_BOUNDS_MS.length - 1).toBe(true);
      expect(exact).toBeGreaterThan(index > 0 ? LATENCY_BUCKET_BOUNDS_MS[index - 1]! : 0);
    }
  });

  it("returns only the asked fields; an unknown field is a 400 naming it", async () => {
    const res = await get(
      analyticsRoute,
      "analytics",
      "fields=success_rate,failed,total_deliveries",
    );
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["failed", "success_rate", "total_deliveries"]);
    const repeated = await get(analyticsRoute, "analytics", "fields=failed&fields=p95_latency_ms");
    expect(Object.keys(repeated.body).sort()).toEqual(["failed", "p95_latency_ms"]);
    const bad = await get(analyticsRoute, "analytics", "fields=success_rate,bogus");
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields[0].field).toBe("fields");
    expect(bad.body.error.message).toMatch(/"bogus" is not a known field/);
    for (const [query, field] of [
      ["start_date=2026-02-30T00:00:00Z", "start_date"],
      ["start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z", "end_date"],
      ["endpoint=x", "endpoint"],
    ] as const) {
      const r = await get(analyticsRoute, "analytics", query);
      expect(r.status, query).toBe(400);
      expect(
        r.body.error.details.fields.map((f: { field: string }) => f.field),
        query,
      ).toContain(field);
    }
    expect((await get(analyticsRoute, "analytics", "endpoint_id=ep_nope")).status).toBe(404);
  });
});

describe("timeseries agree with the attempts", () => {
  const units = {
    hour: (c: string) => `date_trunc('hour', ${c}, 'UTC')`,
    day: (c: string) => `date_trunc('day', ${c}, 'UTC')`,
    week: (c: string) => `date_trunc('week', ${c}, 'UTC')`,
  };

  it.each(["hour", "day", "week"] as const)(
    "%s buckets: every bucket present and equal",
    async (interval) => {
      const end = new Date(anchor.getTime() - 1);
      const res = await get(
        timeseriesRoute,
        "timeseries",
        `interval=${interval}&start_date=${windowStart.toISOString()}&end_date=${end.toISOString()}`,
      );
      expect(res.status).toBe(200);
      const series = res.body.timeseries as { timestamp: string }[];
      const step = interval === "hour" ? HOUR : interval === "day" ? 24 * HOUR : 7 * 24 * HOUR;
      // Contiguous, from the bucket holding start to the one holding end.
      for (let i = 1; i < series.length; i++)
        expect(Date.parse(series[i]!.timestamp) - Date.parse(series[i - 1]!.timestamp)).toBe(step);
      expect(series[0]!.timestamp).toBe(res.body.start_date);
      expect(series[series.length - 1]!.timestamp).toBe(res.body.end_date);
      if (interval === "hour") expect(series).toHaveLength(9 * 24);
      const from = new Date(Date.parse(res.body.start_date));
      const want = await expected(units[interval], from, anchor);
      let nonEmpty = 0;
      for (const point of res.body.timeseries) {
        const e = want.get(Date.parse(point.timestamp));
        if (e) nonEmpty++;
        expect(point, point.timestamp).toEqual({
          timestamp: point.timestamp,
          total_deliveries: e?.created ?? 0,
          successful: e?.succeeded ?? 0,
          failed: e?.failed ?? 0,
          pending: e ? e.created - e.succeeded - e.failed : 0,
          filtered: e?.filtered ?? 0,
          success_rate: e ? rate(e.succeeded, e.failed) : null,
          total_attempts: e?.attempts ?? 0,
          failed_attempts: e?.attemptsFailed ?? 0,
          avg_latency_ms: e ? avg(e) : null,
          p95_latency_ms: e ? percentileFromHistogram(e.histogram, 0.95, e.latencyMax) : null,
        });
      }
      expect(nonEmpty).toBe(want.size);
      if (interval === "hour") expect(nonEmpty).toBeLessThan(series.length); // zeros are there too
    },
  );

  it("per endpoint", async () => {
    const end = new Date(anchor.getTime() - 1);
    const res = await get(
      timeseriesRoute,
      "timeseries",
      `interval=day&start_date=${windowStart.toISOString()}&end_date=${end.toISOString()}&endpoint_id=${endpoints[2]}`,
    );
    expect(res.body.endpoint_id).toBe(endpoints[2]);
    const want = await expected(
      units.day,
      new Date(Date.parse(res.body.start_date)),
      anchor,
      endpoints[2],
    );
    const total = res.body.timeseries.reduce(
      (s: number, p: { total_attempts: number }) => s + p.total_attempts,
      0,
    );
    expect(total).toBe([...want.values()].reduce((s, e) => s + e.attempts, 0));
    for (const p of res.body.timeseries)
      expect(p.successful).toBe(want.get(Date.parse(p.timestamp))?.succeeded ?? 0);
    for (const p of res.body.timeseries)
      expect(p.filtered).toBe(want.get(Date.parse(p.timestamp))?.filtered ?? 0);
  });

  it("filtered events are counted for their endpoint, never delivered", async () => {
    expect(filteredAt.length).toBeGreaterThan(10);
    const q = `start_date=${windowStart.toISOString()}&end_date=${new Date(anchor.getTime() - 1).toISOString()}&fields=filtered,total_deliveries`;
    expect((await get(analyticsRoute, "analytics", q)).body.filtered).toBe(filteredAt.length);
    expect(
      (await get(analyticsRoute, "analytics", `${q}&endpoint_id=${endpoints[2]}`)).body.filtered,
    ).toBe(filteredAt.length);
    expect(
      (await get(analyticsRoute, "analytics", `${q}&endpoint_id=${endpoints[0]}`)).body.filtered,
    ).toBe(0);
    const { rows } = await db().pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM deliveries WHERE event_id = ANY($1::text[])",
      [filteredAt.map((f) => f.eventId)],
    );
    expect(Number(rows[0]!.n)).toBe(0);
  });

  it("minute buckets from the raw rows over a short window", async () => {
    const from = new Date(anchor.getTime() - 3 * HOUR);
    const end = new Date(anchor.getTime() - 1);
    const res = await get(
      timeseriesRoute,
      "timeseries",
      `interval=minute&start_date=${from.toISOString()}&end_date=${end.toISOString()}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.timeseries).toHaveLength(180);
    const want = await expected((c) => `date_trunc('minute', ${c}, 'UTC')`, from, anchor);
    let attempts = 0;
    for (const p of res.body.timeseries) {
      const e = want.get(Date.parse(p.timestamp));
      attempts += p.total_attempts;
      expect(
        [
          p.total_deliveries,
          p.successful,
          p.total_attempts,
          p.failed_attempts,
          p.avg_latency_ms,
          p.p95_latency_ms,
        ],
        p.timestamp,
      ).toEqual([
        e?.created ?? 0,
        e?.succeeded ?? 0,
        e?.attempts ?? 0,
        e?.attemptsFailed ?? 0,
        e ? avg(e) : null,
        e ? percentileFromHistogram(e.histogram, 0.95, e.latencyMax) : null,
      ]);
    }
    expect(attempts).toBeGreaterThan(20);
    // A filtered event leaves no row to count by the minute: unknown, not zero.
    for (const p of res.body.timeseries) expect(p.filtered).toBeNull();
  });

  it("defaults, limits and bad input", async () => {
    const def = await get(timeseriesRoute, "timeseries", "");
    expect(def.status).toBe(200);
    expect(def.body.interval).toBe("hour");
    expect(def.body.timeseries).toHaveLength(25);
    expect((await get(timeseriesRoute, "timeseries", "interval=day")).body.timeseries.length).toBe(
      31,
    );
    expect(
      (await get(timeseriesRoute, "timeseries", "interval=minute")).body.timeseries.length,
    ).toBe(61);
    for (const [query, field] of [
      ["interval=second", "interval"],
      ["interval=minute&start_date=2026-01-01T00:00:00Z&end_date=2026-01-02T00:00:01Z", "interval"],
      ["interval=hour&start_date=2020-01-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "interval"],
      ["start_date=not-a-date", "start_date"],
      ["start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z", "end_date"],
      ["start_date=2999-01-01T00:00:00Z", "start_date"],
      ["bucket=hour", "bucket"],
    ] as const) {
      const r = await get(timeseriesRoute, "timeseries", query);
      expect(r.status, query).toBe(400);
      expect(
        r.body.error.details.fields.map((f: { field: string }) => f.field),
        query,
      ).toContain(field);
    }
  });
});

describe("GET /apps/{slug}/stats", () => {
  it("totals by current status, endpoint health, the last 24 hours", async () => {
    const { rows } = await db().pool.query<{ status: string; n: string }>(
      "SELECT status, count(*) AS n FROM deliveries WHERE app_id = $1 GROUP BY 1",
      [app.id],
    );
    const by = {
      pending: 0,
      retrying: 0,
      success: 0,
      failed: 0,
      cancelled: 0,
      ...Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])),
    };
    const recent = await db().pool.query<{ n: string }>(
      "SELECT count(*) AS n FROM deliveries WHERE app_id = $1 AND created_at > now() - interval '24 hours'",
      [app.id],
    );
    await db().prisma.endpoint.update({ where: { id: endpoints[0]! }, data: { isActive: false } });
    await db().prisma.endpoint.update({
      where: { id: endpoints[1]! },
      data: { consecutiveFailures: 3, failingSince: new Date() },
    });
    await db().prisma.endpoint.update({
      where: { id: endpoints[2]! },
      data: { consecutiveFailures: 0, failingSince: null },
    });
    // The route reads its last 24 hours from its own clock: a request that straddles the top of
    // an hour is asked again, so the window below is the one the route used.
    const hourNow = () => Math.floor(Date.now() / HOUR);
    let res: Awaited<ReturnType<typeof get>>;
    let hour: number;
    do {
      hour = hourNow();
      res = await get(statsRoute, "stats", "");
    } while (hourNow() !== hour);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      total_deliveries: DELIVERIES + filterMatched,
      by_status: by,
      success_rate: rate(by.success, by.failed),
      endpoints: { total: 3, active: 1, failing: 1, disabled: 1 },
      deliveries_last_24h: Number(recent.rows[0]!.n),
    });
    const since = new Date((hour - 24) * HOUR);
    const want = await expected(() => "'epoch'::timestamptz", since, new Date((hour + 2) * HOUR));
    const e = want.get(0)!;
    expect(res.body.last_24h).toEqual({
      total_deliveries: e.created,
      successful: e.succeeded,
      failed: e.failed,
      pending: e.created - e.succeeded - e.failed,
      filtered: e.filtered,
      success_rate: rate(e.succeeded, e.failed),
    });
    expect((await get(statsRoute, "stats", "x=1")).status).toBe(400);
  });
});
