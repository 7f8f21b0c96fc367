import { afterAll, describe, expect, it } from "vitest";
import pg from "pg";
import { inject } from "vitest";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations, diffMigrationsToSchema, MIGRATIONS_DIR } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { dayBound } from "@/lib/delivery-log/partitions";

const name = `m_${randomBytes(5).toString("hex")}`;
const upgraded = `m_${randomBytes(5).toString("hex")}`;
const admin = () => new pg.Client(poolConfigFromUrl(inject("pgUrl")));

afterAll(async () => {
  const c = admin();
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
});

const migrationFolders = () =>
  fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

async function createDatabase(db: string): Promise<string> {
  const c = admin();
  await c.connect();
  await c.query(`CREATE DATABASE ${db}`);
  await c.end();
  return withDatabase(inject("pgUrl"), db);
}

describe("migrations", () => {
  it("apply on an empty database, then are a no-op, and match the Prisma schema", async () => {
    const url = await createDatabase(name);

    const folders = migrationFolders();
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
      "SELECT relname, reloptions FROM pg_class WHERE relname IN ('deliveries_p_before', 'deliveries_p_default', 'delivery_queue', 'delivery_rollups_hourly') ORDER BY relname",
    );
    const triggers = await db.query(
      "SELECT tgname FROM pg_trigger WHERE tgname LIKE '%cache_invalidation' ORDER BY tgname",
    );
    await db.end();
    // The log's partitions carry the storage settings (a partitioned table has none).
    expect(storage.rows).toEqual([
      {
        relname: "deliveries_p_before",
        reloptions: ["autovacuum_vacuum_scale_factor=0.02", "fillfactor=25"],
      },
      {
        relname: "deliveries_p_default",
        reloptions: ["autovacuum_vacuum_scale_factor=0.02", "fillfactor=25"],
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

  it("partition the delivery log of an existing database: its rows stay readable, before the first day", async () => {
    const url = await createDatabase(upgraded);
    // Every migration up to the one that partitions the log, then a log with rows in it.
    const all = migrationFolders();
    const partitioning = all.findIndex((n) => n.endsWith("_partitioned_delivery_log"));
    expect(partitioning).toBeGreaterThan(0);
    const earlier = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-migrations-"));
    try {
      fs.copyFileSync(
        path.join(MIGRATIONS_DIR, "migration_lock.toml"),
        path.join(earlier, "migration_lock.toml"),
      );
      for (const folder of all.slice(0, partitioning))
        fs.cpSync(path.join(MIGRATIONS_DIR, folder), path.join(earlier, folder), {
          recursive: true,
        });
      expect(await applyMigrations(url, earlier)).toHaveLength(partitioning);
    } finally {
      fs.rmSync(earlier, { recursive: true, force: true });
    }
    const db = new pg.Client(poolConfigFromUrl(url));
    await db.connect();
    try {
      await db.query(`INSERT INTO apps (id, slug, name, updated_at) VALUES ('app_1', 'a', 'A', now());
        INSERT INTO endpoints (id, app_id, url, updated_at) VALUES ('ep_1', 'app_1', 'https://r.example.com', now());
        INSERT INTO events (id, app_id, name, payload) VALUES ('msg_01old', 'app_1', 'a.b', '{}');
        INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name) VALUES
          ('dlv_00old', 'app_1', 'msg_01old', 'ep_1', 'a.b'), ('dlv_zzz-clock-ahead', 'app_1', 'msg_01old', 'ep_1', 'a.b');
        INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, request_url, duration_ms) VALUES
          ('atm_01old', 'dlv_00old', 'app_1', 'ep_1', 1, 'https://r.example.com', 3)`);

      expect(await applyMigrations(url)).toEqual(all.slice(partitioning));
      const where = await db.query<{ part: string; id: string }>(
        `SELECT tableoid::regclass::text AS part, id FROM deliveries
         UNION ALL SELECT tableoid::regclass::text, id FROM attempts ORDER BY 2`,
      );
      // An id that sorts after the cut (a clock that ran ahead) waits in the DEFAULT partition.
      expect(where.rows).toEqual([
        { part: "attempts_p_before", id: "atm_01old" },
        { part: "deliveries_p_before", id: "dlv_00old" },
        { part: "deliveries_p_default", id: "dlv_zzz-clock-ahead" },
      ]);
      // The first day partition starts at the UTC midnight after the newest row (or now).
      const bound = await db.query<{ bound: string }>(
        "SELECT pg_get_expr(relpartbound, oid) AS bound FROM pg_class WHERE relname = 'deliveries_p_before'",
      );
      expect(bound.rows[0]!.bound).toBe(
        `FOR VALUES FROM (MINVALUE) TO ('${dayBound(Date.now() + 86_400_000)}')`,
      );
      // App deletion still reaches every row of the log.
      await db.query("DELETE FROM apps WHERE id = 'app_1'");
      const left = await db.query(
        "SELECT (SELECT count(*) FROM deliveries) + (SELECT count(*) FROM attempts) + (SELECT count(*) FROM events) AS n",
      );
      expect(Number(left.rows[0].n)).toBe(0);
    } finally {
      await db.end();
    }
  });
});
