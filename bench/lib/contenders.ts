/**
 * What Hookline is held against, in the same run on the same machine: the ceiling (signed POSTs
 * straight from a keep-alive loop; the same rows written straight with multi-row INSERTs) and
 * what a user would build instead (one pg-boss or graphile-worker job per delivery). Each runs on its own embedded
 * PostgreSQL (same binaries and settings as Hookline's), after Hookline's server has stopped,
 * against the same receiver process.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import PgBoss from "pg-boss";
import {
  Logger,
  makeWorkerUtils,
  run as runGraphileWorker,
  runMigrations as migrateGraphileWorker,
  type Task,
  type WorkerUtils,
} from "graphile-worker";
import { Pool as UndiciPool } from "undici";
import { generateSigningSecret } from "@/lib/crypto/secrets";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { newId } from "@/lib/ids";
import { onCleanup } from "./cleanup";
import type { ReceiverProcess } from "./receiver-client";
import {
  EVENT_NAME,
  FAN_OUT,
  keepAliveAgent,
  maskRequestHeaders,
  now,
  pool,
  post,
  samplePayload,
  signedRequest,
  sleep,
  type SignedRequest,
} from "./workload";

export interface ContenderDatabase {
  ceilingUrl: string;
  pgbossUrl: string;
  graphileUrl: string;
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
    await admin.query("CREATE DATABASE graphile");
    await admin.end();
    const ceilingUrl = withDatabase(server.url, "ceiling");
    await applyMigrations(ceilingUrl);
    return {
      ceilingUrl,
      pgbossUrl: withDatabase(server.url, "pgboss"),
      graphileUrl: withDatabase(server.url, "graphile"),
      stop,
    };
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
  return Array.from({ length: FAN_OUT }, (_, index) => ({
    index,
    secret: generateSigningSecret(),
  }));
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

/** A keep-alive POST client to the receiver: `send` resolves with the HTTP status, 0 on a network error. */
function signedSender(port: number, connections: number, client: HttpCeilingResult["client"]) {
  if (client === "undici") {
    const undici = new UndiciPool(`http://127.0.0.1:${port}`, { connections, pipelining: 1 });
    return {
      send: async (req: SignedRequest) => {
        try {
          const res = await undici.request({
            path: req.path,
            method: "POST",
            headers: req.headers,
            body: req.body,
          });
          await res.body.text();
          return res.statusCode;
        } catch {
          return 0;
        }
      },
      close: () => undici.close(),
    };
  }
  const agent = keepAliveAgent(connections);
  return {
    send: async (req: SignedRequest) =>
      (await post(agent, port, req).catch(() => null))?.status ?? 0,
    close: async () => agent.destroy(),
  };
}

