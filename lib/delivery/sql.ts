import type { Pool, PoolClient } from "pg";
import { getDb } from "@/lib/db/client";

/**
 * Runs `fn` in a transaction on one pooled connection (raw SQL: the delivery hot paths), of
 * `pool` (the shared pool unless given). Rolls back on any error and rethrows it.
 */
export async function withTransaction<T>(
  fn: (client: PoolClient) => Promise<T>,
  pool: Pool = getDb().pool,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** Numbered parameters for hand-built statements: `params.add(value)` returns `$n`. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ""): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
  /** A copy holding the values so far: one statement's shared part, several endings. */
  fork(): SqlParams {
    const copy = new SqlParams();
    copy.values.push(...this.values);
    return copy;
  }
}

/**
 * Named placeholders for a fixed (prepared) statement: `p.$.limit` is `$2` (with its cast), and
 * `p.values({ ... })` lists every named value in placeholder order, so the statement's numbering
 * and the values passed cannot drift apart, and a missing value does not compile.
 */
export function namedParams<const T extends Record<string, string>>(casts: T) {
  type Name = keyof T & string;
  const names = Object.keys(casts) as Name[];
  const $ = Object.fromEntries(
    names.map((name, i) => [name, `$${i + 1}${casts[name] ? `::${casts[name]}` : ""}`]),
  ) as Record<Name, string>;
  return {
    $,
    /** `unnest($1::text[], $2::int[]) AS alias(a, b)`: every array parameter, in order, read as rows. */
    unnestArrays: (alias: string) => {
      const columns = names.filter((name) => casts[name]!.endsWith("[]"));
      return `unnest(${columns.map((c) => $[c]).join(", ")}) AS ${alias}(${columns.join(", ")})`;
    },
    values: (values: Record<Name, unknown>): unknown[] => names.map((name) => values[name]),
  };
}
