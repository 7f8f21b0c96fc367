/**
 * What Hookline is held against, in the same run on the same machine: the ceiling (signed POSTs
 * straight from a keep-alive loop; the same rows written straight with multi-row INSERTs) and
 * what a user would build instead (one pg-boss job per delivery). Each runs on its own embedded
 * PostgreSQL (same binaries and settings as Hookline's), after Hookline's server has stopped,
 * against the same receiver process.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";
import { Pool as UndiciPool } from "undici";
import { generateSigningSecret } from "@/lib/crypto/secrets";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { newId } from "@/lib/ids";
import { onCleanup } from "./cleanup";
import type { ReceiverProcess } from "./receiver-client";
import { EVENT_NAME, FAN_OUT, keepAliveAgent, maskRequestHeaders, now, pool, post, samplePayload, signedRequest, sleep, type SignedRequest } from "./workload";

export interface ContenderDatabase {
  ceilingUrl: string;
  pgbossUrl: string;
  stop(): Promise<void>;
}

export async function startContenderDatabase(dataDir: string): Promise<ContenderDatabase> {
  fs.mkdirSync(dataDir, { recursive: true });
  const server: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, database: "postgres" });
  const stop = onCleanup("the comparison database", () => server.stop());
  try {
    const admin = new pg.Client(poolConfigFromUrl(server.url));
    await admin.connect();
    await admin.query("CREATE DATABASE ceiling");
    await admin.query("CREATE DATABASE pgboss");
    await admin.end();
    const ceilingUrl = withDatabase(server.url, "ceiling");
    await applyMigrations(ceilingUrl);
    return { ceilingUrl, pgbossUrl: withDatabase(server.url, "pgboss"), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface Endpoint {
  index: number;
  secret: string;
}

function endpoints(): Endpoint[] {
  return Array.from({ length: FAN_OUT }, (_, index) => ({ index, secret: generateSigningSecret() }));
}

// ---------------------------------------------------------------------------------------------
// Ceiling 1: signed POSTs straight from a keep-alive loop

export interface HttpCeilingResult {
  /** node:http with a keep-alive Agent, or undici's Pool (both keep-alive, `concurrency` connections). */
  client: "node:http" | "undici";
  deliveries: number;
  seconds: number;
  perSecond: number;
  received: number;
  duplicates: number;
  errors: number;
}

export async function httpCeiling(input: { receiver: ReceiverProcess; deliveries: number; concurrency: number; client: HttpCeilingResult["client"] }): Promise<HttpCeilingResult> {
  const { receiver, deliveries, concurrency } = input;
  const eps = endpoints();
  const bucket = input.client === "undici" ? "cu" : "ch";
  const agent = keepAliveAgent(concurrency);
  const undici = new UndiciPool(`http://127.0.0.1:${receiver.port}`, { connections: concurrency, pipelining: 1 });
  const send =
    input.client === "undici"
      ? async (req: SignedRequest) => {
          const res = await undici.request({ path: req.path, method: "POST", headers: req.headers, body: req.body });
          await res.body.text();
          return res.statusCode;
        }
      : async (req: SignedRequest) => (await post(agent, receiver.port, req)).status;
  await receiver.reset(bucket);
  const createdAt = new Date();
  let errors = 0;
  const started = now();
  try {
    await pool(deliveries, concurrency, async (i) => {
      const event = Math.floor(i / FAN_OUT);
      const ep = eps[i % FAN_OUT]!;
      const req = signedRequest({ path: `/${bucket}/${ep.index}`, msgId: `dlv_c${i}`, secret: ep.secret, eventCreatedAt: createdAt, payload: samplePayload(event) });
      const status = await send(req).catch(() => 0);
      if (status !== 200) errors++;
    });
  } finally {
    agent.destroy();
    await undici.close();
  }
  const seconds = (now() - started) / 1000;
  const stats = await receiver.stats(bucket);
  return { client: input.client, deliveries, seconds, perSecond: deliveries / seconds, received: stats.unique, duplicates: stats.duplicates, errors };
}

// ---------------------------------------------------------------------------------------------
// Ceiling 2: the same rows written straight with pg multi-row INSERTs

export interface PgCeilingResult {
  deliveries: number;
  batch: number;
  connections: number;
  seconds: number;
  perSecond: number;
  rowsWritten: number;
}

