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
  /** One connection whose named statements keep a generic plan (`queryWithGenericPlan`). */
  claimPool: pg.Pool;
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
  const claimPool = new pg.Pool({ ...poolConfig, max: 1 });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on("error", () => {});
  claimPool.on("error", () => {});
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
    url,
    async close() {
      await prisma.$disconnect().catch(() => {});
      await Promise.all([pool.end().catch(() => {}), claimPool.end().catch(() => {})]);
    },
  };
}

/** A prepared statement: its name, its text and the values of its parameters. */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

const genericPlanClients = new WeakSet<pg.PoolClient>();

/**
 * Runs a named statement on the claim connection, which keeps one generic plan per statement.
 * For the delivery workers' claim (lib/delivery/claim-deliveries.ts): left to choose, PostgreSQL
 * planned it afresh at every call (a third of its time), although the generic plan is as fast.
 */
export async function queryWithGenericPlan<R extends pg.QueryResultRow>(
  db: Database,
  statement: NamedStatement,
): Promise<pg.QueryResult<R>> {
  const client = await db.claimPool.connect();
  try {
    if (!genericPlanClients.has(client)) {
      await client.query("SET plan_cache_mode = force_generic_plan");
      genericPlanClients.add(client);
    }
    const result = await client.query<R>(statement);
    client.release();
    return result;
  } catch (err) {
    client.release(err as Error); // a broken connection is not reused
    throw err;
  }
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
