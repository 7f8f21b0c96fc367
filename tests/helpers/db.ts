/**
 * A fresh database per test file, cloned from the migrated template, installed as the process
 * database (`getDb()`), and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createDatabase, setDb, type Database } from "@/lib/db/client";
import { resetConfigForTests } from "@/lib/config";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";

export const TEST_SECRET = "test-secret-0123456789-abcdefghijklmnopqrstuvwxyz";

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(poolConfigFromUrl(inject("pgUrl")));
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a database from the template and returns its URL (the caller drops it). */
export async function createTestDatabase(): Promise<{
  url: string;
  name: string;
  drop(): Promise<void>;
}> {
  const name = `t_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE hookline_template`));
  return {
    name,
    url: withDatabase(inject("pgUrl"), name),
    drop: () =>
      admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * Call at the top of a test file. Returns a getter for the file's database; it also sets
 * DATABASE_URL and HOOKLINE_SECRET so `getConfig()` and `getDb()` work as in the server.
 */
export function useTestDatabase(env: Record<string, string> = {}): () => Database {
  let db: Database | undefined;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const created = await createTestDatabase();
    drop = created.drop;
    Object.assign(
      process.env,
      { DATABASE_URL: created.url, HOOKLINE_SECRET: TEST_SECRET, HOOKLINE_LOG_LEVEL: "error" },
      env,
    );
    resetConfigForTests();
    db = createDatabase(created.url);
    setDb(db);
  });
  afterAll(async () => {
    setDb(undefined);
    await db?.close();
    await drop?.();
  });
  return () => {
    if (!db) throw new Error("the test database is not ready (use it inside tests or hooks)");
    return db;
  };
}
