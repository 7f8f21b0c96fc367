/**
 * `npm run bench` — how fast Hookline delivers, against its ceiling and against what a user
 * would build instead, all in one run on this machine. See BENCHMARKS.md for the figures.
 *
 * Builds if stale, starts Hookline as `npm start` does (production mode, embedded PostgreSQL,
 * embedded job driver) on a fresh data directory, starts a receiver on 127.0.0.1 in its own
 * process, and measures (every count taken at the receiver or in the log, never from the
 * trigger's response):
 *   2a. ingest alone: POST /events per second and p50/p99 with 32 clients to an app with one
 *       endpoint, nothing queued before (waits until the receiver has every delivery);
 *   1. delivery throughput: events fanned out to 10 endpoints, trigger to recorded 2xx, with the
 *      server's peak RSS;
 *   2b. ingest during delivery: the same figures for the throughput phase's triggers;
 *   2c. Svix message.create: `POST /api/v1/app/{app_id}/msg` as the official clients send it
 *       (a fresh `idempotency-key` each), against the native trigger measured the same way
 *       right before it, each to a fresh app with one endpoint; both rates and the ratio;
 *   3. latency: trigger to receiver p50/p99 at a steady 200 events/s;
 *   4. fan-out: one event to N endpoints: the trigger's own response time, and the time until the
 *      receiver has them all;
 *   4b. filtered fan-out: the same with a payload filter on every endpoint: an event they all
 *      match (the receiver has them all) and one none matches (all N counted as filtered);
 *   7. FIFO beside: ordinary endpoints' throughput alone, then beside 4 busy FIFO endpoints
 *      (bench/lib/fifo-phase.ts; --fifo-deliveries N, default 10,000, --quick 5,000);
 *   8. fairness: app A's one event to N endpoints (--endpoints) while app B triggers 50 events/s
 *      to its one endpoint: B's trigger-to-receiver p50/p99 until A's receiver has all N;
 *   9. soak: `--ingest-clients` producers for --soak-seconds (60, --quick 20) to an app with 10
 *      endpoints whose receiver answers 30 % of requests 500 (retries pile up): the server's peak
 *      RSS during it;
 * then stops the server and, on a fresh embedded PostgreSQL with the same receiver:
 *   5. the ceiling: the same signed bodies POSTed from a keep-alive loop at the same concurrency,
 *      and the same rows written with pg multi-row INSERTs;
 *   6. job queues, one job per delivery, signed and POSTed as the ceiling loop does (undici):
 *      pg-boss, batchSize 50/200 x localConcurrency 4/16; graphile-worker, concurrency 16/32/64 x
 *      localQueue 500/1000 with batched completion; the best of each kept, Hookline's ratio
 *      against the best of all.
 * Prints one table and writes bench/results/<date>.json (the same rows; <date>-b.json and on for later runs that day). Stops everything it
 * started, also on failure or Ctrl-C. A benchmark, not a test: nothing here fails on a slow figure.
 *
 * Options: --quick (a short run: 1,000 ingest events, 5,000 deliveries, 3 s of latency,
 * 2,000 jobs per queue setting, two graphile-worker settings; the fan-out stays at 10,000),
 * --ingest-events N (ingest alone, 10,000), --deliveries N (50,000), --endpoints N (fan-out,
 * 10,000), --concurrency N (delivery concurrency: Hookline's workers, the POST loop, pg-boss's
 * connections), --ingest-clients N (32), --latency-seconds N (10), --latency-rate N (200),
 * --pgboss-deliveries N (as --deliveries), --graphile-deliveries N (as --pgboss-deliveries),
 * --signature-scheme hmac|ed25519|both (how Hookline's benchmark apps sign; default hmac),
 * --phases list (ingest,svix-ingest,throughput,latency,fanout,fanout-filtered,fifo,fairness,soak,
 * ceiling,pgboss,graphile; e.g. --phases fairness,soak runs only rows 8 and 9), --soak-seconds N,
 * --out FILE,
 * --no-write, --keep,
 * --profile (CPU profile of the Next server into bench/profiles/), --memory (what the server's
 * peak RSS consists of: V8 heap, external buffers, the rest), --waits (sample what the
 * server's database sessions wait on during the throughput and fairness phases), --pg-stats (restart the
 * embedded PostgreSQL with pg_stat_statements and print the costliest statements per phase),
 * --log-days N (make the delivery log's partitions N days ahead before the run, so the planner
 * sees as many partitions as N days of retention keep; a fresh database has three to five).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { ensureBuilt } from "../scripts/build";
import { encryptSecret, generateSigningSecret } from "@/lib/crypto/secrets";
import { generateEd25519KeyPair } from "@/lib/crypto/ed25519-keys";
import { createDatabase, setDb } from "@/lib/db/client";
import { poolConfigFromUrl } from "@/lib/db/url";
import { ensureLogPartitions } from "@/lib/delivery-log/partitions";
import { newId } from "@/lib/ids";
import { installSignalHandlers, onCleanup, runCleanups } from "./lib/cleanup";
import { describeCpu, measureCpu, type CpuReport } from "./lib/cpu";
import {
  contenderDataDir,
  GRAPHILE_CONFIGS,
  GRAPHILE_QUICK_CONFIGS,
  graphilePoolSize,
  graphileRun,
  httpCeiling,
  pgBossRun,
  pgCeiling,
  PGBOSS_CONFIGS,
  startContenderDatabase,
  startGraphileWorker,
  startPgBoss,
  type GraphileResult,
  type HttpCeilingResult,
  type PgBossResult,
  type PgCeilingResult,
  type QueueRunResult,
} from "./lib/contenders";
import { fifoPhase, type FifoResult } from "./lib/fifo-phase";
import { ROOT, startHookline, type HooklineServer } from "./lib/hookline";
import { startReceiver, type ReceiverProcess } from "./lib/receiver-client";
import { EVENT_NAME, FAN_OUT, now, percentile, pool, samplePayload, sleep } from "./lib/workload";

// ---------------------------------------------------------------------------------------------
// Options

const PHASES = [
  "ingest",
  "svix-ingest",
  "throughput",
  "latency",
  "fanout",
  "fanout-filtered",
  "fifo",
  "fairness",
  "soak",
  "ceiling",
  "pgboss",
  "graphile",
] as const;
type Phase = (typeof PHASES)[number];

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    deliveries: { type: "string" },
    endpoints: { type: "string" },
    concurrency: { type: "string" },
    "ingest-clients": { type: "string" },
    "ingest-events": { type: "string" },
    "latency-seconds": { type: "string" },
    "latency-rate": { type: "string" },
    "pgboss-deliveries": { type: "string" },
    "graphile-deliveries": { type: "string" },
    "fifo-deliveries": { type: "string" },
    "soak-seconds": { type: "string" },
    "signature-scheme": { type: "string" },
    phases: { type: "string" },
    out: { type: "string" },
    "no-write": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    memory: { type: "boolean", default: false },
    waits: { type: "boolean", default: false },
    "pg-stats": { type: "boolean", default: false },
    "log-days": { type: "string" },
    help: { type: "boolean", default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(fs.readFileSync(import.meta.filename, "utf8").split("*/")[0]);
  process.exit(0);
}

function int(name: keyof typeof args, fallback: number, min = 1): number {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    console.error(`bench: --${name} must be a whole number >= ${min} (got ${String(raw)})`);
    process.exit(2);
  }
  return n;
}

const quick = args.quick;
const options = {
  quick,
  deliveries: int("deliveries", quick ? 5_000 : 50_000, FAN_OUT),
  endpoints: int("endpoints", 10_000),
  concurrency: int("concurrency", 32),
  ingestClients: int("ingest-clients", 32),
  ingestEvents: int("ingest-events", quick ? 1_000 : 10_000),
  latencySeconds: int("latency-seconds", quick ? 3 : 10),
  latencyRate: int("latency-rate", 200),
  pgbossDeliveries: int("pgboss-deliveries", 0, 0),
  graphileDeliveries: int("graphile-deliveries", 0, 0),
  fifoDeliveries: int("fifo-deliveries", quick ? 5_000 : 10_000, FAN_OUT),
  soakSeconds: int("soak-seconds", quick ? 20 : 60),
  phases: (args.phases ?? PHASES.join(",")).split(",").map((p) => p.trim()) as Phase[],
  signatureScheme: args["signature-scheme"] ?? "hmac",
};
if (!["hmac", "ed25519", "both"].includes(options.signatureScheme)) {
  console.error(
    `bench: --signature-scheme must be hmac, ed25519 or both (got ${options.signatureScheme})`,
  );
  process.exit(2);
}
options.pgbossDeliveries ||= quick ? Math.min(2_000, options.deliveries) : options.deliveries;
options.graphileDeliveries ||= options.pgbossDeliveries;
for (const p of options.phases) {
  if (!PHASES.includes(p)) {
    console.error(`bench: unknown phase "${p}" (phases: ${PHASES.join(", ")})`);
    process.exit(2);
  }
}
const runs = (p: Phase) => options.phases.includes(p);
/** Every phase but those that run without Hookline (its ceiling, the job queues). */
const runsHookline = PHASES.filter((p) => !["ceiling", "pgboss", "graphile"].includes(p)).some(
  runs,
);

