/**
 * The claim and record statements on their own: a fresh embedded PostgreSQL with Hookline's
 * schema, one event fanned out to N endpoints (pending deliveries), then claims of `limit` rows
 * are taken and recorded as successes until none are left, timing each step and printing
 * EXPLAIN (ANALYZE, BUFFERS) of the claim at the start, middle and end.
 *   node --import tsx bench/tools/claim-explain.ts [N=10000] [limit=64] [endpoints=N]
 * With fewer endpoints than deliveries, events fan out to every endpoint (N / endpoints events).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase, setDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { encryptSecret, generateSigningSecret } from "@/lib/crypto/secrets";
import { newId } from "@/lib/ids";
import { withTransaction } from "@/lib/delivery/sql";

process.env.HOOKLINE_LOG_LEVEL ??= "warn";
process.env.HOOKLINE_SECRET ??= "bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz";
const N = Number(process.argv[2] ?? 10_000);
const LIMIT = Number(process.argv[3] ?? 64);
const ENDPOINTS = Number(process.argv[4] ?? N);

const { claimDueDeliveries, createOutcomeBatcher, insertPendingDeliveries } = await import("@/lib/delivery/state-machine");

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-claims-"));
fs.chmodSync(dir, 0o711);
const server = await startEmbeddedPostgres({ dataDir: dir, database: "postgres" });
const admin = new pg.Client(poolConfigFromUrl(server.url));
await admin.connect();
await admin.query("CREATE DATABASE claims");
await admin.end();
const url = withDatabase(server.url, "claims");
process.env.DATABASE_URL = url;
await applyMigrations(url);
const db = createDatabase(url, { max: 4 });
setDb(db);
try {
  const appId = newId("app");
  await db.pool.query("INSERT INTO apps (id, slug, name, updated_at) VALUES ($1, 'a', 'a', now())", [appId]);
  const endpointIds = Array.from({ length: ENDPOINTS }, () => newId("ep"));
  await db.pool.query(
    `INSERT INTO endpoints (id, app_id, url, subscriptions, updated_at) SELECT u, $1, 'http://127.0.0.1:9/x', ARRAY['*'], now() FROM unnest($2::text[]) u`,
    [appId, endpointIds],
  );
  await db.pool.query(
    `INSERT INTO endpoint_secrets (id, endpoint_id, secret_encrypted) SELECT 'sec_' || u, u, $2 FROM unnest($1::text[]) u`,
    [endpointIds, encryptSecret(generateSigningSecret(), process.env.HOOKLINE_SECRET!)],
  );
  for (let e = 0; e < N / ENDPOINTS; e++) {
    const eventId = newId("msg");
    await db.pool.query("INSERT INTO events (id, app_id, name, payload) VALUES ($1, $2, 'order.paid', '{\"a\":1}')", [eventId, appId]);
    await withTransaction((c) => insertPendingDeliveries(c, { appId, eventId, eventName: "order.paid", endpointIds, createdAt: new Date() }));
  }
  await db.pool.query("ANALYZE");

  // Capture the statements the engine sends, to EXPLAIN them with their real parameters.
  const captured = new Map<string, { text: string; values: unknown[] }>();
  const original = db.pool.query.bind(db.pool) as (...args: unknown[]) => Promise<unknown>;
  (db.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
    const [q, v] = args as [string | { text: string; values?: unknown[] }, unknown[] | undefined];
    const text = typeof q === "string" ? q : q.text;
    const values = typeof q === "string" ? (v ?? []) : (q.values ?? []);
    if (text.includes("WITH candidates")) captured.set("claim", { text, values });
    if (text.includes("WITH i AS")) {
      captured.set("record", { text, values });
      // Explain a live batch before it is written (the EXPLAIN is rolled back).
      if (explainNextRecord) {
        explainNextRecord = false;
        return explainOne("record", { text, values }, "live batch").then(() => original(...args));
      }
    }
    return original(...args);
  };
  let explainNextRecord = false;
  const explainOne = async (name: string, q: { text: string; values: unknown[] }, label: string) => {
    const client = await db.pool.connect();
    try {
      await client.query("BEGIN");
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values);
      console.log(`\n--- ${name}, ${label}`);
      for (const r of rows) console.log(r["QUERY PLAN"]);
    } finally {
      await client.query("ROLLBACK");
      client.release();
    }
  };
  const explain = async (label: string) => {
    const claim = captured.get("claim");
    if (claim) await explainOne("claim", claim, label);
    explainNextRecord = true;
  };

  const batcher = createOutcomeBatcher();
  let claimed = 0;
  let claimMs = 0;
  let recordMs = 0;
  let claims = 0;
  const t0 = performance.now();
  for (;;) {
    let t = performance.now();
    const batch = await claimDueDeliveries({ workerId: "w1", limit: LIMIT, defaultEndpointSlots: 8 });
    if (claims % 100 === 0) console.log(`claim ${claims}: ${(claimMs / claims).toFixed(2)} ms average so far`);
    claimMs += performance.now() - t;
    claims++;
    if (batch.length === 0) break;
    claimed += batch.length;
    t = performance.now();
    await Promise.all(
      batch.map((c) =>
        batcher.record(c, {
          attemptedAt: new Date(),
          requestHeaders: { "content-type": "application/json" },
          result: { ok: true, status: 200, headers: {}, body: "", bodyTruncated: false, durationMs: 2, error: null, errorCode: null, retryAfterSeconds: null },
        }),
      ),
    );
    recordMs += performance.now() - t;
    if (claims === 2) await explain("start");
    if (claims === Math.floor(N / Math.min(LIMIT, 8 * ENDPOINTS) / 2)) await explain("half way");
  }
  const total = performance.now() - t0;
  console.log(`\n${claimed} deliveries in ${claims} claims: ${(total / 1000).toFixed(2)} s = ${Math.round(claimed / (total / 1000))}/s; claim ${(claimMs / claims).toFixed(2)} ms each, record ${(recordMs / (claims - 1)).toFixed(2)} ms per batch`);
} finally {
  await db.close();
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
