/**
 * The delivery log's time partitions (prisma/migrations/*_partitioned_delivery_log): deliveries
 * by their id and attempts by their delivery's id, one partition per UTC week (`PARTITION_MS`)
 * with the same bounds in both tables, so a delivery and its attempts live and leave together.
 *
 * - `ensureLogPartitions` creates the weeks covering the days ahead (the server runs it at start
 *   and with each retention run). Rows a missing week sent to the DEFAULT partition move into
 *   the week's partition when it is created.
 * - `dropExpiredLogPartitions` retires whole weeks older than HOOKLINE_LOG_RETENTION_DAYS: it
 *   detaches them, then drops them, which leaves no bloat. A week with a delivery still queued (a
 *   retry schedule longer than the retention) waits for a later run; rows in the DEFAULT
 *   partition are deleted one by one.
 *
 * Why detach first: dropping an attached partition holds its parent's exclusive lock until the
 * files are gone, and freeing a week's gigabytes takes seconds, every one of them a stall of the
 * delivery path. A detach changes only the catalog; the drop that follows locks the detached
 * table alone. A crash between the two leaves a detached table, which the next run drops.
 *
 * Every change runs in its own short transaction under one advisory lock (several processes may
 * run this at once), with a lock timeout: a partition change takes a brief exclusive lock, and a
 * long query holding the table makes it give up and try again on the next run rather than stall
 * the delivery path behind it.
 */
import type { PoolClient } from "pg";
import { DAY_MS } from "@/lib/delivery-log/date-range";
import { withTransaction } from "@/lib/delivery/sql";
import { idAt, timeOfId } from "@/lib/ids";

/** Both tables are cut at the same delivery-id bounds. */
const LOG_TABLES = [
  {
    table: "deliveries",
    key: "id",
    // A success grows its row by the first attempt (lib/delivery/first-attempt.ts): a page
    // filled to a quarter keeps room for that update on the same page (HOT, no index writes).
    storage: "fillfactor = 25, autovacuum_vacuum_scale_factor = 0.02",
  },
  { table: "attempts", key: "delivery_id", storage: "" },
] as const;

type LogTable = (typeof LOG_TABLES)[number]["table"];

/** pg_advisory_xact_lock key: one partition change at a time across processes. */
const PARTITION_LOCK = 7_411_002;
/** How long a partition change waits for a table's lock before giving up until the next run. */
const LOCK_TIMEOUT = "2s";
/** At most this many partitions are created in one run (a data directory idle for years catches up over several runs). */
const MOST_PARTITIONS_PER_RUN = 400;

export interface LogPartition {
  name: string;
  /** Inclusive lower bound; null for MINVALUE (the rows stored before partitioning). */
  from: string | null;
  /** Exclusive upper bound. */
  to: string;
}

export interface LogPartitions {
  ranges: LogPartition[];
  /** The DEFAULT partition's name, if there is one. */
  fallback: string | null;
}

export const startOfUtcDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * One partition per week, Monday 00:00 UTC to the next: the planner pays for every partition of
 * a statement it cannot prune when planning (BENCHMARKS.md, "The partitioned log and the hot
 * path": 96 daily partitions halved throughput), and 90 days of retention keep 14 weeks.
 */
export const PARTITION_MS = 7 * DAY_MS;
/** 1970-01-05, the first Monday after the epoch. */
const FIRST_MONDAY = 4 * DAY_MS;
export const startOfPeriod = (ms: number) =>
  Math.floor((ms - FIRST_MONDAY) / PARTITION_MS) * PARTITION_MS + FIRST_MONDAY;

/** The id bound of the UTC midnight starting the day of `ms` (where the first partition after the migration's starts). */
export const dayBound = (ms: number) => idAt("dlv", startOfUtcDay(ms));

const dayName = (ms: number) =>
  new Date(startOfUtcDay(ms)).toISOString().slice(0, 10).replace(/-/g, "");

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** A bound from pg_get_expr: `MINVALUE` or a quoted literal. */
function parseBoundValue(text: string): string | null {
  if (text === "MINVALUE") return null;
  const m = /^'((?:[^']|'')*)'$/.exec(text);
  if (!m) throw new Error(`unexpected partition bound ${text}`);
  return m[1]!.replace(/''/g, "'");
}