export async function httpCeiling(input: {
  receiver: ReceiverProcess;
  deliveries: number;
  concurrency: number;
  client: HttpCeilingResult["client"];
}): Promise<HttpCeilingResult> {
  const { receiver, deliveries, concurrency } = input;
  const eps = endpoints();
  const bucket = input.client === "undici" ? "cu" : "ch";
  const sender = signedSender(receiver.port, concurrency, input.client);
  await receiver.reset(bucket);
  const createdAt = new Date();
  let errors = 0;
  const started = now();
  try {
    await pool(deliveries, concurrency, async (i) => {
      const event = Math.floor(i / FAN_OUT);
      const ep = eps[i % FAN_OUT]!;
      const req = signedRequest({
        path: `/${bucket}/${ep.index}`,
        msgId: `dlv_c${i}`,
        secret: ep.secret,
        eventCreatedAt: createdAt,
        payload: samplePayload(event),
      });
      if ((await sender.send(req)) !== 200) errors++;
    });
  } finally {
    await sender.close();
  }
  const seconds = (now() - started) / 1000;
  const stats = await receiver.stats(bucket);
  return {
    client: input.client,
    deliveries,
    seconds,
    perSecond: deliveries / seconds,
    received: stats.unique,
    duplicates: stats.duplicates,
    errors,
  };
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

export async function pgCeiling(input: {
  url: string;
  deliveries: number;
  batch: number;
  connections: number;
  label: string;
}): Promise<PgCeilingResult> {
  const { deliveries, batch, connections } = input;
  const db = new pg.Pool({ ...poolConfigFromUrl(input.url), max: connections });
  try {
    const appId = newId("app");
    const slug = `ceiling-${input.label}`;
    await db.query("INSERT INTO apps (id, slug, name, updated_at) VALUES ($1, $2, $2, now())", [
      appId,
      slug,
    ]);
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
        [
          appId,
          EVENT_NAME,
          ids,
          createdAt,
          ids.map((_, k) => JSON.stringify(samplePayload(start + k))),
        ],
      );
    }
    // What a first-try success keeps in its log row in Hookline (the single-write path): masked
    // request headers, the receiver's response headers, in the first_* columns.
    const sample = signedRequest({
      path: "/c/0",
      msgId: "dlv_sample",
      secret: generateSigningSecret(),
      eventCreatedAt: createdAt,
      payload: samplePayload(0),
    });
    const requestHeaders = JSON.stringify(maskRequestHeaders(sample.headers));
    const responseHeaders = JSON.stringify({
      date: createdAt.toUTCString(),
      connection: "keep-alive",
      "keep-alive": "timeout=30",
      "content-length": "0",
    });

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
        `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, last_status_code,
                                 last_attempt_at, completed_at, created_at, updated_at,
                                 first_attempt_id, first_attempt_trigger, first_request_url, first_request_headers,
                                 first_response_status, first_response_headers, first_response_body,
                                 first_response_body_truncated, first_duration_ms, first_attempted_at)
         SELECT u.id, $1, u.event_id, u.endpoint_id, $2, 'success', 1, 200, $7, $7, $8, $7,
                u.attempt_id, 'auto', 'http://127.0.0.1/c/0', $9::jsonb, 200, $10::jsonb, '', false, 1, $7
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS u(id, event_id, endpoint_id, attempt_id)`,
        [
          appId,
          EVENT_NAME,
          dIds,
          eIds,
          epIds,
          aIds,
          at,
          createdAt,
          requestHeaders,
          responseHeaders,
        ],
      );
    });
    const seconds = (now() - started) / 1000;
    const { rows } = await db.query<{ d: number; a: number }>(
      `SELECT (SELECT count(*) FROM deliveries WHERE app_id = $1 AND first_attempt_id IS NOT NULL)::int AS d,
              (SELECT count(*) FROM all_attempts WHERE app_id = $1)::int AS a`,
      [appId],
    );
    if (rows[0]!.d !== deliveries || rows[0]!.a !== deliveries)
      throw new Error(
        `pg ceiling wrote ${rows[0]!.d} deliveries and ${rows[0]!.a} attempts, expected ${deliveries}`,
      );
    return {
      deliveries,
      batch,
      connections,
      seconds,
      perSecond: deliveries / seconds,
      rowsWritten: rows[0]!.d,
    };
  } finally {
    await db.end();
  }
}

// ---------------------------------------------------------------------------------------------
// What a user would build instead: one job per delivery in a PostgreSQL job queue

/** What every queue contender measures, whatever its settings. */
export interface QueueRunResult {
  deliveries: number;
  seconds: number;
  perSecond: number;
  received: number;
  duplicates: number;
  /** Jobs completed with a 2xx, and jobs that failed (non-2xx or a network error). */
  completed: number;
  failed: number;
}

/** What every queue run is given besides its queue and its settings. */
interface QueueRunInput {
  receiver: ReceiverProcess;
  deliveries: number;
  /** Events inserted at once (10 jobs each). */
  producers: number;
  timeoutMs: number;
}

/** One job: which of the 10 endpoints, and the event (its time and payload). */
interface JobData {
  endpoint: number;
  event_created_at: string;
  payload: unknown;
}

/**
 * The job body both queues run, the same signing and POSTing as the ceiling loop: the Standard
 * Webhooks body and headers for the job's endpoint (the job id is the `webhook-id`), POSTed over
 * undici keep-alive connections; resolves with the HTTP status (0 on a network error).
 */