const t0 = now();
const say = (msg: string) =>
  console.log(`[${((now() - t0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const mb = (bytes: number | null) =>
  bytes === null ? null : Math.round((bytes / 1024 / 1024) * 10) / 10;
const round = (n: number | null, digits = 1) =>
  n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits;

// ---------------------------------------------------------------------------------------------
// Results

interface Results {
  throughput?: {
    deliveries: number;
    events: number;
    seconds: number;
    perSecond: number;
    receiverSeconds: number;
    received: number;
    duplicates: number;
    recorded: { success: number; attempts: number; other: number };
    peakRssMb: number | null;
    steadyPerSecond: number | null;
    cpu: CpuReport | null;
  };
  /** Ingest (a): one endpoint per event, no backlog; with the deliveries it caused, counted at the receiver. */
  ingestAlone?: IngestResult & { received: number; duplicates: number; deliveredSeconds: number };
  /** Ingest (b): the throughput phase's triggers, while delivery runs. */
  ingestDuringDelivery?: IngestResult;
  /** Ingest (c): Svix `message.create` against the native trigger, measured alike back to back. */
  svixIngest?: { native: IngestResult; svix: IngestResult; ratio: number };
  latency?: {
    rate: number;
    seconds: number;
    events: number;
    received: number;
    duplicates: number;
    p50Ms: number | null;
    p99Ms: number | null;
    maxMs: number | null;
    triggerP50Ms: number | null;
    triggerP99Ms: number | null;
    achievedRate: number;
  };
  fanout?: {
    endpoints: number;
    setupSeconds: number;
    triggerMs: number;
    receiverSeconds: number;
    recordedSeconds: number | null;
    received: number;
    duplicates: number;
    cpu: CpuReport | null;
  };
  /** Every endpoint with a payload filter: one event all match, then one none matches. */
  fanoutFiltered?: {
    endpoints: number;
    triggerMs: number;
    receiverSeconds: number;
    filteredTriggerMs: number;
    filteredSeconds: number;
  };
  fifo?: FifoResult;
  /** App B's deliveries while app A's one event fans out to `endpoints`. */
  fairness?: {
    endpoints: number;
    bEvents: number;
    bP50Ms: number | null;
    bP99Ms: number | null;
    bMaxMs: number | null;
    /** B's triggers' own response times: what of B's latency is the answer, not the delivery. */
    bTriggerP99Ms: number | null;
    aSeconds: number;
  };
  /** Producers for a while against a receiver failing 30 % of requests. */
  soak?: {
    seconds: number;
    clients: number;
    events: number;
    requests: number;
    peakRssMb: number | null;
  };
  peakRssMb?: number | null;
  ceiling?: { http: HttpCeilingResult[]; pg: PgCeilingResult[] };
  pgboss?: PgBossResult[];
  graphile?: GraphileResult[];
}

interface IngestResult {
  events: number;
  clients: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
}

const results: Results = {};
/** The temporary folder of this run (data directories, logs); removed at the end unless --keep. */
let dataRoot = "";

// ---------------------------------------------------------------------------------------------
// Hookline phases

interface AppInfo {
  id: string;
  slug: string;
}

async function createApp(server: HooklineServer, slug: string): Promise<AppInfo> {
  const scheme =
    options.signatureScheme === "hmac" ? {} : { signature_scheme: options.signatureScheme };
  const res = await server.api<{ id: string; slug: string }>("POST", "/api/v1/apps", {
    slug,
    name: slug,
    ...scheme,
  });
  if (res.status !== 201)
    throw new Error(`creating app ${slug}: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return { id: res.json.id, slug: res.json.slug };
}

async function createEndpoints(
  server: HooklineServer,
  app: AppInfo,
  urls: string[],
  parallel: number,
  progress?: (done: number) => void,
) {
  let done = 0;
  await pool(urls.length, parallel, async (i) => {
    const res = await server.api("POST", `/api/v1/apps/${app.slug}/endpoints`, {
      url: urls[i],
      subscriptions: ["order.*"],
    });
    if (res.status !== 201)
      throw new Error(
        `creating endpoint ${urls[i]}: HTTP ${res.status} ${JSON.stringify(res.json)}`,
      );
    done++;
    if (progress && done % 1_000 === 0) progress(done);
  });
}

/** One trigger; resolves with the HTTP status (the response's fields are not relied on: counts come from the receiver and the log). */
async function trigger(server: HooklineServer, app: AppInfo, payload: unknown): Promise<number> {
  return (
    await server.api("POST", `/api/v1/apps/${app.slug}/events`, { event_name: EVENT_NAME, payload })
  ).status;
}

/** Successful outcomes recorded for an app (the hourly rollups, written in the same statement as each outcome). */
async function recordedSuccesses(db: pg.Pool, appId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT COALESCE(sum(succeeded), 0)::int AS n FROM delivery_rollups_hourly WHERE app_id = $1",
    [appId],
  );
  return rows[0]!.n;
}

/** Polls until `target` outcomes are recorded; returns the epoch ms when seen, or null on timeout. */
async function waitForRecorded(
  db: pg.Pool,
  appId: string,
  target: number,
  timeoutMs: number,
  everyMs = 50,
): Promise<number | null> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if ((await recordedSuccesses(db, appId)) >= target) return now();
    await sleep(everyMs);
  }
  return null;
}

async function warmUp(server: HooklineServer, receiver: ReceiverProcess, db: pg.Pool) {
  // A fresh server compiles its routes and plans its statements on first use; warm both up.
  const app = await createApp(server, "warmup");
  await createEndpoints(
    server,
    app,
    Array.from({ length: FAN_OUT }, (_, i) => `${receiver.url("w")}/${i}`),
    4,
  );
  const events = Math.max(20, Math.min(300, Math.floor(options.deliveries / FAN_OUT / 20)));
  await pool(events, 8, async (i) => void (await trigger(server, app, samplePayload(i))));
  if ((await waitForRecorded(db, app.id, events * FAN_OUT, 60_000)) === null)
    throw new Error("warm-up deliveries did not complete within 60 s");
}

/** What an ingest run POSTs: the native trigger by default. */
interface IngestTarget {
  path: string;
  body: string;
  /** A fresh `idempotency-key` on every request, as the official Svix clients send. */
  idempotencyKeys?: boolean;
  /** Build each request apart (what `idempotencyKeys` needs), so runs compared with it pay the same. */
  perRequest?: boolean;
}

const nativeTrigger = (app: AppInfo): IngestTarget => ({
  path: `/api/v1/apps/${app.slug}/events`,
  body: JSON.stringify({ event_name: EVENT_NAME, payload: samplePayload(1) }),
});

/** `events` triggers by autocannon (`--ingest-clients` connections); rate over the whole batch, p50/p99 from autocannon. */
async function ingestRun(
  server: HooklineServer,
  app: AppInfo,
  events: number,
  label: string,
  target: IngestTarget = nativeTrigger(app),
): Promise<IngestResult> {
  const clients = Math.min(options.ingestClients, events);
  let sent = 0;
  const started = now();
  const ingest = await autocannon({
    url: `${server.url}${target.path}`,
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: target.body,
    connections: clients,
    amount: events,
    timeout: 60,
    ...((target.perRequest || target.idempotencyKeys) && {
      requests: [
        {
          setupRequest: (req) =>
            target.idempotencyKeys
              ? { ...req, headers: { ...req.headers, "idempotency-key": `auto_bench_${sent++}` } }
              : req,
        },
      ],
    }),
  });
  const seconds = (now() - started) / 1000;
  const result: IngestResult = {
    events,
    clients,
    perSecond: events / seconds,
    p50Ms: ingest.latency.p50,
    p99Ms: ingest.latency.p99,
    maxMs: ingest.latency.max,
    non2xx: ingest.non2xx,
    errors: ingest.errors + ingest.timeouts,
  };
  say(
    `  ingest ${label}: ${Math.round(result.perSecond).toLocaleString()} events/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.non2xx} non-2xx, ${result.errors} errors)`,
  );
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`ingest ${label}: ${result.non2xx} non-2xx responses, ${result.errors} errors`);
  return result;
}