export async function pgCeiling(input: { url: string; deliveries: number; batch: number; connections: number; label: string }): Promise<PgCeilingResult> {
  const { deliveries, batch, connections } = input;
  const db = new pg.Pool({ ...poolConfigFromUrl(input.url), max: connections });
  try {
    const appId = newId("app");
    const slug = `ceiling-${input.label}`;
    await db.query("INSERT INTO apps (id, slug, name, updated_at) VALUES ($1, $2, $2, now())", [appId, slug]);
    const endpointIds = Array.from({ length: FAN_OUT }, () => newId("ep"));
    await db.query(
      `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at) SELECT u.id, $1, 'http://127.0.0.1/c/' || u.n, ARRAY['*'], now()
       FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)`,
      [appId, endpointIds],
    );
    const events = Math.ceil(deliveries / FAN_OUT);
    const eventIds = Array.from({ length: events }, () => newId("msg"));
    const createdAt = new Date();
    for (let start = 0; start < events; start += 1_000) {
      const ids = eventIds.slice(start, start + 1_000);
      await db.query(
        `INSERT INTO events (id, app_id, name, payload, created_at) SELECT u.id, $1, $2, u.payload::jsonb, $4 FROM unnest($3::text[], $5::text[]) AS u(id, payload)`,
        [appId, EVENT_NAME, ids, createdAt, ids.map((_, k) => JSON.stringify(samplePayload(start + k)))],
      );
    }
    // What an attempt row holds in Hookline: masked request headers, the receiver's response headers.
    const sample = signedRequest({ path: "/c/0", msgId: "dlv_sample", secret: generateSigningSecret(), eventCreatedAt: createdAt, payload: samplePayload(0) });
    const requestHeaders = JSON.stringify(maskRequestHeaders(sample.headers));
    const responseHeaders = JSON.stringify({ date: createdAt.toUTCString(), connection: "keep-alive", "keep-alive": "timeout=30", "content-length": "0" });

    const batches = Math.ceil(deliveries / batch);
    const started = now();
    await pool(batches, connections, async (b) => {
      const from = b * batch;
      const to = Math.min(deliveries, from + batch);
      const dIds: string[] = [];
      const aIds: string[] = [];
      const eIds: string[] = [];
      const epIds: string[] = [];
      for (let i = from; i < to; i++) {
        dIds.push(newId("dlv"));
        aIds.push(newId("atm"));
        eIds.push(eventIds[Math.floor(i / FAN_OUT)]!);
        epIds.push(endpointIds[i % FAN_OUT]!);
      }
      const at = new Date();
      await db.query(
        `WITH d AS (
           INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, last_status_code,
                                   last_attempt_at, completed_at, created_at, updated_at)
           SELECT u.id, $1, u.event_id, u.endpoint_id, $2, 'success', 1, 200, $7, $7, $8, $7
           FROM unnest($3::text[], $4::text[], $5::text[]) AS u(id, event_id, endpoint_id))
         INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, trigger, request_url, request_headers,
                               response_status, response_headers, response_body, response_body_truncated, duration_ms, created_at)
         SELECT u.attempt_id, u.id, $1, u.endpoint_id, 1, 'auto', 'http://127.0.0.1/c/0', $9::jsonb, 200, $10::jsonb, '', false, 1, $7
         FROM unnest($3::text[], $6::text[], $5::text[]) AS u(id, attempt_id, endpoint_id)`,
        [appId, EVENT_NAME, dIds, eIds, epIds, aIds, at, createdAt, requestHeaders, responseHeaders],
      );
    });
    const seconds = (now() - started) / 1000;
    const { rows } = await db.query<{ d: number; a: number }>(
      "SELECT (SELECT count(*) FROM deliveries WHERE app_id = $1)::int AS d, (SELECT count(*) FROM attempts WHERE app_id = $1)::int AS a",
      [appId],
    );
    if (rows[0]!.d !== deliveries || rows[0]!.a !== deliveries) throw new Error(`pg ceiling wrote ${rows[0]!.d} deliveries and ${rows[0]!.a} attempts, expected ${deliveries}`);
    return { deliveries, batch, connections, seconds, perSecond: deliveries / seconds, rowsWritten: rows[0]!.d + rows[0]!.a };
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------------------------------------
// What a user would build instead: one pg-boss job per delivery

export interface PgBossConfig {
  batchSize: number;
  /** Workers (`boss.work` loops) in this process: pg-boss 10's form of local concurrency. */
  localConcurrency: number;
}

export interface PgBossResult extends PgBossConfig {
  deliveries: number;
  seconds: number;
  perSecond: number;
  received: number;
  duplicates: number;
  completed: number;
  failed: number;
}

interface JobData {
  endpoint: number;
  event_created_at: string;
  payload: unknown;
}

// pg-boss 10 completes several ids with output data at run time (manager.js `complete(name, id, data)`
// maps an array of ids) and answers with the count; its types only list the single-id form.
type CompleteMany = (name: string, ids: string[], data: object) => Promise<{ affected: number }>;
const completeMany = (boss: PgBoss, name: string, ids: string[], data: object) => (boss.complete as unknown as CompleteMany).call(boss, name, ids, data);

export async function startPgBoss(url: string, maxConnections: number): Promise<{ boss: PgBoss; stop: () => Promise<void> }> {
  const c = poolConfigFromUrl(url);
  const boss = new PgBoss({
    host: c.host,
    port: c.port,
    user: c.user,
    password: c.password as string,
    database: c.database,
    max: maxConnections,
    // Tuned for throughput: no maintenance or cron work during the run, the shortest poll allowed.
    supervise: false,
    schedule: false,
    pollingIntervalSeconds: 0.5,
  });
  let stopping = false;
  boss.on("error", (err: Error) => {
    if (!stopping) console.error(`pg-boss: ${err.message}`);
  });
  await boss.start();
  const stop = onCleanup("pg-boss", async () => {
    stopping = true;
    await boss.stop({ graceful: false, wait: true, timeout: 5_000 });
  });
  return { boss, stop };
}

/**
 * Producers insert one job per delivery (10 per event, as fan-out would) while the workers run;
 * each worker fetches `batchSize` jobs, signs and POSTs them all at once, then completes them
 * with their status code (one `complete` per distinct status). Timed from the first insert to
 * the last completion.
 */
export async function pgBossRun(input: {
  boss: PgBoss;
  receiver: ReceiverProcess;
  deliveries: number;
  concurrency: number;
  producers: number;
  config: PgBossConfig;
  timeoutMs: number;
}): Promise<PgBossResult> {
  const { boss, receiver, deliveries, config } = input;
  const queue = `bench_b${config.batchSize}_w${config.localConcurrency}_${Date.now()}`;
  const bucket = `b${config.batchSize}w${config.localConcurrency}`;
  await boss.createQueue(queue);
  await receiver.reset(bucket);
  const eps = endpoints();
  const agent = keepAliveAgent(input.concurrency);
  let completed = 0;
  let failed = 0;
  let finishedAt = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  const handler = async (jobs: PgBoss.Job<JobData>[]) => {
    const results = await Promise.all(
      jobs.map(async (job) => {
        const ep = eps[job.data.endpoint]!;
        const req = signedRequest({
          path: `/${bucket}/${ep.index}`,
          msgId: job.id,
          secret: ep.secret,
          eventCreatedAt: new Date(job.data.event_created_at),
          payload: job.data.payload,
        });
        const res = await post(agent, receiver.port, req).catch(() => null);
        return { id: job.id, status: res?.status ?? 0 };
      }),
    );
    const byStatus = new Map<number, string[]>();
    for (const r of results) {
      const ids = byStatus.get(r.status);
      if (ids) ids.push(r.id);
      else byStatus.set(r.status, [r.id]);
    }
    for (const [status, ids] of byStatus) {
      const res = await completeMany(boss, queue, ids, { status });
      if (status >= 200 && status < 300) completed += res.affected;
      else failed += res.affected;
    }
    if (completed + failed >= deliveries && finishedAt === 0) {
      finishedAt = now();
      resolveDone();
    }
  };

  const workerIds: string[] = [];
  const started = now();
  try {
    for (let w = 0; w < config.localConcurrency; w++) {
      workerIds.push(await boss.work<JobData>(queue, { batchSize: config.batchSize, pollingIntervalSeconds: 0.5 }, handler));
    }
    const events = Math.ceil(deliveries / FAN_OUT);
    const createdAt = new Date().toISOString();
    const producing = pool(events, input.producers, async (e) => {
      const jobs: PgBoss.JobInsert<JobData>[] = [];
      for (let k = 0; k < FAN_OUT && e * FAN_OUT + k < deliveries; k++) {
        jobs.push({ name: queue, data: { endpoint: k, event_created_at: createdAt, payload: samplePayload(e) } });
      }
      await boss.insert(jobs);
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all([producing, done]),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`pg-boss ${bucket}: ${completed}/${deliveries} completed after ${input.timeoutMs} ms`)), input.timeoutMs))),
    ]).finally(() => clearTimeout(timer));
  } finally {
    for (const id of workerIds) await boss.offWork({ id }).catch(() => {});
    // offWork returns before a fetch in flight settles: give the loops a moment to notice.
    await sleep(50);
    agent.destroy();
  }
  const seconds = (finishedAt - started) / 1000;
  const stats = await receiver.stats(bucket);
  return { ...config, deliveries, seconds, perSecond: deliveries / seconds, received: stats.unique, duplicates: stats.duplicates, completed, failed };
}

export const PGBOSS_CONFIGS: PgBossConfig[] = [
  { batchSize: 50, localConcurrency: 4 },
  { batchSize: 50, localConcurrency: 16 },
  { batchSize: 200, localConcurrency: 4 },
  { batchSize: 200, localConcurrency: 16 },
];

export const contenderDataDir = (root: string) => path.join(root, "comparison-db");
