/**
 * `npm run bench:log` — the delivery log and analytics at scale.
 *
 * Starts its own embedded PostgreSQL in a temporary folder, applies the migrations, seeds
 * 1,000,000 deliveries (and their events and hourly rollups) over 30 days with multi-row
 * INSERT ... SELECT generate_series, then times, through the domain functions the API routes
 * call: the log's first page (plain and filtered), a later cursor page, a deep offset, the first
 * page of payload searches (selective, unselective, matching nothing) and event lookups, a 30-day
 * hourly timeseries, 30-day analytics and the stats. Prints the figures; the target is under
 * 200 ms for the first page, each payload search and the 30-day hourly timeseries. Then the
 * console's find across apps (lib/console/find.ts) by each kind of search, with four more apps
 * holding a tenth of the bench app's deliveries between them; its target is 300 ms. Not a
 * test: nothing fails.
 *
 * The log is partitioned by week (lib/delivery-log/partitions.ts), so the seeded month spans
 * five or six partitions. With --growth, after the usual rows it measures the first page, a
 * payload search and the 30-day series again at ten times the rows (the growth row: how far each
 * moves as the log grows), then retires the oldest partitions of the log and times that.
 *
 * Options: --rows N (default 1000000), --runs N (default 20), --keep (leave the data folder),
 * --suggested-indexes (also create indexes not in the schema yet, to see what they would buy),
 * --growth (the growth row and the retirement of a day).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { getAnalytics } from "@/lib/analytics/get-analytics";
import { getStats } from "@/lib/analytics/get-stats";
import { getTimeseries } from "@/lib/analytics/get-timeseries";
import { LATENCY_BUCKET_COUNT } from "@/lib/analytics/rollups";
import { findAcrossApps, type FindKind } from "@/lib/console/find";
import { createDatabase, setDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { listDeliveries, type ListDeliveriesInput } from "@/lib/delivery-log/list-deliveries";
import {
  dropExpiredLogPartitions,
  ensureLogPartitions,
  listLogPartitions,
} from "@/lib/delivery-log/partitions";
import { parseFilterText } from "@/lib/filters/filter-text";
import { newId, timeOfId } from "@/lib/ids";
import { samplePayload } from "./lib/workload";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`--${name} must be a positive whole number`);
  return value;
}

const ROWS = option("rows", 1_000_000);
const RUNS = option("runs", 20);
const KEEP = process.argv.includes("--keep");
const SUGGESTED = process.argv.includes("--suggested-indexes");
const GROWTH = process.argv.includes("--growth");
/** The growth row compares the log at ROWS with the log at this many times ROWS. */
const GROWTH_FACTOR = 10;
const ENDPOINTS = 10;
/**
 * Event i's payload, shaped like an invoice (about 600 bytes): 50,000 customers with 5 events
 * each (a customer search finds 20 deliveries), amounts 0-99,999 (`amount > 0` matches nearly
 * every one), four regions, one item with one of 997 skus.
 */
const SEEDED_PAYLOAD = `jsonb_build_object(
  'id', 'in_' || lpad(i::text, 9, '0'), 'object', 'invoice', 'amount', (i::bigint * 7919) % 100000,
  'currency', (ARRAY['eur','usd','gbp'])[1 + i % 3], 'region', (ARRAY['eu','us','uk','apac'])[1 + (i / 5) % 4],
  'livemode', i % 10 <> 0, 'created', 1700000000 + i,
  'customer', jsonb_build_object('id', 'cus_' || lpad((i % 50000)::text, 6, '0'), 'email', 'customer' || (i % 50000) || '@example.com',
                                 'name', 'Customer ' || (i % 50000), 'plan', (ARRAY['free','pro','enterprise'])[1 + (i / 7) % 3]),
  'lines', jsonb_build_array(jsonb_build_object('sku', 'sku-' || (i % 997), 'description', 'Subscription, monthly', 'quantity', 1 + i % 3,
                                                'unit_amount', (i::bigint * 7919) % 100000)),
  'metadata', jsonb_build_object('order_id', 'ord_' || lpad(i::text, 9, '0'), 'source', (ARRAY['checkout','api','dashboard'])[1 + i % 3]))`;