/**
 * Ingest (a): `--ingest-events` triggers to an app with one endpoint, nothing queued before; then
 * waits until the receiver has every delivery, so the next phase starts without a backlog.
 */
async function ingestPhase(server: HooklineServer, receiver: ReceiverProcess) {
  const app = await createApp(server, "ingest");
  await createEndpoints(server, app, [`${receiver.url("i")}/0`], 1);
  await receiver.reset("i");
  const events = options.ingestEvents;
  say(
    `ingest: ${events.toLocaleString()} events to 1 endpoint, ${Math.min(options.ingestClients, events)} clients, no backlog`,
  );
  const started = now();
  const ingest = await ingestRun(server, app, events, "alone");
  const stats = await receiver.waitForUnique("i", events, Math.max(60_000, events * 20));
  if (!stats.reachedTarget)
    throw new Error(
      `ingest: the receiver had ${stats.unique} of ${events} deliveries after the time limit`,
    );
  results.ingestAlone = {
    ...ingest,
    received: stats.unique,
    duplicates: stats.duplicates,
    deliveredSeconds: (stats.lastUniqueAt! - started) / 1000,
  };
  say(
    `  the receiver had all ${events.toLocaleString()} deliveries ${results.ingestAlone.deliveredSeconds.toFixed(2)} s after the first trigger (${stats.duplicates} duplicates)`,
  );
  if (stats.duplicates > 0) throw new Error(`ingest: ${stats.duplicates} duplicate deliveries`);
}

/**
 * Ingest (c): the native trigger, then Svix's `message.create` as the official clients send it
 * (a fresh `idempotency-key` each), each to a fresh app with one endpoint, built per request
 * alike; after each, waits until the receiver has every delivery.
 */
async function svixIngestPhase(server: HooklineServer, receiver: ReceiverProcess) {
  const events = options.ingestEvents;
  say(`svix ingest: ${events.toLocaleString()} messages vs native triggers, 1 endpoint each`);
  const run = async (kind: "native" | "svix") => {
    let app: AppInfo;
    if (kind === "native") app = await createApp(server, "ingest-native");
    else {
      const res = await server.api<{ id: string }>("POST", "/api/v1/app", { name: "svix ingest" });
      if (res.status !== 201)
        throw new Error(`creating a Svix app: HTTP ${res.status} ${JSON.stringify(res.json)}`);
      app = { id: res.json.id, slug: res.json.id }; // a Svix-made app's slug is its id
    }
    const tag = kind === "native" ? "n" : "s";
    await createEndpoints(server, app, [`${receiver.url(tag)}/0`], 1);
    await receiver.reset(tag);
    const target: IngestTarget =
      kind === "native"
        ? { ...nativeTrigger(app), perRequest: true }
        : {
            path: `/api/v1/app/${app.id}/msg`,
            body: JSON.stringify({ eventType: EVENT_NAME, payload: samplePayload(1) }),
            idempotencyKeys: true,
          };
    const result = await ingestRun(
      server,
      app,
      events,
      kind === "native" ? "native" : "svix message.create",
      target,
    );
    const stats = await receiver.waitForUnique(tag, events, Math.max(60_000, events * 20));
    if (!stats.reachedTarget)
      throw new Error(
        `svix ingest (${kind}): the receiver had ${stats.unique} of ${events} deliveries`,
      );
    return result;
  };
  const native = await run("native");
  const svix = await run("svix");
  results.svixIngest = { native, svix, ratio: svix.perSecond / native.perSecond };
  say(`  svix message.create = ${results.svixIngest.ratio.toFixed(2)} x the native trigger`);
}

async function throughputPhase(server: HooklineServer, receiver: ReceiverProcess, db: pg.Pool) {
  const app = await createApp(server, "throughput");
  await createEndpoints(
    server,
    app,
    Array.from({ length: FAN_OUT }, (_, i) => `${receiver.url("t")}/${i}`),
    4,
  );
  const events = Math.ceil(options.deliveries / FAN_OUT);
  const deliveries = events * FAN_OUT;
  await receiver.reset("t");
  say(
    `throughput + ingest: ${events.toLocaleString()} events x ${FAN_OUT} endpoints = ${deliveries.toLocaleString()} deliveries, ${options.ingestClients} clients`,
  );
  const waits = args.waits ? sampleWaits(server.databaseUrl) : undefined;
  const cpu = measureCpu({
    server: server.serverPid,
    postgres: server.postgresPid ?? undefined,
    receiver: receiver.pid,
  });
  const started = now();
  results.ingestDuringDelivery = await ingestRun(server, app, events, "during delivery");

  const recordedAt = await waitForRecorded(
    db,
    app.id,
    deliveries,
    Math.max(120_000, deliveries * 10),
  );
  if (recordedAt === null)
    throw new Error(
      `throughput: only ${await recordedSuccesses(db, app.id)} of ${deliveries} deliveries recorded in time`,
    );
  const stats = await receiver.waitForUnique("t", deliveries, 10_000);
  const seconds = (recordedAt - started) / 1000;
  const cpuReport = cpu.stop();
  if (waits) await waits.stop();
  const { rows } = await db.query<{ success: number; other: number; attempts: number }>(
    `SELECT (SELECT count(*) FROM deliveries WHERE app_id = $1 AND status = 'success')::int AS success,
            (SELECT count(*) FROM deliveries WHERE app_id = $1 AND status <> 'success')::int AS other,
            (SELECT count(*) FROM all_attempts WHERE app_id = $1)::int AS attempts`,
    [app.id],
  );
  // The middle of the run, without the ramp-up and the tail: new deliveries per second at the receiver.
  const perSecond = stats.perSecond.slice(1, -1);
  const steady =
    perSecond.length >= 3
      ? [...perSecond].sort((a, b) => a - b)[Math.floor(perSecond.length / 2)]!
      : null;
  results.throughput = {
    deliveries,
    events,
    seconds,
    perSecond: deliveries / seconds,
    receiverSeconds: (stats.lastUniqueAt! - started) / 1000,
    received: stats.unique,
    duplicates: stats.duplicates,
    recorded: rows[0]!,
    peakRssMb: mb(server.peakRss()),
    steadyPerSecond: steady,
    cpu: cpuReport,
  };
  say(
    `  delivered and recorded ${deliveries.toLocaleString()} in ${seconds.toFixed(2)} s = ${Math.round(deliveries / seconds).toLocaleString()}/s ` +
      `(receiver: ${stats.unique.toLocaleString()} unique, ${stats.duplicates} duplicates; median second ${steady ?? "-"}/s); peak RSS ${results.throughput.peakRssMb} MB`,
  );
  say(`  ${describeCpu(cpuReport)}`);
  if (
    stats.unique !== deliveries ||
    rows[0]!.success !== deliveries ||
    rows[0]!.attempts !== deliveries
  ) {
    throw new Error(
      `throughput: counts disagree (receiver ${stats.unique}, success ${rows[0]!.success}, attempts ${rows[0]!.attempts}, expected ${deliveries})`,
    );
  }
}

/** Samples pg_stat_activity every 20 ms and prints what active sessions were doing or waiting on. */
function sampleWaits(url: string) {
  const client = new pg.Client(poolConfigFromUrl(url));
  const counts = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ w: string; q: string; state: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w, state, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 60) AS q
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      samples++;
      for (const r of rows) {
        const key = r.state === "active" ? `${r.w.padEnd(28)} ${r.q}` : `${r.state}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      await sleep(20);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop.catch(() => {});
      await client.end().catch(() => {});
      console.log(`  database sessions over ${samples} samples (average sessions per sample):`);
      for (const [k, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 20))
        console.log(`    ${(n / samples).toFixed(2).padStart(6)}  ${k}`);
    },
  };
}

async function latencyPhase(server: HooklineServer, receiver: ReceiverProcess) {
  const app = await createApp(server, "latency");
  await createEndpoints(server, app, [`${receiver.url("l")}/0`], 1);
  await receiver.reset("l");
  const rate = options.latencyRate;
  const total = rate * options.latencySeconds;
  say(`latency: ${total.toLocaleString()} events at ${rate}/s to 1 endpoint`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const body = (t: number) => JSON.stringify({ event_name: EVENT_NAME, payload: { t } });
  const triggerMs: number[] = [];
  let failures = 0;
  let sent = 0;
  const inFlight = new Set<Promise<void>>();
  const send = () => {
    const t = now();
    const data = body(t);
    const p = new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/api/v1/apps/${app.slug}/events`, {
        method: "POST",
        agent,
        headers: {
          authorization: `Bearer ${server.apiKey}`,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(data)),
        },
      });
      req.setTimeout(30_000, () => req.destroy(new Error("timeout")));
      req.on("error", () => {
        failures++;
        resolve();
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => {
          if (res.statusCode !== 202) failures++;
          triggerMs.push(now() - t);
          resolve();
        });
      });
      req.end(data);
    });
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  };
  // Open loop: the n-th event goes out at start + n/rate, whatever the responses do.
  const start = now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - start) / 1000) * rate) + 1);
    while (sent < due) {
      send();
      sent++;
    }
    await sleep(1);
  }
  const sendSeconds = (now() - start) / 1000;
  await Promise.all(inFlight);
  agent.destroy();
  const stats = await receiver.waitForUnique("l", total - failures, 30_000);
  const lat = [...(stats.latencies ?? [])].sort((a, b) => a - b);
  const trig = triggerMs.sort((a, b) => a - b);
  results.latency = {
    rate,
    seconds: options.latencySeconds,
    events: total,
    received: stats.unique,
    duplicates: stats.duplicates,
    p50Ms: round(percentile(lat, 0.5)),
    p99Ms: round(percentile(lat, 0.99)),
    maxMs: round(lat.at(-1) ?? null),
    triggerP50Ms: round(percentile(trig, 0.5)),
    triggerP99Ms: round(percentile(trig, 0.99)),
    achievedRate: total / sendSeconds,
  };
  say(
    `  trigger to receiver p50 ${results.latency.p50Ms} ms, p99 ${results.latency.p99Ms} ms (trigger API p50 ${results.latency.triggerP50Ms} ms); received ${stats.unique}/${total}`,
  );
  if (failures > 0 || stats.unique !== total)
    throw new Error(`latency: ${failures} triggers failed, ${stats.unique}/${total} received`);
}