function jobDeliverer(receiver: ReceiverProcess, bucket: string, connections: number) {
  const eps = endpoints();
  const sender = signedSender(receiver.port, connections, "undici");
  return {
    deliver: (id: string, job: JobData) => {
      const ep = eps[job.endpoint]!;
      return sender.send(
        signedRequest({
          path: `/${bucket}/${ep.index}`,
          msgId: id,
          secret: ep.secret,
          eventCreatedAt: new Date(job.event_created_at),
          payload: job.payload,
        }),
      );
    },
    close: sender.close,
  };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

/**
 * The timed part of every queue run: from the first insert, producers insert one job per
 * delivery, 10 per event (as fan-out would), `producers` events at a time, while the workers
 * run; ends when `finished` resolves (the queue says the last job is completed), or fails after
 * `timeoutMs`. Resolves with the seconds taken.
 */
async function timedQueueRun(
  input: Omit<QueueRunInput, "receiver"> & {
    label: string;
    insert: (jobs: JobData[]) => Promise<unknown>;
    /** Resolves with the epoch ms of the last completion. */
    finished: Promise<number>;
    progress: () => string;
  },
): Promise<number> {
  const { deliveries } = input;
  const started = now();
  const createdAt = new Date().toISOString();
  const producing = pool(Math.ceil(deliveries / FAN_OUT), input.producers, async (e) => {
    const jobs: JobData[] = [];
    for (let k = 0; k < FAN_OUT && e * FAN_OUT + k < deliveries; k++)
      jobs.push({ endpoint: k, event_created_at: createdAt, payload: samplePayload(e) });
    await input.insert(jobs);
  });
  let timer: NodeJS.Timeout | undefined;
  const [, finishedAt] = await Promise.race([
    Promise.all([producing, input.finished]),
    new Promise<never>(
      (_, reject) =>
        (timer = setTimeout(
          () =>
            reject(new Error(`${input.label}: ${input.progress()} after ${input.timeoutMs} ms`)),
          input.timeoutMs,
        )),
    ),
  ]).finally(() => clearTimeout(timer));
  return (finishedAt - started) / 1000;
}

async function queueResult(
  receiver: ReceiverProcess,
  bucket: string,
  deliveries: number,
  seconds: number,
  completed: number,
  failed: number,
): Promise<QueueRunResult> {
  const stats = await receiver.stats(bucket);
  return {
    deliveries,
    seconds,
    perSecond: deliveries / seconds,
    received: stats.unique,
    duplicates: stats.duplicates,
    completed,
    failed,
  };
}

// --- pg-boss ----------------------------------------------------------------------------------

export interface PgBossConfig {
  batchSize: number;
  /** Workers (`boss.work` loops) in this process: pg-boss 10's form of local concurrency. */
  localConcurrency: number;
}

export type PgBossResult = PgBossConfig & QueueRunResult;

// pg-boss 10 completes several ids with output data at run time (manager.js `complete(name, id, data)`
// maps an array of ids) and answers with the count; its types only list the single-id form.
type CompleteMany = (name: string, ids: string[], data: object) => Promise<{ affected: number }>;
const completeMany = (boss: PgBoss, name: string, ids: string[], data: object) =>
  (boss.complete as unknown as CompleteMany).call(boss, name, ids, data);

export async function startPgBoss(
  url: string,
  maxConnections: number,
): Promise<{ boss: PgBoss; stop: () => Promise<void> }> {
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
 * Each worker fetches `batchSize` jobs, delivers them all at once (`concurrency` connections in
 * all), then completes them with their status code (one `complete` per distinct status).
 */
export async function pgBossRun(
  input: QueueRunInput & { boss: PgBoss; concurrency: number; config: PgBossConfig },
): Promise<PgBossResult> {
  const { boss, receiver, deliveries, config } = input;
  const queue = `bench_b${config.batchSize}_w${config.localConcurrency}_${Date.now()}`;
  const bucket = `b${config.batchSize}w${config.localConcurrency}`;
  await boss.createQueue(queue);
  await receiver.reset(bucket);
  const deliverer = jobDeliverer(receiver, bucket, input.concurrency);
  let completed = 0;
  let failed = 0;
  let resolveDone!: (at: number) => void;
  const finished = new Promise<number>((resolve) => (resolveDone = resolve));

  const handler = async (jobs: PgBoss.Job<JobData>[]) => {
    const byStatus = new Map<number, string[]>();
    await Promise.all(
      jobs.map(async (job) => {
        const status = await deliverer.deliver(job.id, job.data);
        const ids = byStatus.get(status);
        if (ids) ids.push(job.id);
        else byStatus.set(status, [job.id]);
      }),
    );
    for (const [status, ids] of byStatus) {
      const res = await completeMany(boss, queue, ids, { status });
      if (isSuccess(status)) completed += res.affected;
      else failed += res.affected;
    }
    if (completed + failed >= deliveries) resolveDone(now());
  };

  const workerIds: string[] = [];
  let seconds: number;
  try {
    for (let w = 0; w < config.localConcurrency; w++) {
      workerIds.push(
        await boss.work<JobData>(
          queue,
          { batchSize: config.batchSize, pollingIntervalSeconds: 0.5 },
          handler,
        ),
      );
    }
    seconds = await timedQueueRun({
      label: `pg-boss ${bucket}`,
      deliveries,
      producers: input.producers,
      timeoutMs: input.timeoutMs,
      insert: (jobs) => boss.insert(jobs.map((data) => ({ name: queue, data }))),
      finished,
      progress: () => `${completed}/${deliveries} completed`,
    });
  } finally {
    for (const id of workerIds) await boss.offWork({ id }).catch(() => {});
    // offWork returns before a fetch in flight settles: give the loops a moment to notice.
    await sleep(50);
    await deliverer.close();
  }
  return {
    ...config,
    ...(await queueResult(receiver, bucket, deliveries, seconds, completed, failed)),
  };
}

export const PGBOSS_CONFIGS: PgBossConfig[] = [
  { batchSize: 50, localConcurrency: 4 },
  { batchSize: 50, localConcurrency: 16 },
  { batchSize: 200, localConcurrency: 4 },
  { batchSize: 200, localConcurrency: 16 },
];

// --- graphile-worker --------------------------------------------------------------------------

export interface GraphileConfig {
  /** `concurrency`: jobs run at once in the one worker pool (and undici connections). */
  concurrency: number;
  /** `localQueue.size`: jobs fetched and locked per fetch, handed to the workers locally. */
  localQueueSize: number;
}

export type GraphileResult = GraphileConfig & QueueRunResult;

/** Warnings and errors only: a line per completed job (its default) would be part of the measurement. */
const quietLogger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning")
    console.error(`graphile-worker ${level}: ${message}`);
});

