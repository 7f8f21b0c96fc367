/**
 * Issue 23 item 1: triggers during a database freeze (every PostgreSQL process SIGSTOPped). Each
 * answers within the documented limit (`HOOKLINE_DB_STATEMENT_TIMEOUT_MS`), and a 503 means
 * nothing was committed: after the database wakes up and has worked off whatever was left in its
 * sockets, no 503-answered event is in the database (events or the fan-out queue), every
 * 202-answered one is.
 *
 * The database is a private embedded PostgreSQL (the shared one serves other test files).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_SECRET } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { startCacheInvalidation } from "@/lib/cache/lookup-cache";
import { resetConfigForTests } from "@/lib/config";
import { createDatabase, setDb, type Database } from "@/lib/db/client";
import { isAlive, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl } from "@/lib/db/url";
import * as eventsRoute from "@/app/api/v1/apps/[slug]/events/route";

const LIMIT_MS = 3_000;

let dir: string;
let server: EmbeddedPostgres;
let db: Database;
let frozen: number[] = [];
let caches: ReturnType<typeof startCacheInvalidation> | undefined;

/** The postmaster and every process it forked (backends, checkpointer, WAL writer, ...). */
function postgresProcesses(postmaster: number): number[] {
  const children = fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

function freeze() {
  // The postmaster first: stopped, it forks nothing after its children are listed.
  process.kill(server.pid, "SIGSTOP");
  frozen = [server.pid];
  for (const pid of postgresProcesses(server.pid).slice(1)) {
    try {
      process.kill(pid, "SIGSTOP");
      frozen.push(pid);
    } catch (err) {
      // A backend or worker that ended since it was listed has nothing left to freeze.
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }
}

function thaw() {
  for (const pid of frozen) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // gone
    }
  }
  frozen = [];
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-freeze-"));
  server = await startEmbeddedPostgres({ dataDir: dir, database: "hookline" });
  await applyMigrations(server.url);
  Object.assign(process.env, {
    DATABASE_URL: server.url,
    HOOKLINE_SECRET: TEST_SECRET,
    HOOKLINE_LOG_LEVEL: "error",
    HOOKLINE_DB_STATEMENT_TIMEOUT_MS: String(LIMIT_MS),
  });
  resetConfigForTests();
  db = createDatabase(server.url);
  setDb(db);
  // As in the server: the key, app and event-type lookups are cached, so a trigger's only
  // statement during the freeze is its write.
  caches = startCacheInvalidation();
  await eventually(async () => (caches!.listening ? true : undefined), 30_000, "cache listener");
}, 120_000);

afterAll(async () => {
  thaw();
  await caches?.stop();
  setDb(undefined);
  await db?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  delete process.env.HOOKLINE_DB_STATEMENT_TIMEOUT_MS;
  resetConfigForTests();
});

interface Answer {
  marker: number;
  status: number;
  code?: string;
  eventId?: string;
  elapsedMs: number;
}

describe("a database freeze under triggers", () => {
  it("answers every trigger within the limit, and a 503 never commits", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://a.example/hook" });
    const { key } = await createApiKey({ name: "freeze" }, "test");
    const trigger = async (marker: number, idempotencyKey?: string): Promise<Answer> => {
      const started = Date.now();
      const res = await callRoute(eventsRoute.POST, {
        method: "POST",
        path: `/api/v1/apps/${app.slug}/events`,
        params: { slug: app.slug },
        apiKey: key,
        body: { event_name: "freeze.test", payload: { marker } },
        headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {},
      });
      return {
        marker,
        status: res.status,
        code: res.body?.error?.code,
        eventId: res.body?.event_id,
        elapsedMs: Date.now() - started,
      };
    };
    // Warm: the key, the app and the event type are cached, so the triggers below reach the write.
    for (let i = 0; i < 3; i++) expect((await trigger(-1 - i)).status).toBe(202);

    const admin = new pg.Client(poolConfigFromUrl(server.url));
    await admin.connect();
    const backendsBefore = (
      await admin.query<{ pid: number }>(
        // The pool's connections (the cache listener's stays open throughout).
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query NOT LIKE 'LISTEN%'",
      )
    ).rows.map((r) => r.pid);
    await admin.end();

    freeze();
    const answers: Promise<Answer>[] = [];
    // A first wave (its batch is sent to the frozen server), then a second one a second later
    // (waiting behind it in the group commit), keyed and not.
    for (let i = 0; i < 4; i++) answers.push(trigger(i, i % 2 ? `freeze-${i}` : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let i = 4; i < 8; i++) answers.push(trigger(i, i % 2 ? `freeze-${i}` : undefined));
    const answered = await Promise.all(answers);
    // Frozen a while longer: whatever is still in the sockets meets a database past the deadlines.
    await new Promise((resolve) => setTimeout(resolve, 500));
    thaw();

    // Let the database work off every statement its old connections had received: close them,
    // and wait until each of their backends has exited (a backend reads its socket in order).
    await db.close();
    db = createDatabase(server.url);
    setDb(db);
    await eventually(
      async () => {
        const { rows } = await db.pool.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])",
          [backendsBefore],
        );
        return rows.length === 0 && backendsBefore.every((pid) => !isAlive(pid)) ? true : undefined;
      },
      30_000,
      "the frozen connections' backends to exit",
    );

    const { rows: stored } = await db.pool.query<{ marker: number; queued: boolean }>(
      `SELECT (e.payload->>'marker')::int AS marker, q.event_id IS NOT NULL AS queued
       FROM events e LEFT JOIN event_fanout_queue q ON q.event_id = e.id
       WHERE e.app_id = $1 AND (e.payload->>'marker')::int >= 0`,
      [app.id],
    );
    const storedMarkers = new Set(stored.map((r) => r.marker));
    const marker = (a: Answer) => `${a.marker}: ${a.status} after ${a.elapsedMs} ms`;
    expect({
      late: answered.filter((a) => a.elapsedMs > LIMIT_MS).map(marker),
      neither202Nor503: answered.filter((a) => a.status !== 202 && a.status !== 503).map(marker),
      unavailableButCommitted: answered
        .filter((a) => a.status === 503 && storedMarkers.has(a.marker))
        .map(marker),
      acceptedButMissing: answered
        .filter((a) => a.status === 202 && !storedMarkers.has(a.marker))
        .map(marker),
      all503AreDatabaseUnavailable: answered
        .filter((a) => a.status === 503)
        .every((a) => a.code === "database_unavailable"),
    }).toEqual({
      late: [],
      neither202Nor503: [],
      unavailableButCommitted: [],
      acceptedButMissing: [],
      all503AreDatabaseUnavailable: true,
    });
    // The freeze was seen, and the triggers work again once it is over.
    expect(answered.filter((a) => a.status === 503).length).toBeGreaterThan(0);
    await eventually(
      async () => ((await trigger(100)).status === 202 ? true : undefined),
      30_000,
      "a trigger accepted after the freeze",
    );
  }, 120_000);
});
