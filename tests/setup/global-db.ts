/**
 * Vitest global setup for the integration project: one embedded PostgreSQL for the whole run,
 * with a migrated template database that every test file clones (tests/helpers/db.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";

export const TEMPLATE_DB = "hookline_template";

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

let server: EmbeddedPostgres | undefined;
let dir: string | undefined;

export async function setup(project: TestProject) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-test-pg-"));
  server = await startEmbeddedPostgres({ dataDir: dir, database: "postgres" });
  const admin = new pg.Client(poolConfigFromUrl(server.url));
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
    await applyMigrations(withDatabase(server.url, TEMPLATE_DB));
    // Cloning needs the template to have no sessions left open.
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
      [TEMPLATE_DB],
    );
  } finally {
    await admin.end();
  }
  project.provide("pgUrl", server.url);
}

export async function teardown() {
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
