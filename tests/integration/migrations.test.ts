import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { inject } from "vitest";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { applyMigrations, diffMigrationsToSchema, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";

const name = `m_${randomBytes(5).toString("hex")}`;
const admin = () => new pg.Client(poolConfigFromUrl(inject("pgUrl")));

afterAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
});

describe("migrations", () => {
  it("apply on an empty database, then are a no-op, and match the Prisma schema", async () => {
    const c = admin();
    await c.connect();
    await c.query(`CREATE DATABASE ${name}`);
    await c.end();
    const url = withDatabase(inject("pgUrl"), name);

    const folders = fs
      .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders.length).toBeGreaterThan(0);
    expect(await applyMigrations(url)).toEqual(folders);
    expect(await applyMigrations(url)).toEqual([]);

    const db = new pg.Client(poolConfigFromUrl(url));
    await db.connect();
    const recorded = await db.query(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    const tables = await db.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
    );
    const indexes = await db.query(
      "SELECT indexname FROM pg_indexes WHERE tablename IN ('deliveries', 'delivery_queue') ORDER BY indexname",
    );
    // Statements Prisma cannot express survive whole (a script is sent as one query, not split on ";").
    const storage = await db.query(
      "SELECT relname, reloptions FROM pg_class WHERE relname IN ('deliveries', 'delivery_queue', 'delivery_rollups_hourly') ORDER BY relname",
    );
    const triggers = await db.query(
      "SELECT tgname FROM pg_trigger WHERE tgname LIKE '%cache_invalidation' ORDER BY tgname",
    );
    await db.end();
    expect(storage.rows).toEqual([
      {
        relname: "deliveries",
        reloptions: ["fillfactor=70", "autovacuum_vacuum_scale_factor=0.02"],
      },
      {
        relname: "delivery_queue",
        reloptions: [
          "fillfactor=70",
          "autovacuum_vacuum_scale_factor=0.02",
          "autovacuum_vacuum_insert_scale_factor=0.02",
        ],
      },
      { relname: "delivery_rollups_hourly", reloptions: ["fillfactor=50"] },
    ]);
    expect(triggers.rows.map((r) => r.tgname)).toEqual([
      "api_keys_cache_invalidation",
      "apps_cache_invalidation",
      "event_types_cache_invalidation",
    ]);
    expect(recorded.rows.map((r) => r.migration_name)).toEqual(folders);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        "apps",
        "api_keys",
        "endpoints",
        "endpoint_secrets",
        "event_types",
        "events",
        "deliveries",
        "attempts",
        "replay_tasks",
        "tickets",
        "audit_logs",
        "delivery_rollups_hourly",
      ]),
    );
    // Keyset pagination has its index; due work is looked up in the queue, and the log carries no
    // index on a column an outcome changes (so outcome updates can be HOT).
    expect(indexes.rows.map((r) => r.indexname)).toEqual([
      "deliveries_app_id_created_at_id_idx",
      "deliveries_endpoint_id_created_at_id_idx",
      "deliveries_event_id_idx",
      "deliveries_pkey",
      "delivery_queue_app_run_at_idx",
      "delivery_queue_fifo_idx",
      "delivery_queue_pkey",
    ]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["delivery_queue", "event_fanout_queue"]),
    );

    // A schema change without its migration would show up here.
    expect(await diffMigrationsToSchema(url)).toBe("");
  });
});