/** Its own pg pool of `maxConnections` (see graphilePoolSize), shared by the producers and the runners; its schema migrated once. */
export async function startGraphileWorker(
  url: string,
  maxConnections: number,
): Promise<{ pgPool: pg.Pool; utils: WorkerUtils; stop: () => Promise<void> }> {
  const pgPool = new pg.Pool({ ...poolConfigFromUrl(url), max: maxConnections });
  let stopping = false;
  // graphile-worker attaches its own handlers only while a runner runs; an idle client's error
  // must not become an uncaught exception between runs.
  pgPool.on("error", (err) => {
    if (!stopping) console.error(`graphile-worker pool: ${err.message}`);
  });
  const open = new Set<pg.PoolClient>();
  pgPool.on("connect", (client) => {
    open.add(client);
    client.once("end", () => open.delete(client));
  });
  const stop = onCleanup("graphile-worker's pool", async () => {
    stopping = true;
    await pgPool.end();
    // end() resolves once it has told its connections to close: wait (at most 5 s) until they
    // have, or the database stopping next terminates them mid-goodbye.
    const deadline = now() + 5_000;
    while (open.size > 0 && now() < deadline) await sleep(10);
  });
  try {
    await migrateGraphileWorker({ pgPool, logger: quietLogger });
    const utils = await makeWorkerUtils({ pgPool, logger: quietLogger });
    return {
      pgPool,
      utils,
      stop: async () => {
        await utils.release();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * One runner per setting, tuned as graphile-worker's own performance page runs it: the local
 * queue, completions and failures batched (`completeJobBatchDelay` / `failJobBatchDelay` 0: one
 * DELETE for the completions of the same tick), the pool its docs advise (graphilePoolSize). A
 * job completes when its POST answers 2xx and throws (to be retried) otherwise. Completion is
 * batched after the task returns, so the run ends when the jobs table is empty, polled every
 * 10 ms once every task has succeeded.
 */
export async function graphileRun(
  input: QueueRunInput & { pgPool: pg.Pool; utils: WorkerUtils; config: GraphileConfig },
): Promise<GraphileResult> {
  const { pgPool, receiver, deliveries, config } = input;
  const task = `deliver_c${config.concurrency}_q${config.localQueueSize}`;
  const bucket = `g${config.concurrency}q${config.localQueueSize}`;
  await receiver.reset(bucket);
  const deliverer = jobDeliverer(receiver, bucket, config.concurrency);
  let completed = 0;
  let failed = 0;
  let allSucceeded!: () => void;
  const succeeded = new Promise<void>((resolve) => (allSucceeded = resolve));
  const deliver: Task = async (payload, helpers) => {
    const status = await deliverer.deliver(helpers.job.id, payload as JobData);
    if (!isSuccess(status)) {
      failed++;
      throw new Error(`HTTP ${status}`);
    }
    if (++completed >= deliveries) allSucceeded();
  };
  const runner = await runGraphileWorker({
    pgPool,
    maxPoolSize: pgPool.options.max,
    concurrency: config.concurrency,
    noHandleSignals: true,
    logger: quietLogger,
    taskList: { [task]: deliver },
    preset: {
      worker: {
        localQueue: { size: config.localQueueSize },
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
      },
    },
  });
  const stopRunner = onCleanup(`graphile-worker (${bucket})`, () => runner.stop());
  let stopped = false;
  const finished = succeeded.then(async () => {
    const deadline = now() + input.timeoutMs;
    while (!stopped && now() < deadline) {
      const { rows } = await pgPool.query<{ left: boolean }>(
        "SELECT EXISTS (SELECT 1 FROM graphile_worker._private_jobs) AS left",
      );
      if (!rows[0]!.left) return now();
      await sleep(10);
    }
    throw new Error(
      `graphile-worker ${bucket}: every task succeeded, but jobs were left in the table`,
    );
  });
  let seconds: number;
  try {
    seconds = await timedQueueRun({
      label: `graphile-worker ${bucket}`,
      deliveries,
      producers: input.producers,
      timeoutMs: input.timeoutMs,
      insert: (jobs) => input.utils.addJobs(jobs.map((payload) => ({ identifier: task, payload }))),
      finished,
      progress: () => `${completed}/${deliveries} succeeded`,
    });
  } finally {
    stopped = true;
    await stopRunner();
    await deliverer.close();
  }
  return {
    ...config,
    ...(await queueResult(receiver, bucket, deliveries, seconds, completed, failed)),
  };
}

/** The pool size graphile-worker's docs advise for a concurrency: 10 or concurrency + 2, whichever is larger. */
export const graphilePoolSize = (configs: GraphileConfig[]) =>
  Math.max(10, ...configs.map((c) => c.concurrency + 2));

export const GRAPHILE_CONFIGS: GraphileConfig[] = [16, 32, 64].flatMap((concurrency) =>
  [500, 1_000].map((localQueueSize) => ({ concurrency, localQueueSize })),
);
/** --quick: two settings of the grid. */
export const GRAPHILE_QUICK_CONFIGS: GraphileConfig[] = [
  { concurrency: 32, localQueueSize: 500 },
  { concurrency: 64, localQueueSize: 1_000 },
];

export const contenderDataDir = (root: string) => path.join(root, "comparison-db");