/**
 * The fan-out app's endpoints: the first through the API (catalog, audit, secret as usual), the
 * rest copied from it in SQL with their own signing secrets, encrypted with the server's key, as
 * the API would store them (10,000 API calls would take longer than the measurement).
 */
async function seedFanoutEndpoints(
  server: HooklineServer,
  db: pg.Pool,
  app: AppInfo,
  n: number,
  url: (i: number) => string,
  extra: Record<string, unknown> = {},
) {
  const first = await server.api<{ id: string }>("POST", `/api/v1/apps/${app.slug}/endpoints`, {
    url: url(0),
    subscriptions: ["order.*"],
    ...extra,
  });
  if (first.status !== 201)
    throw new Error(`creating the first fan-out endpoint: HTTP ${first.status}`);
  const master = fs.readFileSync(path.join(server.dataDir, "secret"), "utf8").trim();
  for (let start = 1; start < n; start += 2_000) {
    const ids: string[] = [];
    const urls: string[] = [];
    const secretIds: string[] = [];
    const secrets: string[] = [];
    for (let i = start; i < Math.min(n, start + 2_000); i++) {
      ids.push(newId("ep"));
      urls.push(url(i));
      secretIds.push(newId("sec"));
      secrets.push(encryptSecret(generateSigningSecret(), master));
    }
    await db.query(
      `WITH e AS (
         INSERT INTO endpoints (id, app_id, url, description, headers, is_active, max_retries, timeout_seconds, subscriptions, channels, rate_limit, filter, filter_path, created_at, updated_at)
         SELECT u.id, f.app_id, u.url, f.description, f.headers, f.is_active, f.max_retries, f.timeout_seconds, f.subscriptions, f.channels, f.rate_limit, f.filter, f.filter_path, now(), now()
         FROM endpoints f, unnest($2::text[], $3::text[]) AS u(id, url) WHERE f.id = $1
         RETURNING id)
       INSERT INTO endpoint_secrets (id, endpoint_id, secret_encrypted)
       SELECT s.id, s.endpoint_id, s.enc FROM unnest($4::text[], $2::text[], $5::text[]) AS s(id, endpoint_id, enc) JOIN e ON e.id = s.endpoint_id`,
      [first.json.id, ids, urls, secretIds, secrets],
    );
    if (options.signatureScheme !== "hmac") {
      // The Ed25519 key pair each endpoint of such an app gets from the API.
      const pairs = ids.map(() => generateEd25519KeyPair());
      await db.query(
        `INSERT INTO endpoint_secrets (id, endpoint_id, kind, secret_encrypted, public_key)
         SELECT s.id, s.endpoint_id, 'ed25519', s.enc, s.pk FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS s(id, endpoint_id, enc, pk)`,
        [
          ids.map(() => newId("sec")),
          ids,
          pairs.map((p) => encryptSecret(p.signingKey, master)),
          pairs.map((p) => p.publicKey),
        ],
      );
    }
  }
}

async function fanoutPhase(server: HooklineServer, receiver: ReceiverProcess, db: pg.Pool) {
  const n = options.endpoints;
  const app = await createApp(server, "fanout");
  say(
    `fan-out: ${n.toLocaleString()} endpoints (the first through the API, the rest copied in SQL)`,
  );
  const setupStart = now();
  await seedFanoutEndpoints(server, db, app, n, (i) => `${receiver.url("f")}/${i}`);
  const setupSeconds = (now() - setupStart) / 1000;
  await receiver.reset("f");
  await sleep(500); // let the server settle after the setup
  const cpu = measureCpu({
    server: server.serverPid,
    postgres: server.postgresPid ?? undefined,
    receiver: receiver.pid,
  });
  const started = now();
  const status = await trigger(server, app, samplePayload(42));
  const triggerMs = now() - started;
  if (status !== 202) throw new Error(`fan-out trigger: HTTP ${status}`);
  const stats = await receiver.waitForUnique("f", n, Math.max(120_000, n * 20));
  if (!stats.reachedTarget)
    throw new Error(`fan-out: the receiver had ${stats.unique} of ${n} after the time limit`);
  const recordedAt = await waitForRecorded(db, app.id, n, 60_000, 20);
  const cpuReport = cpu.stop();
  results.fanout = {
    endpoints: n,
    setupSeconds,
    triggerMs,
    receiverSeconds: (stats.lastUniqueAt! - started) / 1000,
    recordedSeconds: recordedAt === null ? null : (recordedAt - started) / 1000,
    received: stats.unique,
    duplicates: stats.duplicates,
    cpu: cpuReport,
  };
  say(
    `  one event to ${n.toLocaleString()} endpoints: trigger answered in ${Math.round(triggerMs)} ms, receiver had all after ${results.fanout.receiverSeconds.toFixed(2)} s` +
      `, recorded after ${results.fanout.recordedSeconds?.toFixed(2) ?? "-"} s (${stats.duplicates} duplicates)`,
  );
  say(`  ${describeCpu(cpuReport)}`);
  if (stats.duplicates > 0) throw new Error(`fan-out: ${stats.duplicates} duplicate deliveries`);
}

/** Events a payload filter kept from an app's endpoints (the rollups, written by the fan-out statement). */
async function recordedFiltered(db: pg.Pool, appId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT COALESCE(sum(filtered), 0)::int AS n FROM delivery_rollups_hourly WHERE app_id = $1",
    [appId],
  );
  return rows[0]!.n;
}

/**
 * 4b: N endpoints, each with a payload filter of four conditions (set through the API on the first,
 * copied with the rest). An event they all match: trigger to the receiver having all N. Then one
 * none matches: trigger to all N counted as filtered (no delivery made).
 */
async function filteredFanoutPhase(server: HooklineServer, receiver: ReceiverProcess, db: pg.Pool) {
  const n = options.endpoints;
  const app = await createApp(server, "fanout-filtered");
  say(`filtered fan-out: ${n.toLocaleString()} endpoints, each with a payload filter`);
  const filter =
    'amount >= 1000 and currency in ["EUR", "GBP"] and customer.id starts with "cus_" and not (items.sku = "SKU-BANNED")';
  await seedFanoutEndpoints(server, db, app, n, (i) => `${receiver.url("ff")}/${i}`, { filter });
  await receiver.reset("ff");
  await sleep(500);
  let started = now();
  const status = await trigger(server, app, samplePayload(43));
  const triggerMs = now() - started;
  if (status !== 202) throw new Error(`filtered fan-out trigger: HTTP ${status}`);
  const stats = await receiver.waitForUnique("ff", n, Math.max(120_000, n * 20));
  if (!stats.reachedTarget)
    throw new Error(
      `filtered fan-out: the receiver had ${stats.unique} of ${n} after the time limit`,
    );
  const receiverSeconds = (stats.lastUniqueAt! - started) / 1000;

  started = now();
  const unmatched = await trigger(server, app, { ...samplePayload(44), currency: "USD" });
  const filteredTriggerMs = now() - started;
  if (unmatched !== 202) throw new Error(`filtered fan-out trigger: HTTP ${unmatched}`);
  const deadline = now() + 120_000;
  while ((await recordedFiltered(db, app.id)) < n && now() < deadline) await sleep(20);
  const filteredSeconds = (now() - started) / 1000;
  if ((await recordedFiltered(db, app.id)) !== n)
    throw new Error(
      `filtered fan-out: ${await recordedFiltered(db, app.id)} of ${n} counted as filtered`,
    );
  results.fanoutFiltered = {
    endpoints: n,
    triggerMs,
    receiverSeconds,
    filteredTriggerMs,
    filteredSeconds,
  };
  say(
    `  every endpoint matching: trigger ${Math.round(triggerMs)} ms, receiver had all after ${receiverSeconds.toFixed(2)} s; ` +
      `none matching: trigger ${Math.round(filteredTriggerMs)} ms, all ${n.toLocaleString()} counted filtered after ${filteredSeconds.toFixed(2)} s`,
  );
}

