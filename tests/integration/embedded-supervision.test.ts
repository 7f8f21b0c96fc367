/**
 * Issue 13: the embedded PostgreSQL under a running server. Its own cluster in a temp folder
 * (not the shared test database): kill -9 of the postmaster → restarted, data intact; a frozen
 * database (SIGSTOP of every PostgreSQL process) → 503 within the statement time limit, and the
 * transaction that was cut off wrote nothing.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callRoute } from "../helpers/http";
import { TEST_SECRET } from "../helpers/db";
import { resetConfigForTests } from "@/lib/config";
import { createDatabase, setDb, type Database } from "@/lib/db/client";
import { isAlive, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl } from "@/lib/db/url";
import { createApiKey } from "@/lib/auth/api-keys";
import * as appsRoute from "@/app/api/v1/apps/route";

const STATEMENT_LIMIT_MS = 1_500;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-supervise-"));
let server: EmbeddedPostgres;
let db: Database;
const events: string[] = [];
let gaveUp: Error | undefined;

/** The postmaster and its children (backends, checkpointer, ...). */
function postgresProcesses(postmaster: number): number[] {
  const out = [postmaster];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === postmaster) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

async function query(sql: string, params: unknown[] = []) {
  const client = new pg.Client({
    ...poolConfigFromUrl(server.url),
    connectionTimeoutMillis: 2_000,
  });
  client.on("error", () => {});
  try {
    await client.connect();
    return await client.query(sql, params);
  } finally {
    await client.end().catch(() => {});
  }
}

beforeAll(async () => {
  server = await startEmbeddedPostgres({
    dataDir,
    supervise: {
      onDown: () => events.push("down"),
      onRestarted: () => events.push("restarted"),
      onGiveUp: (err) => (gaveUp = err),
    },
  });
  await applyMigrations(server.url);
  Object.assign(process.env, {
    DATABASE_URL: server.url,
    HOOKLINE_SECRET: TEST_SECRET,
    HOOKLINE_LOG_LEVEL: "error",
    HOOKLINE_DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_LIMIT_MS),
    HOOKLINE_DB_ACQUIRE_TIMEOUT_MS: "1000",
  });
  resetConfigForTests();
  db = createDatabase(server.url);
  setDb(db);
}, 120_000);

afterAll(async () => {
  setDb(undefined);
  await db?.close();
  // Never leave a frozen cluster behind.
  for (const pid of server ? postgresProcesses(server.pid) : [])
    if (isAlive(pid)) process.kill(pid, "SIGCONT");
  await server?.stop(10_000);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("embedded PostgreSQL supervision", () => {
  it("restarts the postmaster after kill -9, on the same URL, within 30 s, with committed data intact", async () => {
    const { key } = await createApiKey({ name: "before-crash" }, "test");
    const first = server.pid;
    process.kill(first, "SIGKILL");
    const started = Date.now();
    let healthy = false;
    while (!healthy && Date.now() - started < 30_000) {
      try {
        await db.pool.query("SELECT 1");
        healthy = server.pid !== first;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    expect(healthy).toBe(true);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(events).toEqual(["down", "restarted"]);
    expect(gaveUp).toBeUndefined();
    expect(isAlive(first)).toBe(false);
    // What was committed before the crash is there, and the API works again.
    expect((await query("SELECT count(*)::int AS n FROM api_keys")).rows[0].n).toBe(1);
    const res = await callRoute(appsRoute.POST, {
      method: "POST",
      path: "/api/v1/apps",
      apiKey: key,
      body: { slug: "after-crash", name: "A" },
    });
    expect(res.status).toBe(201);
  }, 60_000);

  it("answers 503 database_unavailable within the statement limit while the database is frozen, and writes nothing", async () => {
    const { key } = await createApiKey({ name: "freeze" }, "test");
    await db.pool.query("SELECT 1"); // a warm pool: the requests below get connections that then hang
    const frozen = postgresProcesses(server.pid);
    let cutOff: unknown;
    const slowWrite = db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO apps (id, slug, name, updated_at) VALUES ('app_halfwritten', 'half-written', 'H', now())`;
        for (const pid of frozen) process.kill(pid, "SIGSTOP");
        await tx.$executeRaw`SELECT 1`;
      })
      .catch((err: unknown) => (cutOff = err));
    try {
      await slowWrite;
      const started = Date.now();
      const res = await callRoute(appsRoute.POST, {
        method: "POST",
        path: "/api/v1/apps",
        apiKey: key,
        body: { slug: "while-frozen", name: "F" },
      });
      const took = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("database_unavailable");
      expect(took).toBeLessThan(STATEMENT_LIMIT_MS * 2 + 1_000);
      expect(cutOff).toBeDefined();
    } finally {
      for (const pid of frozen) if (isAlive(pid)) process.kill(pid, "SIGCONT");
    }
    // Thawed: the cut-off transaction was rolled back, and requests work again.
    const rows = await query(
      "SELECT slug FROM apps WHERE slug IN ('half-written', 'while-frozen')",
    );
    expect(rows.rows).toEqual([]);
    let after: { status: number } = { status: 0 };
    for (let i = 0; i < 20 && after.status !== 201; i++) {
      after = await callRoute(appsRoute.POST, {
        method: "POST",
        path: "/api/v1/apps",
        apiKey: key,
        body: { slug: "after-thaw", name: "T" },
      });
      if (after.status !== 201) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(after.status).toBe(201);
  }, 60_000);

  it("gives up (so the launcher exits non-zero) when PostgreSQL cannot be restarted in time", async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-giveup-"));
    let reason: Error | undefined;
    const other = await startEmbeddedPostgres({
      dataDir: otherDir,
      supervise: { giveUpAfterMs: 2_000, onGiveUp: (err) => (reason = err) },
    });
    try {
      // The cluster is gone from under it: every restart fails.
      fs.renameSync(path.join(otherDir, "pg"), path.join(otherDir, "pg-moved"));
      process.kill(other.pid, "SIGKILL");
      const started = Date.now();
      while (!reason && Date.now() - started < 15_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(reason).toBeInstanceOf(Error);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await other.stop(5_000);
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
  }, 60_000);
});