/** The partitions of one log table, ranges in order. */
export async function listLogPartitions(
  table: LogTable,
  client?: Pick<PoolClient, "query">,
): Promise<LogPartitions> {
  const run = async (c: Pick<PoolClient, "query">) =>
    c.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = $1::regclass`,
      [table],
    );
  const { rows } = client ? await run(client) : await withTransaction(run);
  const ranges: LogPartition[] = [];
  let fallback: string | null = null;
  for (const row of rows) {
    if (row.bound === "DEFAULT") {
      fallback = row.name;
      continue;
    }
    const m = /^FOR VALUES FROM \((.+)\) TO \((.+)\)$/.exec(row.bound);
    if (!m) throw new Error(`unexpected partition bound ${row.bound} of ${row.name}`);
    const to = parseBoundValue(m[2]!);
    if (to === null) throw new Error(`unexpected partition bound ${row.bound} of ${row.name}`);
    ranges.push({ name: row.name, from: parseBoundValue(m[1]!), to });
  }
  ranges.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  return { ranges, fallback };
}

async function lockedChange<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [PARTITION_LOCK]);
    await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
    return fn(client);
  });
}

/**
 * Creates `[from, to)` of `table`, moving in any rows of that range the DEFAULT partition holds.
 * The partition is built beside the table and attached, which locks the parent only lightly.
 */
async function createPartition(
  client: PoolClient,
  spec: (typeof LOG_TABLES)[number],
  fallback: string | null,
  name: string,
  from: string,
  to: string,
): Promise<number> {
  const { table, key, storage } = spec;
  await client.query(
    `CREATE TABLE ${quoteIdent(name)} (LIKE ${quoteIdent(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)${storage ? ` WITH (${storage})` : ""}`,
  );
  let moved = 0;
  if (fallback) {
    const result = await client.query(
      `WITH moved AS (DELETE FROM ${quoteIdent(fallback)} WHERE ${key} >= $1 AND ${key} < $2 RETURNING *)
       INSERT INTO ${quoteIdent(name)} SELECT * FROM moved`,
      [from, to],
    );
    moved = result.rowCount ?? 0;
  }
  await client.query(
    `ALTER TABLE ${quoteIdent(table)} ATTACH PARTITION ${quoteIdent(name)} FOR VALUES FROM (${quoteLiteral(from)}) TO (${quoteLiteral(to)})`,
  );
  return moved;
}

export interface EnsureResult {
  created: string[];
  /** Rows moved out of DEFAULT partitions into the new partitions. */
  moved: number;
}

/**
 * Partitions in both tables from the last one until `daysAhead` days after `now` are covered; a
 * table with none yet starts at the day of `since` (default: `now`).
 */
export async function ensureLogPartitions(
  input: { now?: Date; daysAhead?: number; since?: Date } = {},
): Promise<EnsureResult> {
  const now = (input.now ?? new Date()).getTime();
  const since = input.since?.getTime() ?? now;
  const until = startOfUtcDay(now) + ((input.daysAhead ?? 3) + 1) * DAY_MS;
  const result: EnsureResult = { created: [], moved: 0 };
  for (const spec of LOG_TABLES) {
    for (let made = 0; made < MOST_PARTITIONS_PER_RUN; made++) {
      const done = await lockedChange(async (client) => {
        const { ranges, fallback } = await listLogPartitions(spec.table, client);
        const top = ranges.at(-1)?.to ?? dayBound(since);
        const topMs = timeOfId(top);
        if (topMs === null) throw new Error(`${spec.table}: cannot read a time from bound ${top}`);
        if (topMs >= until) return true;
        const next = idAt("dlv", startOfPeriod(topMs) + PARTITION_MS);
        const name = `${spec.table}_p${dayName(topMs)}`;
        result.moved += await createPartition(client, spec, fallback, name, top, next);
        result.created.push(name);
        return false;
      });
      if (done) break;
    }
  }
  return result;
}

export interface DropResult {
  /** Partitions retired (detached, then dropped), and detached ones a previous run left behind. */
  dropped: string[];
  /** Days past retention kept because a delivery of theirs is still queued. */
  held: string[];
  /** Rows past retention deleted from the DEFAULT partitions. */
  deletedFromDefault: number;
}

/** A log partition's name: its table, `_p`, and the UTC day it starts (or `before`). */
const PARTITION_NAME = /^(deliveries|attempts)_p([0-9]{8}|before)$/;

/**
 * Tables named like a log partition that are no longer attached to the log: retired partitions a
 * crash kept from being dropped. Only names dated before `cutoffMs` (or the pre-partitioning
 * rows) qualify, so a table made by hand for another week is left alone.
 */
export async function listDetachedLogPartitions(cutoffMs: number): Promise<string[]> {
  const { rows } = await withTransaction((client) =>
    client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
       WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' AND NOT c.relispartition
         AND c.relname ~ $1`,
      [PARTITION_NAME.source],
    ),
  );
  const cutoffDay = dayName(cutoffMs);
  return rows
    .map((r) => r.name)
    .filter((name) => {
      const day = PARTITION_NAME.exec(name)?.[2];
      return day === "before" || (day !== undefined && day < cutoffDay);
    })
    .sort();
}