/**
 * 8: app A's one event to N endpoints (seeded as in row 4); meanwhile app B sends 50 events/s to
 * its one endpoint (an open loop, `t` in the payload) until A's receiver has all N. B's
 * trigger-to-receiver latencies show whether A's fan-out and backlog queue B behind them. B's
 * receiver is a process of its own, as B's customer's server is not A's customers': in one
 * process B's requests would wait in line behind A's 10,000 at the receiver, not in Hookline.
 */
async function fairnessPhase(server: HooklineServer, receiver: ReceiverProcess, db: pg.Pool) {
  const n = options.endpoints;
  const a = await createApp(server, "fair-a");
  const b = await createApp(server, "fair-b");
  const bReceiver = await startReceiver();
  try {
    await fairnessRun(server, receiver, bReceiver, db, a, b, n);
  } finally {
    await bReceiver.stop();
  }
}

async function fairnessRun(
  server: HooklineServer,
  receiver: ReceiverProcess,
  bReceiver: ReceiverProcess,
  db: pg.Pool,
  a: AppInfo,
  b: AppInfo,
  n: number,
) {
  say(`fairness: app A's event to ${n.toLocaleString()} endpoints, app B 50 events/s meanwhile`);
  await seedFanoutEndpoints(server, db, a, n, (i) => `${receiver.url("fa")}/${i}`);
  await createEndpoints(server, b, [`${bReceiver.url("lfb")}/0`], 1);
  await receiver.reset("fa");
  await bReceiver.reset("lfb");
  await sleep(500);
  const waits = args.waits ? sampleWaits(server.databaseUrl) : undefined;
  const started = now();
  if ((await trigger(server, a, samplePayload(7))) !== 202)
    throw new Error("fairness: A's trigger");
  const aDone = receiver.waitForUnique("fa", n, Math.max(120_000, n * 20));
  let aFinished = false;
  void aDone.then(() => (aFinished = true));
  let bEvents = 0;
  const sends: Promise<number>[] = [];
  const triggerMs: number[] = [];
  while (!aFinished) {
    const sentAt = now();
    sends.push(
      trigger(server, b, { t: sentAt }).then((status) => {
        triggerMs.push(now() - sentAt);
        return status;
      }),
    );
    bEvents++;
    await sleep(20);
  }
  const aStats = await aDone;
  await waits?.stop();
  if (!aStats.reachedTarget)
    throw new Error(`fairness: A's receiver had ${aStats.unique} of ${n} after the time limit`);
  const failed = (await Promise.all(sends)).filter((status) => status !== 202).length;
  if (failed > 0) throw new Error(`fairness: ${failed} of B's triggers were not accepted`);
  const bStats = await bReceiver.waitForUnique("lfb", bEvents, 30_000);
  if (!bStats.reachedTarget)
    throw new Error(`fairness: B's receiver had ${bStats.unique} of ${bEvents} in time`);
  const lat = [...(bStats.latencies ?? [])].sort((x, y) => x - y);
  results.fairness = {
    endpoints: n,
    bEvents,
    bP50Ms: round(percentile(lat, 0.5)),
    bP99Ms: round(percentile(lat, 0.99)),
    bMaxMs: round(lat.at(-1) ?? null),
    bTriggerP99Ms: round(
      percentile(
        triggerMs.sort((x, y) => x - y),
        0.99,
      ),
    ),
    aSeconds: (aStats.lastUniqueAt! - started) / 1000,
  };
  say(
    `  B's ${bEvents} deliveries meanwhile: p50 ${fmt(results.fairness.bP50Ms, 1)} ms, p99 ${fmt(results.fairness.bP99Ms, 1)} ms, max ${fmt(results.fairness.bMaxMs, 1)} ms (B's triggers answered p99 ${fmt(results.fairness.bTriggerP99Ms, 1)} ms); A's receiver had all after ${results.fairness.aSeconds.toFixed(2)} s`,
  );
}

/**
 * 9: `--ingest-clients` producers for `--soak-seconds` to an app with 10 endpoints whose receiver
 * answers 30 % of requests 500 (with a 1 KB body): failures, retries and their attempt records
 * pile up. The server's peak RSS during it.
 */