const FAN_OUT = 4; // deliveries per event
/** Apps beside the bench app (and the quiet one), for the console's cross-app search. */
const OTHER_APPS = 4;
const CHUNK = 100_000;
const DAYS = 30;

process.env.HOOKLINE_LOG_LEVEL ??= "warn";
process.env.HOOKLINE_SECRET ??= "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
// Seeding inserts 100,000 rows a statement: more than the server's 15 s limit on a busy machine.
process.env.HOOKLINE_DB_STATEMENT_TIMEOUT_MS ??= "600000";

const t0 = performance.now();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
const say = (msg: string) => console.log(`[${elapsed()}] ${msg}`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-bench-"));
say(`starting embedded PostgreSQL in ${dir}`);
const server = await startEmbeddedPostgres({ dataDir: dir, database: "postgres" });
const admin = new pg.Client(poolConfigFromUrl(server.url));
await admin.connect();
await admin.query("CREATE DATABASE hookline_bench");
await admin.end();
const url = withDatabase(server.url, "hookline_bench");
process.env.DATABASE_URL = url;
await applyMigrations(url);
const db = createDatabase(url, { max: 4 });
setDb(db);
const { pool } = db;
// A fresh database: the migration's partition for rows older than partitioning is empty and
// goes, and week partitions cover the month the seed spreads its rows over.
await pool.query("DROP TABLE deliveries_p_before; DROP TABLE attempts_p_before");
await ensureLogPartitions({
  since: new Date(Date.now() - (DAYS + 1) * 86_400_000),
  daysAhead: 1,
});

try {
  // ------------------------------------------------------------------------------------------
  // Seed
  const now = new Date();
  const spanMs = DAYS * 86_400_000;
  const appId = "app_bench";
  await pool.query(
    "INSERT INTO apps (id, slug, name, updated_at) VALUES ($1, 'bench', 'Bench', now()), ('app_quiet', 'quiet', 'Quiet', now())",
    [appId],
  );
  const endpointIds = Array.from(
    { length: ENDPOINTS },
    (_, i) => `ep_bench_${String(i).padStart(2, "0")}`,
  );
  await pool.query(
    `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at, is_active, consecutive_failures, failing_since)
     SELECT u.id, $1, 'https://receiver-' || u.n || '.example.com/hook', ARRAY['*'], now(), u.n <> 9,
            CASE WHEN u.n = 8 THEN 4 ELSE 0 END, CASE WHEN u.n = 8 THEN now() - interval '2 hours' END
     FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)`,
    [appId, endpointIds],
  );
  const events = Math.ceil(ROWS / FAN_OUT);
  /**
   * Events `first`..`first + count - 1` of `app` (ids, idempotency keys and payloads numbered
   * from `first`, so apps never share them), FAN_OUT deliveries each to `endpoints`, spread over
   * the last DAYS days.
   */
  async function seedEvents(app: string, endpoints: string[], first: number, count: number) {
    const last = first + count - 1;
    for (let start = first; start <= last; start += CHUNK) {
      const end = Math.min(last, start + CHUNK - 1);
      await pool.query(
        `INSERT INTO events (id, app_id, name, payload, idempotency_key, created_at)
         SELECT 'msg_' || lpad(i::text, 9, '0'), $1, (ARRAY['invoice.paid','invoice.failed','user.created','user.deleted','order.shipped'])[1 + i % 5],
                ${SEEDED_PAYLOAD}, 'order-' || i,
                $2::timestamptz - make_interval(secs => ($3::float8 * (i - $7 + 1) / $4))
         FROM generate_series($5::int, $6::int) AS i`,
        [app, now, spanMs / 1000, count, start, end, first],
      );
    }
    const firstDelivery = (first - 1) * FAN_OUT + 1;
    const lastDelivery = last * FAN_OUT;
    for (let start = firstDelivery; start <= lastDelivery; start += CHUNK) {
      const end = Math.min(lastDelivery, start + CHUNK - 1);
      // Status mix: 90% success, 5% failed, 2% retrying, 1% pending, 2% cancelled.
      await pool.query(
        `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, next_attempt_at,
                                 last_status_code, last_error, last_attempt_at, completed_at, created_at, updated_at)
         SELECT hookline_delivery_id_bound(c) || lpad(i::text, 16, '0'), $1, 'msg_' || lpad(e::text, 9, '0'), ($2::text[])[1 + (e * 7 + i % ${FAN_OUT}) % $7],
                (ARRAY['invoice.paid','invoice.failed','user.created','user.deleted','order.shipped'])[1 + e % 5],
                s.status, s.attempts, CASE WHEN s.status IN ('pending', 'retrying') THEN c + interval '1 hour' END,
                s.code, CASE WHEN s.status = 'failed' THEN 'the receiver answered HTTP 500' END,
                c + interval '1 second', CASE WHEN s.status IN ('success', 'failed', 'cancelled') THEN c + interval '1 second' END, c, c
         FROM generate_series($3::int, $4::int) AS i,
              LATERAL (SELECT (i - 1) / ${FAN_OUT} + 1 AS e) AS ev,
              LATERAL (SELECT $5::timestamptz - make_interval(secs => ($6::float8 * (e - $9 + 1) / $8)) AS c) AS t,
              LATERAL (SELECT CASE WHEN i % 100 < 90 THEN 'success' WHEN i % 100 < 95 THEN 'failed' WHEN i % 100 < 97 THEN 'retrying'
                                   WHEN i % 100 < 98 THEN 'pending' ELSE 'cancelled' END::delivery_status AS status,
                              CASE WHEN i % 100 < 90 THEN 1 + i % 2 WHEN i % 100 < 95 THEN 6 WHEN i % 100 < 97 THEN 2 ELSE 0 END AS attempts,
                              CASE WHEN i % 100 < 90 THEN 200 WHEN i % 100 < 97 THEN 500 END AS code) AS s`,
        [app, endpoints, start, end, now, spanMs / 1000, endpoints.length, count, first],
      );
      say(`  ${app}: ${(end - firstDelivery + 1).toLocaleString()} deliveries`);
    }
  }
  say(
    `seeding ${events.toLocaleString()} events and ${ROWS.toLocaleString()} deliveries over ${DAYS} days`,
  );
  await seedEvents(appId, endpointIds, 1, events);
  // The console's search looks across apps: OTHER_APPS more customers, each a tenth of the bench
  // app's volume in all, with endpoints of their own (URLs unlike the bench app's).
  const otherEvents = Math.ceil(events / 10 / OTHER_APPS);
  say(
    `seeding ${OTHER_APPS} other apps, ${(otherEvents * FAN_OUT).toLocaleString()} deliveries each`,
  );
  for (let k = 1; k <= OTHER_APPS; k++) {
    const id = `app_other_${k}`;
    await pool.query("INSERT INTO apps (id, slug, name, updated_at) VALUES ($1, $2, $3, now())", [
      id,
      `other-${k}`,
      `Other ${k}`,
    ]);
    const endpoints = [1, 2, 3].map((n) => `ep_other_${k}_${n}`);
    await pool.query(
      `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at)
       SELECT u.id, $1, 'https://api.customer-' || $3 || '.example.net/webhooks/' || u.n, ARRAY['*'], now()
       FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)`,
      [id, endpoints, k],
    );
    await seedEvents(id, endpoints, events + (k - 1) * otherEvents + 1, otherEvents);
  }
  // A little for the other app, so the log's app filter has something to skip (and the payload
  // index: the same customer id as the selective search's).
  await pool.query(
    `INSERT INTO events (id, app_id, name, payload, created_at)
     SELECT 'msg_q' || i, 'app_quiet', 'x.y', '{"customer": {"id": "cus_012345"}}', now() FROM generate_series(1, 1000) i`,
  );
  const histogram = `ARRAY[${Array.from({ length: LATENCY_BUCKET_COUNT }, (_, i) => (i === 3 ? "a - a / 4 - a / 20" : i === 4 ? "a / 4" : i === 6 ? "a / 20" : "0")).join(", ")}]::int[]`;
  /** The hourly rollups, built again from every seeded delivery. */
  async function buildRollups() {
    say("building the hourly rollups from the seeded deliveries");
    // Emptied, not deleted from: a rebuild's dead rows would double the table the 30-day series
    // reads at 10x, which the server's in-place updates of the same rows never do.
    await pool.query("TRUNCATE delivery_rollups_hourly");
    await pool.query(
      `INSERT INTO delivery_rollups_hourly (app_id, endpoint_id, hour, created, succeeded, failed, attempts, attempts_failed, latency_sum_ms, latency_histogram)
       SELECT app_id, endpoint_id, h, created, succeeded, failed, a, af, a * 85, ${histogram}
       FROM (
         SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS h, count(*)::int AS created,
                (count(*) FILTER (WHERE status = 'success'))::int AS succeeded, (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
                sum(attempt_count)::int AS a, (COALESCE(sum(attempt_count) FILTER (WHERE status <> 'success'), 0) + count(*) FILTER (WHERE status = 'success' AND attempt_count = 2))::int AS af
         FROM deliveries GROUP BY 1, 2, 3) r`,
    );
  }
  await buildRollups();
  if (SUGGESTED) {
    say("creating the suggested indexes");
    await pool.query(
      "CREATE INDEX bench_deliveries_app_status ON deliveries (app_id, status, created_at, id)",
    );
  }
  say("VACUUM ANALYZE");
  await pool.query("VACUUM ANALYZE");
  const { rows: sizes } = await pool.query<{ deliveries: string; rollups: string; size: string }>(
    `SELECT (SELECT count(*) FROM deliveries) AS deliveries, (SELECT count(*) FROM delivery_rollups_hourly) AS rollups,
            pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  say(
    `seeded: ${Number(sizes[0]!.deliveries).toLocaleString()} deliveries, ${Number(sizes[0]!.rollups).toLocaleString()} rollup rows, database ${sizes[0]!.size}`,
  );

  // ------------------------------------------------------------------------------------------
  // Measure
  const app = { id: appId };
  const results: { name: string; median: number; p95: number; max: number; rows: string }[] = [];
  async function time(name: string, fn: () => Promise<string>): Promise<void> {
    let rows = "";
    rows = await fn(); // warm-up (plans, caches)
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      rows = await fn();
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    const at = (q: number) =>
      samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    results.push({ name, median: at(0.5), p95: at(0.95), max: samples[samples.length - 1]!, rows });
  }

  const first = await listDeliveries(app, { limit: 50 });
  const monthAgo = new Date(now.getTime() - spanMs);
  await time(
    "log: first page (limit 50)",
    async () => `${(await listDeliveries(app, { limit: 50 })).data.length} rows`,
  );
  await time(
    "log: first page, status=failed",
    async () => `${(await listDeliveries(app, { limit: 50, status: "failed" })).data.length} rows`,
  );
  await time(
    "log: first page, status=pending (1%)",
    async () => `${(await listDeliveries(app, { limit: 50, status: "pending" })).data.length} rows`,
  );
  await time(
    "log: first page, endpoint_id",
    async () =>
      `${(await listDeliveries(app, { limit: 50, endpoint_id: endpointIds[3] })).data.length} rows`,
  );
  await time(
    "log: first page, event_name",
    async () =>
      `${(await listDeliveries(app, { limit: 50, event_name: "user.deleted" })).data.length} rows`,
  );
  await time(
    "log: first page, 7-day range + status",
    async () =>
      `${(await listDeliveries(app, { limit: 50, status: "failed", start_date: new Date(now.getTime() - 14 * 86_400_000), end_date: new Date(now.getTime() - 7 * 86_400_000) })).data.length} rows`,
  );
  await time(
    "log: second page (cursor)",
    async () =>
      `${(await listDeliveries(app, { limit: 50, cursor: first.nextCursor! })).data.length} rows`,
  );
  await time(
    "log: offset 10000",
    async () => `${(await listDeliveries(app, { limit: 50, offset: 10_000 })).data.length} rows`,
  );
  // Find any event: payload searches (selective, unselective, none matching) and event lookups.
  const search = (text: string, extra: Partial<ListDeliveriesInput> = {}) =>
    listDeliveries(app, { limit: 50, payload: parseFilterText(text), ...extra });
  const rowsOf = async (page: Promise<{ data: unknown[] }>) => `${(await page).data.length} rows`;
  const firstSearchPage = await search('customer.id starts with "cus_"');
  for (const [name, text] of [
    ["search: payload, selective (20 deliveries)", 'customer.id = "cus_012345"'],
    ["search: payload, 0.1% (lines.sku)", 'lines.sku = "sku-7"'],
    ["search: payload, unselective (amount > 0)", "amount > 0"],
    ["search: payload, 25% and a range", 'region = "eu" and amount >= 50000'],
    ["search: payload, no match", 'customer.id = "cus_nobody"'],
    ["search: payload, no match, no = to index", "amount > 100000"],
  ] as const) {
    await time(name, () => rowsOf(search(text)));
  }
  await time("search: payload + status=failed", () =>
    rowsOf(search('region = "eu"', { status: "failed" })),
  );
  await time("search: payload, second page (cursor)", () =>
    rowsOf(search('customer.id starts with "cus_"', { cursor: firstSearchPage.nextCursor! })),
  );
  await time("search: event_id", () =>
    rowsOf(listDeliveries(app, { limit: 50, event_id: "msg_000123457" })),
  );
  await time("search: idempotency_key", () =>
    rowsOf(listDeliveries(app, { limit: 50, idempotency_key: "order-123457" })),
  );
  await time(
    "timeseries: 30 days, hourly",
    async () =>
      `${(await getTimeseries(app, { interval: "hour", start_date: monthAgo, end_date: now })).timeseries.length} points`,
  );
  await time(
    "timeseries: 30 days, hourly, one endpoint",
    async () =>
      `${(await getTimeseries(app, { interval: "hour", start_date: monthAgo, end_date: now, endpoint_id: endpointIds[2] })).timeseries.length} points`,
  );
  await time(
    "timeseries: 30 days, daily",
    async () =>
      `${(await getTimeseries(app, { interval: "day", start_date: monthAgo, end_date: now })).timeseries.length} points`,
  );
  await time("analytics: 30 days, all fields", async () => {
    const a = await getAnalytics(app, { start_date: monthAgo, end_date: now });
    return `${a.total_deliveries} deliveries`;
  });
  await time("stats", async () => `${(await getStats(app)).total_deliveries} deliveries`);
  // The console's "Find anything across apps", through the function its route calls: every app
  // at once, no app filter. Ids of one of the bench app's events (ids are numbered across apps).
  const someEvent = Math.floor(events / 2) + 7;
  const someDeliveryId = (
    await pool.query<{ id: string }>("SELECT id FROM deliveries WHERE event_id = $1 LIMIT 1", [
      `msg_${String(someEvent).padStart(9, "0")}`,
    ])
  ).rows[0]!.id;
  const consoleFinds: [string, FindKind, string][] = [
    ["event id", "event_id", `msg_${String(someEvent).padStart(9, "0")}`],
    ["idempotency key", "idempotency_key", `order-${someEvent}`],
    ["delivery id", "delivery_id", someDeliveryId],
    ["endpoint URL, one endpoint", "endpoint_url", "receiver-3.example.com"],
    ["endpoint URL, every endpoint", "endpoint_url", "https://"],
    ["endpoint URL, no match", "endpoint_url", "nowhere.example.org"],
    ["payload, selective", "payload", 'customer.id = "cus_012345"'],
    ["payload, 0.1% (lines.sku)", "payload", 'lines.sku = "sku-7"'],
    ["payload, unselective (amount > 0)", "payload", "amount > 0"],
    ["payload, no match", "payload", 'customer.id = "cus_nobody"'],
    ["payload, no match, no = to index", "payload", "amount > 100000"],
  ];
  for (const [label, kind, q] of consoleFinds)
    await time(`console find: ${label}`, async () => {
      const { data } = await findAcrossApps({ kind, q });
      return `${data.length} rows, ${new Set(data.map((d) => d.app_id)).size} app(s)`;
    });
  // What the payload index costs ingest: one event row per INSERT (as the trigger writes them)
  // into the events table, and into a copy of it (same rows, indexes and foreign key) without
  // the payload index, the two alternating so that both see the same load.
  say("copying the events table without its payload index");
  await pool.query(
    "CREATE TABLE events_without_payload_index (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)",
  );
  await pool.query("DROP INDEX events_without_payload_index_payload_idx");
  await pool.query(
    "ALTER TABLE events_without_payload_index ADD FOREIGN KEY (app_id) REFERENCES apps (id)",
  );
  await pool.query("INSERT INTO events_without_payload_index SELECT * FROM events");
  await pool.query("VACUUM ANALYZE events_without_payload_index");
  let inserted = 0;
  const insertEvents = async (table: string) => {
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      const n = ++inserted;
      await pool.query(
        `INSERT INTO ${table} (id, app_id, name, payload, idempotency_key) VALUES ($1, $2, 'invoice.paid', $3, $4)`,
        [`msg_ins${n}`, appId, JSON.stringify(samplePayload(n)), `ins-${n}`],
      );
    }
    return performance.now() - started;
  };
  const insertSamples: Record<string, number[]> = { events: [], events_without_payload_index: [] };
  for (let i = 0; i <= RUNS * 2; i++) {
    const order =
      i % 2 === 0
        ? (["events", "events_without_payload_index"] as const)
        : (["events_without_payload_index", "events"] as const);
    for (const table of order) {
      const ms = await insertEvents(table);
      if (i > 0) insertSamples[table]!.push(ms); // the first round warms up
    }
  }
  for (const [table, label] of [
    ["events", "ingest: 100 event INSERTs, payload index"],
    ["events_without_payload_index", "ingest: 100 event INSERTs, no payload index"],
  ] as const) {
    const samples = insertSamples[table]!.sort((x, y) => x - y);
    const at = (q: number) =>
      samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
    results.push({
      name: label,
      median: at(0.5),
      p95: at(0.95),
      max: samples[samples.length - 1]!,
      rows: `${samples.length} x 100 events`,
    });
  }

  const target = (name: string) => results.find((r) => r.name === name)!;
  // What the console's finds searched (before the growth row adds to the log).
  const { rows: total } = await pool.query<{ deliveries: string; apps: string }>(
    "SELECT count(*) AS deliveries, count(DISTINCT app_id) AS apps FROM deliveries",
  );
  // The growth row: the same three reads at GROWTH_FACTOR times the rows, then a day retired.
  const growthLines: string[] = [];
  if (GROWTH) {
    const reads: [string, () => Promise<string>][] = [
      [
        "log: first page (limit 50)",
        async () => `${(await listDeliveries(app, { limit: 50 })).data.length} rows`,
      ],
      // A full first page at both sizes (0.1% of events match), so both read the same page;
      // the selective search's matches grow tenfold with the log (20 rows, then a full page).
      ["search: payload, 0.1% (lines.sku)", () => rowsOf(search('lines.sku = "sku-7"'))],
      [
        "search: payload, selective (20 deliveries)",
        () => rowsOf(search('customer.id = "cus_012345"')),
      ],
      [
        "timeseries: 30 days, hourly",
        async () =>
          `${(await getTimeseries(app, { interval: "hour", start_date: monthAgo, end_date: now })).timeseries.length} points`,
      ],
    ];
    const more = events * (GROWTH_FACTOR - 1);
    say(`growing the log to ${(ROWS * GROWTH_FACTOR).toLocaleString()} deliveries`);
    await seedEvents(appId, endpointIds, events + OTHER_APPS * otherEvents + 1, more);
    await buildRollups();
    say("VACUUM ANALYZE");
    await pool.query("VACUUM ANALYZE");
    const grown = ROWS * GROWTH_FACTOR;
    for (const [name, read] of reads) await time(`${name} at ${GROWTH_FACTOR}x`, read);
    growthLines.push(
      `Growth, ${ROWS.toLocaleString()} -> ${grown.toLocaleString()} deliveries of the bench app (target: at most 1.5x):`,
    );
    for (const [name] of reads) {
      const small = target(name);
      const large = target(`${name} at ${GROWTH_FACTOR}x`);
      const ratio = large.median / small.median;
      growthLines.push(
        `${name}: median ${small.median.toFixed(1)} -> ${large.median.toFixed(1)} ms (${ratio.toFixed(2)}x), p95 ${small.p95.toFixed(1)} -> ${large.p95.toFixed(1)} ms -> ${ratio <= 1.5 ? "within" : "OVER"} 1.5x`,
      );
    }

    // Retire the two oldest periods one at a time, as retention does: the first is partial (the
    // seed's first days), the second a whole week of the grown log.
    const logSize = async () =>
      (
        await pool.query<{ rows: string; bytes: string }>(
          `SELECT (SELECT count(*) FROM deliveries) AS rows,
                  (SELECT COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i
                   WHERE i.inhparent IN ('deliveries'::regclass, 'attempts'::regclass)) AS bytes`,
        )
      ).rows[0]!;
    const before = await logSize();
    for (const period of (await listLogPartitions("deliveries")).ranges.slice(0, 2)) {
      const { rows: inPeriod } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${period.name}`,
      );
      // Meanwhile a reader of the log (one delivery by id, as the delivery path reads it) on a
      // connection of its own: its longest wait is how long retiring held the log.
      const probe = await pool.connect();
      let retiring = true;
      let longestReadMs = 0;
      const reader = (async () => {
        while (retiring) {
          const t = performance.now();
          await probe.query("SELECT 1 FROM deliveries WHERE id = $1", [newId("dlv")]);
          longestReadMs = Math.max(longestReadMs, performance.now() - t);
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
      const started = performance.now();
      const retired = await dropExpiredLogPartitions({
        now: new Date(timeOfId(period.to)! + 86_400_000),
        retentionDays: 1,
      }).finally(() => (retiring = false));
      const retireMs = performance.now() - started;
      await reader;
      probe.release();
      growthLines.push(
        `retire ${period.name} (${Number(inPeriod[0]!.n).toLocaleString()} deliveries; ${retired.dropped.length} partitions with its attempts): ${retireMs.toFixed(0)} ms -> ${retireMs < 1000 ? "under" : "OVER"} the 1 s target; a read of the log waited at most ${longestReadMs.toFixed(1)} ms meanwhile`,
      );
    }
    const after = await logSize();
    const kept = Number(after.rows) / Number(before.rows);
    const shrunk = Number(after.bytes) / Number(before.bytes);
    growthLines.push(
      `the log after it: ${(kept * 100).toFixed(1)}% of the rows in ${(shrunk * 100).toFixed(1)}% of the bytes (${(Number(after.bytes) / 1048576).toFixed(0)} MiB, was ${(Number(before.bytes) / 1048576).toFixed(0)} MiB)`,
    );
  }

  console.log("");
  console.log(
    `Hookline delivery log and analytics, ${ROWS.toLocaleString()} deliveries, ${RUNS} runs each (ms)`,
  );
  console.log(
    `${"query".padEnd(52)} ${"median".padStart(8)} ${"p95".padStart(8)} ${"max".padStart(8)}  result`,
  );
  for (const r of results) {
    console.log(
      `${r.name.padEnd(52)} ${r.median.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.max.toFixed(1).padStart(8)}  ${r.rows}`,
    );
  }
  console.log("");
  for (const name of [
    "log: first page (limit 50)",
    "timeseries: 30 days, hourly",
    ...results.filter((r) => r.name.startsWith("search: payload")).map((r) => r.name),
  ]) {
    const r = target(name);
    console.log(
      `${name}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms -> ${r.p95 < 200 ? "under" : "OVER"} the 200 ms target`,
    );
  }
  console.log("");
  console.log(
    `Console, find across apps (${Number(total[0]!.deliveries).toLocaleString()} deliveries in ${total[0]!.apps} apps), target 300 ms:`,
  );
  for (const r of results.filter((x) => x.name.startsWith("console find: ")))
    console.log(
      `${r.name}: median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms -> ${r.p95 < 300 ? "under" : "OVER"} the 300 ms target (${r.rows})`,
    );
  if (growthLines.length > 0) {
    console.log("");
    for (const line of growthLines) console.log(line);
  }
} finally {
  await db.close();
  await server.stop();
  if (KEEP) console.log(`data kept in ${dir}`);
  else fs.rmSync(dir, { recursive: true, force: true });
}