/** Drops detached log partitions; each drop locks only its own table, never the log. */
async function dropDetached(names: string[], result: DropResult): Promise<void> {
  for (const name of names) {
    await withTransaction(async (client) => {
      await client.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
    });
    if (!result.dropped.includes(name)) result.dropped.push(name);
  }
}

/**
 * Retires every partition wholly older than `retentionDays` (0 keeps everything), in both
 * tables, and deletes rows that old from the DEFAULT partitions.
 */
export async function dropExpiredLogPartitions(input: {
  now?: Date;
  retentionDays: number;
  signal?: AbortSignal;
}): Promise<DropResult> {
  const result: DropResult = { dropped: [], held: [], deletedFromDefault: 0 };
  if (input.retentionDays <= 0) return result;
  const cutoffMs = (input.now ?? new Date()).getTime() - input.retentionDays * DAY_MS;
  const cutoff = idAt("dlv", cutoffMs);
  // What an earlier run detached and did not get to drop.
  await dropDetached(await listDetachedLogPartitions(cutoffMs), result);
  const deliveries = await listLogPartitions("deliveries");
  for (const part of deliveries.ranges) {
    if (input.signal?.aborted) return result;
    if (part.to > cutoff) break;
    const detached = await lockedChange(async (client) => {
      // Another process may have retired it since the list was read.
      const current = await listLogPartitions("deliveries", client);
      if (!current.ranges.some((r) => r.name === part.name)) return [];
      const queued = await client.query(
        `SELECT 1 FROM delivery_queue WHERE delivery_id >= $1 AND delivery_id < $2 LIMIT 1`,
        [part.from ?? "", part.to],
      );
      if (queued.rowCount) {
        result.held.push(part.name);
        return [];
      }
      const attempts = await listLogPartitions("attempts", client);
      const twin = attempts.ranges.find((a) => a.from === part.from && a.to === part.to);
      await client.query(`ALTER TABLE deliveries DETACH PARTITION ${quoteIdent(part.name)}`);
      if (!twin) return [part.name];
      await client.query(`ALTER TABLE attempts DETACH PARTITION ${quoteIdent(twin.name)}`);
      return [part.name, twin.name];
    });
    await dropDetached(detached, result);
  }
  // Attempts partitions with no deliveries twin (one was dropped by hand, say) follow the same rule.
  for (const part of (await listLogPartitions("attempts")).ranges) {
    if (part.to > cutoff || result.dropped.includes(part.name)) continue;
    if (deliveries.ranges.some((d) => d.from === part.from && d.to === part.to)) continue;
    await lockedChange((client) =>
      client.query(`ALTER TABLE attempts DETACH PARTITION ${quoteIdent(part.name)}`),
    );
    await dropDetached([part.name], result);
  }
  for (const spec of LOG_TABLES) {
    const { fallback } = await listLogPartitions(spec.table);
    if (!fallback) continue;
    for (;;) {
      if (input.signal?.aborted) return result;
      const deleted = await withTransaction((client) =>
        client.query(
          `DELETE FROM ${quoteIdent(fallback)} WHERE ctid = ANY(ARRAY(
             SELECT t.ctid FROM ${quoteIdent(fallback)} t
             WHERE t.${spec.key} < $1
               AND NOT EXISTS (SELECT 1 FROM delivery_queue q WHERE q.delivery_id = t.${spec.key})
             LIMIT 1000))`,
          [cutoff],
        ),
      );
      result.deletedFromDefault += deleted.rowCount ?? 0;
      if ((deleted.rowCount ?? 0) < 1000) break;
    }
  }
  return result;
}