async function soakPhase(server: HooklineServer, receiver: ReceiverProcess) {
  const app = await createApp(server, "soak");
  await createEndpoints(
    server,
    app,
    Array.from({ length: FAN_OUT }, (_, i) => `${receiver.url("e")}/${i}`),
    4,
  );
  await receiver.reset("e");
  const seconds = options.soakSeconds;
  const clients = options.ingestClients;
  say(`soak: ${clients} clients for ${seconds} s, ${FAN_OUT} endpoints, 30 % receiver errors`);
  let peak = server.rss() ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, server.rss() ?? 0)), 250);
  try {
    const run = await autocannon({
      url: `${server.url}/api/v1/apps/${app.slug}/events`,
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ event_name: EVENT_NAME, payload: samplePayload(9) }),
      connections: clients,
      duration: seconds,
      timeout: 60,
    });
    const stats = await receiver.stats("e");
    results.soak = {
      seconds,
      clients,
      events: run.requests.total,
      requests: stats.requests,
      peakRssMb: mb(peak),
    };
    say(
      `  ${fmt(run.requests.total)} events (${run.non2xx} non-2xx), ${fmt(stats.requests)} requests at the receiver; server peak RSS ${fmt(results.soak.peakRssMb)} MB`,
    );
  } finally {
    clearInterval(sampler);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function machine() {
  let commit: string | null = null;
  let dirty = false;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    dirty =
      execFileSync("git", ["status", "--porcelain"], {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim().length > 0;
  } catch {
    // not a git checkout
  }
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverageAtStart: os.loadavg().map((n) => round(n, 2)),
    commit,
    dirty,
  };
}

function fmt(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "-";
  return n.toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

const fastest = <T extends { perSecond: number }>(runs: T[] | undefined): T | null =>
  runs?.length ? [...runs].sort((x, y) => y.perSecond - x.perSecond)[0]! : null;

const ingestText = (i: IngestResult | undefined) =>
  i
    ? `${fmt(i.perSecond)} events/s, p50 ${fmt(i.p50Ms)} ms, p99 ${fmt(i.p99Ms)} ms (${fmt(i.events)} events, ${i.clients} clients)`
    : "not run";

function summarize() {
  const t = results.throughput;
  const httpC = results.ceiling ? Math.max(...results.ceiling.http.map((r) => r.perSecond)) : null;
  const pgC = results.ceiling ? Math.max(...results.ceiling.pg.map((r) => r.perSecond)) : null;
  const ceiling = httpC !== null && pgC !== null ? Math.min(httpC, pgC) : null;
  const bestBoss = fastest(results.pgboss);
  const bestGraphile = fastest(results.graphile);
  // Hookline's ratio is against the best of every contender run.
  const contenders: { name: string; best: QueueRunResult | null }[] = [
    { name: "pg-boss", best: bestBoss },
    { name: "graphile-worker", best: bestGraphile },
  ];
  const bestContender = fastest(
    contenders.flatMap((c) => (c.best ? [{ name: c.name, perSecond: c.best.perSecond }] : [])),
  );
  const ceilingRatio = t && ceiling ? t.perSecond / ceiling : null;
  const contenderRatio = t && bestContender ? t.perSecond / bestContender.perSecond : null;
  const queues = [
    bestBoss
      ? `pg-boss ${fmt(bestBoss.perSecond)}/s (batchSize ${bestBoss.batchSize} x localConcurrency ${bestBoss.localConcurrency})`
      : null,
    bestGraphile
      ? `graphile-worker ${fmt(bestGraphile.perSecond)}/s (concurrency ${bestGraphile.concurrency} x localQueue ${bestGraphile.localQueueSize})`
      : null,
  ].filter((q) => q !== null);
  const alone = results.ingestAlone;
  const during = results.ingestDuringDelivery;
  const fan = results.fanout;
  const rows: [string, string, string][] = [
    [
      "1. Delivery throughput",
      t
        ? `${fmt(t.perSecond)} deliveries/s (${fmt(t.deliveries)} in ${fmt(t.seconds, 1)} s); server peak RSS ${fmt(results.peakRssMb)} MB`
        : "not run",
      ">= 2,000/s; RSS < 400 MB",
    ],
    ["2a. Ingest alone (1 endpoint, no backlog)", ingestText(alone), ">= 3,000/s, p99 < 50 ms"],
    ["2b. Ingest during throughput", ingestText(during), "p99 < 100 ms"],
    [
      "2c. Svix message.create vs native trigger",
      results.svixIngest
        ? `${fmt(results.svixIngest.svix.perSecond)} vs ${fmt(results.svixIngest.native.perSecond)} events/s = ${fmt(results.svixIngest.ratio, 2)} x; p99 ${fmt(results.svixIngest.svix.p99Ms)} vs ${fmt(results.svixIngest.native.p99Ms)} ms`
        : "not run",
      ">= 0.9 x native",
    ],
    [
      "3. Latency at 200 events/s",
      results.latency
        ? `trigger to receiver p50 ${fmt(results.latency.p50Ms, 1)} ms, p99 ${fmt(results.latency.p99Ms, 1)} ms`
        : "not run",
      "p50 < 20 ms",
    ],
    [
      `4. Fan-out to ${fmt(fan?.endpoints ?? options.endpoints)} endpoints`,
      fan
        ? `trigger answered in ${fmt(fan.triggerMs)} ms; receiver had all after ${fmt(fan.receiverSeconds, 2)} s (recorded ${fmt(fan.recordedSeconds, 2)} s)`
        : "not run",
      "trigger < 50 ms; all < 3 s",
    ],
    [
      `4b. Fan-out to ${fmt(results.fanoutFiltered?.endpoints ?? options.endpoints)} endpoints, each with a filter`,
      results.fanoutFiltered
        ? `all match: receiver had all after ${fmt(results.fanoutFiltered.receiverSeconds, 2)} s; none match: all counted filtered after ${fmt(results.fanoutFiltered.filteredSeconds, 2)} s`
        : "not run",
      "all < 5 s",
    ],
    [
      "5. Ceiling",
      results.ceiling
        ? `signed POST loop ${fmt(httpC)}/s, pg INSERTs ${fmt(pgC)}/s; Hookline = ${fmt(ceilingRatio, 2)} x the lower`
        : "not run",
      ">= 0.5 x",
    ],
    [
      "6. Job queues, best tuned",
      queues.length
        ? `${queues.join(", ")}; Hookline = ${fmt(contenderRatio, 2)} x the best`
        : "not run",
      ">= 1.0 x",
    ],
    [
      "7. Ordinary endpoints beside busy FIFO ones",
      results.fifo
        ? `${fmt(results.fifo.besidePerSecond)}/s beside ${results.fifo.fifoEndpoints} FIFO endpoints vs ${fmt(results.fifo.alonePerSecond)}/s alone = ${fmt(results.fifo.ratio, 2)} x (means of 3 runs of ${fmt(results.fifo.deliveries)}); with the FIFO deliveries made meanwhile ${fmt(results.fifo.besideTotalPerSecond)}/s; FIFO ${fmt(results.fifo.fifoPerSecondPerLine)}/s per endpoint`
        : "not run",
      ">= 0.9 x without",
    ],
    [
      `8. App B's deliveries during app A's ${fmt(results.fairness?.endpoints ?? options.endpoints)}-endpoint fan-out`,
      results.fairness
        ? `B trigger to receiver p50 ${fmt(results.fairness.bP50Ms, 1)} ms, p99 ${fmt(results.fairness.bP99Ms, 1)} ms (${results.fairness.bEvents} events at 50/s); A had all after ${fmt(results.fairness.aSeconds, 2)} s`
        : "not run",
      "B p99 < 100 ms",
    ],
    [
      "9. Soak with 30 % receiver errors",
      results.soak
        ? `${results.soak.clients} clients x ${results.soak.seconds} s: ${fmt(results.soak.events)} events, ${fmt(results.soak.requests)} requests; server peak RSS ${fmt(results.soak.peakRssMb)} MB`
        : "not run",
      "RSS < 400 MB",
    ],
  ];
  const tenThousand = fan && fan.endpoints >= 10_000 ? fan : null;
  const targets = [
    { target: "throughput >= 2,000 deliveries/s", met: t ? t.perSecond >= 2_000 : null },
    {
      target: "throughput >= 0.5 x ceiling",
      met: ceilingRatio === null ? null : ceilingRatio >= 0.5,
    },
    {
      target: ">= 1.0 x the best tuned job queue",
      met: contenderRatio === null ? null : contenderRatio >= 1,
    },
    { target: "ingest alone >= 3,000 events/s", met: alone ? alone.perSecond >= 3_000 : null },
    { target: "ingest alone p99 < 50 ms", met: alone ? alone.p99Ms < 50 : null },
    { target: "ingest during throughput p99 < 100 ms", met: during ? during.p99Ms < 100 : null },
    {
      target: "Svix message.create >= 0.9 x the native trigger",
      met: results.svixIngest ? results.svixIngest.ratio >= 0.9 : null,
    },
    {
      target: "fan-out of 10,000 endpoints: trigger answers < 50 ms",
      met: tenThousand ? tenThousand.triggerMs < 50 : null,
    },
    {
      target: "fan-out of 10,000 endpoints: receiver has all < 3 s",
      met: tenThousand ? tenThousand.receiverSeconds < 3 : null,
    },
    {
      target: "fan-out of 10,000 endpoints with filters: complete < 5 s",
      met:
        results.fanoutFiltered && results.fanoutFiltered.endpoints >= 10_000
          ? Math.max(
              results.fanoutFiltered.receiverSeconds,
              results.fanoutFiltered.filteredSeconds,
            ) < 5
          : null,
    },
    {
      target: "p50 trigger-to-receiver < 20 ms at 200/s",
      met: results.latency?.p50Ms != null ? results.latency.p50Ms < 20 : null,
    },
    {
      target: "server RSS < 400 MB",
      met: results.peakRssMb != null ? results.peakRssMb < 400 : null,
    },
    {
      target: "ordinary endpoints beside busy FIFO ones >= 0.9 x alone",
      met: results.fifo ? results.fifo.ratio >= 0.9 : null,
    },
    {
      target: "another app's delivery p99 < 100 ms during a 10,000-endpoint fan-out",
      met:
        results.fairness && results.fairness.endpoints >= 10_000 && results.fairness.bP99Ms !== null
          ? results.fairness.bP99Ms < 100
          : null,
    },
    {
      target: "server RSS < 400 MB in the soak with 30 % receiver errors",
      met: results.soak?.peakRssMb != null ? results.soak.peakRssMb < 400 : null,
    },
  ];
  return {
    rows,
    targets,
    ceiling,
    ceilingRatio,
    bestBoss,
    bestGraphile,
    bestContender,
    contenderRatio,
  };
}

function printTable(summary: ReturnType<typeof summarize>, info: ReturnType<typeof machine>) {
  const { rows } = summary;
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const line = `+-${"-".repeat(w0)}-+-${"-".repeat(w1)}-+-${"-".repeat(26)}-+`;
  console.log("");
  console.log(
    `Hookline benchmark — ${info.cpus} cores (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}, load ${info.loadAverageAtStart.join(" ")} at start`,
  );
  console.log(line);
  console.log(`| ${"".padEnd(w0)} | ${"measured".padEnd(w1)} | ${"target".padEnd(26)} |`);
  console.log(line);
  for (const [a, b, c] of rows)
    console.log(`| ${a.padEnd(w0)} | ${b.padEnd(w1)} | ${c.padEnd(26)} |`);
  console.log(line);
  if (results.ceiling) {
    console.log(
      `  ceiling detail (best of each kept): ` +
        results.ceiling.http
          .map((r) => `${r.client} POST loop x ${options.concurrency}: ${fmt(r.perSecond)}/s`)
          .join("; ") +
        "; " +
        results.ceiling.pg
          .map((r) => `pg ${r.connections} conn x ${r.batch}-row INSERTs: ${fmt(r.perSecond)}/s`)
          .join("; "),
    );
  }
  if (results.pgboss) {
    console.log(
      "  pg-boss: " +
        results.pgboss
          .map((r) => `batch ${r.batchSize} x ${r.localConcurrency}: ${fmt(r.perSecond)}/s`)
          .join("; "),
    );
  }
  if (results.graphile) {
    console.log(
      "  graphile-worker: " +
        results.graphile
          .map(
            (r) =>
              `concurrency ${r.concurrency} x localQueue ${r.localQueueSize}: ${fmt(r.perSecond)}/s`,
          )
          .join("; "),
    );
  }
  for (const t of summary.targets)
    console.log(`  ${t.met === null ? "  -  " : t.met ? " met " : "MISSED"}  ${t.target}`);
  const cpu = results.throughput?.cpu;
  if (cpu) {
    const others = cpu.seconds.others / (cpu.wallSeconds * cpu.cores);
    console.log(`  during the throughput phase: ${describeCpu(cpu)}`);
    if (others > 0.05)
      console.log(
        `  NOTE: other processes on this machine used ${(others * 100).toFixed(0)}% of its CPU during the throughput phase; the figures are depressed`,
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Main

/**
 * bench/results/<day>.json, or <day>-b.json, -c, ... when the day already has a run: BENCHMARKS.md
 * cites these files, so a second run on the same day never overwrites the first.
 */
function freeResultsPath(day: string): string {
  const dir = path.join(ROOT, "bench", "results");
  for (let i = 0; i < 26; i++) {
    const name = i === 0 ? `${day}.json` : `${day}-${String.fromCharCode(97 + i)}.json`;
    if (!fs.existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  throw new Error(`bench/results has 26 runs of ${day} already: pass --out`);
}

async function main() {
  installSignalHandlers();
  const info = machine();
  say(`options: ${JSON.stringify(options)}`);
  if (info.loadAverageAtStart[0]! > info.cpus * 0.5) {
    say(
      `note: the machine is already busy (load average ${info.loadAverageAtStart[0]} on ${info.cpus} cores); figures will be lower than on an idle machine`,
    );
  }
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-bench-"));
  dataRoot = root;
  // When run as root, PostgreSQL runs as `postgres` and must be able to pass through this folder.
  fs.chmodSync(root, 0o711);
  onCleanup("the temporary folder", () => {
    if (args.keep) console.log(`bench: data kept in ${root}`);
    else fs.rmSync(root, { recursive: true, force: true });
  });

  if (runsHookline) {
    say("building if stale");
    ensureBuilt();
  }
  const receiver = await startReceiver();
  say(`receiver listening on 127.0.0.1:${receiver.port} (pid ${receiver.pid})`);

  if (runsHookline) {
    const env: Record<string, string> = {
      HOOKLINE_WORKER_CONCURRENCY: String(options.concurrency),
    };
    if (args.profile) {
      const dir = path.join(ROOT, "bench", "profiles");
      fs.mkdirSync(dir, { recursive: true });
      env.NODE_OPTIONS =
        `${process.env.NODE_OPTIONS ?? ""} --import ${path.join(ROOT, "bench", "lib", "cpu-profile-hook.mjs")}`.trim();
      env.HOOKLINE_BENCH_PROFILE_DIR = dir;
      say(`CPU profiles go to ${dir}`);
    }
    const memoryFile = path.join(root, "server-memory.json");
    if (args.memory) {
      env.NODE_OPTIONS =
        `${env.NODE_OPTIONS ?? process.env.NODE_OPTIONS ?? ""} --import ${path.join(ROOT, "bench", "lib", "memory-hook.mjs")}`.trim();
      env.HOOKLINE_BENCH_MEMORY_FILE = memoryFile;
    }
    // With --memory, what the server's memory consisted of, at its peak RSS so far.
    const memoryPoint = async (phase: string) => {
      if (!args.memory) return;
      const before = fs.existsSync(memoryFile) ? fs.statSync(memoryFile).mtimeMs : 0;
      process.kill(server.serverPid, "SIGUSR2");
      // The server writes the file after a full GC: on a busy machine that takes a while.
      for (let waited = 0; waited < 10_000; waited += 100) {
        await sleep(100);
        if (fs.existsSync(memoryFile) && fs.statSync(memoryFile).mtimeMs > before) break;
      }
      const { peak, atPeakRss, afterGc } = JSON.parse(
        fs.readFileSync(memoryFile, "utf8"),
      ) as Record<string, Record<string, number>>;
      const mb = (n: number | undefined) => `${Math.round((n ?? 0) / 1048576)} MB`;
      console.log(
        `  server memory after ${phase}: peak RSS ${mb(peak!.rss)} = V8 heap ${mb(atPeakRss!.heapTotal)} (${mb(atPeakRss!.heapUsed)} used) + external ${mb(atPeakRss!.external)} + other ${mb(atPeakRss!.rss! - atPeakRss!.heapTotal! - atPeakRss!.external!)}; peak heap used ${mb(peak!.heapUsed)}, ${mb(afterGc!.heapUsed)} after a full GC`,
      );
    };
    say("starting Hookline (npm start: production build, embedded PostgreSQL, embedded workers)");
    let server = await startHookline({ dataDir: path.join(root, "hookline"), env, log: say });
    if (args["pg-stats"]) {
      say("restarting with pg_stat_statements loaded (--pg-stats)");
      const admin = new pg.Client(poolConfigFromUrl(server.databaseUrl));
      await admin.connect();
      await admin.query("ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
      await admin.query("ALTER SYSTEM SET pg_stat_statements.track_planning = on");
      await admin.end();
      await server.stop();
      server = await startHookline({ dataDir: path.join(root, "hookline"), env, log: say });
      const client = new pg.Client(poolConfigFromUrl(server.databaseUrl));
      await client.connect();
      await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      await client.end();
    }
    say(
      `Hookline at ${server.url} (launcher pid ${server.launcherPid}, server pid ${server.serverPid})`,
    );
    const logDays = int("log-days", 0, 0);
    if (logDays > 0) {
      const partitionsDb = createDatabase(server.databaseUrl, { max: 1 });
      setDb(partitionsDb);
      try {
        const made = await ensureLogPartitions({ daysAhead: logDays });
        say(`--log-days ${logDays}: ${made.created.length} more partitions of the delivery log`);
      } finally {
        setDb(undefined);
        await partitionsDb.close();
      }
    }
    const db = new pg.Pool({ ...poolConfigFromUrl(server.databaseUrl), max: 2 });
    const activeServer = server;
    const closeDb = onCleanup("the benchmark's database pool", () => db.end());
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, activeServer.rss() ?? 0)), 250);
    try {
      say("warming up");
      await warmUp(server, receiver, db);
      // With --profile, each phase's CPU profile is written separately (SIGUSR2 to the server).
      const profilePoint = async () => {
        if (!args.profile) return;
        process.kill(server.serverPid, "SIGUSR2");
        await sleep(300);
      };
      const pgStats = async (phase: string) => {
        if (!args["pg-stats"]) return;
        const { rows } = await db.query<{
          calls: string;
          exec: number;
          plan: number;
          rows: string;
          q: string;
        }>(
          `SELECT calls, total_exec_time AS exec, total_plan_time AS plan, rows, left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 90) AS q
           FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 15`,
        );
        console.log(`  pg_stat_statements after ${phase} (ms: execution + planning, calls):`);
        for (const r of rows)
          console.log(
            `    ${r.exec.toFixed(0).padStart(7)} + ${r.plan.toFixed(0).padStart(5)}  ${String(r.calls).padStart(7)}  ${r.q}`,
          );
        // Row writes per table since start-up: how many updates stayed on their page (HOT, no index writes).
        const { rows: tables } = await db.query<{
          relname: string;
          ins: string;
          upd: string;
          hot: string;
          dead: string;
        }>(
          // A partition's counts are its parent's: the log tables are partitioned by time.
          `SELECT coalesce(p.relname, s.relname) AS relname, sum(s.n_tup_ins) AS ins, sum(s.n_tup_upd) AS upd,
                  sum(s.n_tup_hot_upd) AS hot, sum(s.n_dead_tup) AS dead
           FROM pg_stat_user_tables s LEFT JOIN pg_inherits i ON i.inhrelid = s.relid LEFT JOIN pg_class p ON p.oid = i.inhparent
           WHERE coalesce(p.relname, s.relname) IN ('deliveries', 'attempts', 'events', 'delivery_rollups_hourly', 'endpoints')
           GROUP BY 1 ORDER BY 1`,
        );
        console.log(
          `  table writes so far: ${tables.map((t) => `${t.relname} ${t.ins} ins, ${t.upd} upd (${t.hot} HOT), ${t.dead} dead`).join("; ")}`,
        );
        // What the log's rows take on disk as written live (the fill factor's cost in bytes).
        const { rows: log } = await db.query<{
          n: string;
          heap: string;
          idx: string;
          width: string;
        }>(
          `SELECT (SELECT count(*) FROM deliveries) AS n,
                  (SELECT coalesce(sum(pg_relation_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent = 'deliveries'::regclass) AS heap,
                  (SELECT coalesce(sum(pg_indexes_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent = 'deliveries'::regclass) AS idx,
                  (SELECT coalesce(avg(pg_column_size(d.*)), 0) FROM deliveries d) AS width`,
        );
        const n = Math.max(1, Number(log[0]!.n));
        console.log(
          `  the log's deliveries: ${log[0]!.n} rows of ${Number(log[0]!.width).toFixed(0)} bytes on average; on disk ${(Number(log[0]!.heap) / n).toFixed(0)} bytes of table and ${(Number(log[0]!.idx) / n).toFixed(0)} of indexes a row`,
        );
        await db.query("SELECT pg_stat_statements_reset()");
      };
      await pgStats("start-up and warm-up");
      await profilePoint();
      await memoryPoint("start-up and warm-up");
      // Each phase starts from a settled database: after 50,000 deliveries (two row versions
      // each) autovacuum would otherwise still be catching up during the next phase.
      const settle = async () => {
        const started = now();
        await db.query(
          "VACUUM (ANALYZE) deliveries, attempts, events, delivery_rollups_hourly, endpoints",
        );
        say(`database settled (VACUUM ANALYZE, ${((now() - started) / 1000).toFixed(1)} s)`);
      };
      if (runs("ingest")) await ingestPhase(server, receiver);
      if (runs("ingest") && runs("svix-ingest")) await settle();
      if (runs("svix-ingest")) await svixIngestPhase(server, receiver);
      if ((runs("ingest") || runs("svix-ingest")) && runs("throughput")) await settle();
      await profilePoint();
      await pgStats("ingest");
      if (runs("throughput")) await throughputPhase(server, receiver, db);
      await profilePoint();
      await memoryPoint("throughput");
      await pgStats("throughput");
      if (runs("throughput") && (runs("latency") || runs("fanout"))) await settle();
      if (runs("latency")) await latencyPhase(server, receiver);
      if (runs("latency") && runs("fanout")) await settle();
      await profilePoint();
      await pgStats("latency");
      if (runs("fanout")) await fanoutPhase(server, receiver, db);
      if (runs("fanout") && runs("fanout-filtered")) await settle();
      if (runs("fanout-filtered")) await filteredFanoutPhase(server, receiver, db);
      await profilePoint();
      await memoryPoint("latency and fan-out");
      await pgStats("fan-out");
      if (runs("fifo")) {
        if (
          runs("ingest") ||
          runs("throughput") ||
          runs("latency") ||
          runs("fanout") ||
          runs("fanout-filtered")
        )
          await settle();
        results.fifo = await fifoPhase(
          {
            server,
            receiver,
            db,
            ingest: (app, events, label) => ingestRun(server, app, events, label),
            recordedSuccesses: (id) => recordedSuccesses(db, id),
            say,
          },
          {
            deliveries: options.fifoDeliveries,
            fifoEndpoints: 4,
            fifoEvents: Math.ceil(options.fifoDeliveries / 10),
          },
        );
        await pgStats("fifo");
      }
      if (runs("fairness")) {
        await settle();
        await fairnessPhase(server, receiver, db);
      }
      if (runs("soak")) {
        await settle();
        await soakPhase(server, receiver);
        await memoryPoint("soak");
      }
    } finally {
      clearInterval(sampler);
      results.peakRssMb = mb(Math.max(peakRss, server.peakRss() ?? 0));
      say(`server peak RSS ${results.peakRssMb} MB`);
      await closeDb();
      say("stopping Hookline");
      await server.stop();
    }
  }

  if (runs("ceiling") || runs("pgboss") || runs("graphile")) {
    say("starting the comparison database (embedded PostgreSQL, same binaries and settings)");
    const dbs = await startContenderDatabase(contenderDataDir(root));
    try {
      if (runs("ceiling")) {
        say(
          `ceiling: ${options.deliveries.toLocaleString()} signed POSTs at concurrency ${options.concurrency}`,
        );
        const httpResults: HttpCeilingResult[] = [];
        for (const client of ["node:http", "undici"] as const) {
          const r = await httpCeiling({
            receiver,
            deliveries: options.deliveries,
            concurrency: options.concurrency,
            client,
          });
          say(
            `  ${client}: ${fmt(r.perSecond)}/s (${r.received} received, ${r.duplicates} duplicates, ${r.errors} errors)`,
          );
          if (r.received !== options.deliveries || r.errors > 0)
            throw new Error(
              `POST ceiling (${client}): ${r.received}/${options.deliveries} received, ${r.errors} errors`,
            );
          httpResults.push(r);
        }
        const pgResults: PgCeilingResult[] = [];
        for (const connections of [2, 4]) {
          const r = await pgCeiling({
            url: dbs.ceilingUrl,
            deliveries: options.deliveries,
            batch: 1_000,
            connections,
            label: `c${connections}`,
          });
          say(
            `  pg: ${fmt(r.deliveries)} deliveries, each with its first attempt in its row, ${connections} connections x ${r.batch}-row INSERTs: ${fmt(r.perSecond)}/s`,
          );
          pgResults.push(r);
        }
        results.ceiling = { http: httpResults, pg: pgResults };
      }
      if (runs("pgboss")) {
        const n = options.pgbossDeliveries;
        const boss = await startPgBoss(dbs.pgbossUrl, 24);
        try {
          results.pgboss = [];
          for (const config of PGBOSS_CONFIGS) {
            say(
              `pg-boss: ${n.toLocaleString()} jobs, batchSize ${config.batchSize} x localConcurrency ${config.localConcurrency}`,
            );
            const r = await pgBossRun({
              boss: boss.boss,
              receiver,
              deliveries: n,
              concurrency: options.concurrency,
              producers: options.ingestClients,
              config,
              timeoutMs: Math.max(120_000, n * 10),
            });
            say(
              `  ${fmt(r.perSecond)}/s (${r.completed} completed, ${r.received} received, ${r.duplicates} duplicates)`,
            );
            if (r.received !== n || r.completed !== n)
              throw new Error(`pg-boss: ${r.completed}/${n} completed, ${r.received} received`);
            results.pgboss.push(r);
          }
        } finally {
          await boss.stop();
        }
      }
      if (runs("graphile")) {
        const n = options.graphileDeliveries;
        const configs = quick ? GRAPHILE_QUICK_CONFIGS : GRAPHILE_CONFIGS;
        const graphile = await startGraphileWorker(dbs.graphileUrl, graphilePoolSize(configs));
        try {
          results.graphile = [];
          for (const config of configs) {
            say(
              `graphile-worker: ${n.toLocaleString()} jobs, concurrency ${config.concurrency} x localQueue ${config.localQueueSize}`,
            );
            const r = await graphileRun({
              pgPool: graphile.pgPool,
              utils: graphile.utils,
              receiver,
              deliveries: n,
              producers: options.ingestClients,
              config,
              timeoutMs: Math.max(120_000, n * 10),
            });
            say(
              `  ${fmt(r.perSecond)}/s (${r.completed} completed, ${r.received} received, ${r.duplicates} duplicates, ${r.failed} failed attempts)`,
            );
            if (r.received !== n || r.completed !== n)
              throw new Error(
                `graphile-worker: ${r.completed}/${n} completed, ${r.received} received`,
              );
            results.graphile.push(r);
          }
        } finally {
          await graphile.stop();
        }
      }
    } finally {
      await dbs.stop();
    }
  }
  await receiver.stop();

  const summary = summarize();
  printTable(summary, info);
  const report = {
    date: new Date().toISOString(),
    command: `npm run bench --${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(" ")}` : ""}`,
    machine: { ...info, loadAverageAtEnd: os.loadavg().map((n) => round(n, 2)) },
    options,
    dataRoot,
    table: summary.rows.map(([row, measured, target]) => ({ row, measured, target })),
    ratios: {
      ceiling: summary.ceiling,
      ceilingRatio: summary.ceilingRatio,
      pgbossBest: summary.bestBoss?.perSecond ?? null,
      graphileBest: summary.bestGraphile?.perSecond ?? null,
      bestContender: summary.bestContender,
      contenderRatio: summary.contenderRatio,
    },
    targets: summary.targets,
    results,
  };
  if (!args["no-write"]) {
    const out = args.out ?? freeResultsPath(new Date().toISOString().slice(0, 10));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
    console.log(`\nwrote ${path.relative(process.cwd(), out) || out}`);
  }
  say("done");
}

let exitCode = 0;
try {
  await main();
} catch (err) {
  console.error(`\nbench failed: ${(err as Error).stack ?? String(err)}`);
  exitCode = 1;
} finally {
  await runCleanups();
}
process.exit(exitCode);
