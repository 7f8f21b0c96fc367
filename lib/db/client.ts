import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/generated/prisma/client";
import { getConfig } from "@/lib/config";
import { TimedClient } from "@/lib/db/timed-client";
import { poolConfigFromUrl } from "@/lib/db/url";
import { processSingleton } from "@/lib/runtime/process-singleton";

/**
 * One pg pool per process, shared by Prisma (CRUD and typed reads) and by raw SQL on the hot
 * paths (claims, fan-out inserts, attempt writes). One per process (processSingleton) so Next's separately bundled entries, dev reloads
 * and tests that import modules twice do not open a second pool.
 */
export interface Database {
  prisma: PrismaClient;
  pool: pg.Pool;
  /** One connection for the delivery workers' claim, whose statements keep a generic plan. */
  claimPool: pg.Pool;
  /**
   * Connections whose statements keep a generic plan, for the hot paths' named statements (the
   * trigger's insert, fan-out, the outcome writes). Left to choose, PostgreSQL planned each of
   * them afresh at every call; not for Prisma's statements, whose plans depend on their values.
   */
  writePool: pg.Pool;
  url: string;
  close(): Promise<void>;
}

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const { dbStatementTimeoutMs, dbAcquireTimeoutMs } = getConfig();
  const poolConfig: pg.PoolConfig = {
    ...poolConfigFromUrl(url),
    Client: TimedClient,
    max: options.max ?? 10,
    connectionTimeoutMillis: dbAcquireTimeoutMs,
    idleTimeoutMillis: 30_000,
    // A statement stuck on a lock must not hold a request: the server cancels it...
    statement_timeout: dbStatementTimeoutMs,
    lock_timeout: dbStatementTimeoutMs,
    idle_in_transaction_session_timeout: dbStatementTimeoutMs * 2,
    // ...and a server that does not answer at all (frozen, partitioned) is given up on here.
    query_timeout: dbStatementTimeoutMs + 250,
  };
  const pool = new pg.Pool(poolConfig);
  const claimPool = genericPlanPool({ ...poolConfig, max: 1 });
  // Enough for every writer at once: two ingest batches, the outcome batch, two fan-out lanes.
  const writePool = genericPlanPool({ ...poolConfig, max: 6 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  // Prisma's defaults (2 s to start an interactive transaction, 5 s to finish it) are tighter
  // than the pool's own limits: on a busy machine a transaction gave up waiting for a
  // connection the pool would still have handed out.
  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    transactionOptions: { maxWait: dbAcquireTimeoutMs, timeout: dbStatementTimeoutMs },
  });
  return {
    prisma,
    pool,
    claimPool,
    writePool,
    url,
    async close() {
      await prisma.$disconnect().catch(() => {});
      await Promise.all([pool, claimPool, writePool].map((p) => p.end().catch(() => {})));
    },
  };
}

/** A prepared statement: its name, its text and the values of its parameters. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

/**
 * A pool whose connections keep one generic plan per named statement: the mode is set on each
 * new connection before the pool hands it out. A statement run here must not need its values
 * to be planned well.
 */
function genericPlanPool(config: pg.PoolConfig): pg.Pool {
  const genericPool = new pg.Pool({
    ...config,
    // pg-pool awaits this hook (its types say void); a failure drops the new connection.
    onConnect: (client) =>
      client.query("SET plan_cache_mode = force_generic_plan") as unknown as void,
  });
  genericPool.on("error", () => {});
  return genericPool;
}

const holder = processSingleton<{ db?: Database }>("db/client", () => ({}));

/** The process-wide database, opened on first use from `DATABASE_URL`. */
export function getDb(): Database {
  if (!holder.db) {
    const url = getConfig().databaseUrl;
    if (!url)
      throw new Error(
        "DATABASE_URL is not set: start Hookline with `npm start`, which provides it",
      );
    holder.db = createDatabase(url);
  }
  return holder.db;
}

/** Points the process at a given database (tests, CLI). Closes nothing; the caller owns `db`. */
export function setDb(db: Database | undefined): void {
  holder.db = db;
}

export type { PrismaClient };
