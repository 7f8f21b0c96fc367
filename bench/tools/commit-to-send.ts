/**
 * The delivery core's own latency, without HTTP in front: events accepted in this process (the
 * trigger's accept path, lib/events/trigger-event.ts) at a steady rate to one endpoint, the
 * embedded driver fanning out, claiming and sending them to a receiver on 127.0.0.1. Prints
 * accept → receiver and accept → committed percentiles, so a change to the path from commit to
 * send can be A/B-timed without a Next build.
 *   node --import tsx bench/tools/commit-to-send.ts [events=600] [rate=200]
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { resetConfigForTests } from "@/lib/config";
import { createDatabase, getDb, setDb } from "@/lib/db/client";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { applyMigrations } from "@/lib/db/migrate";
import { poolConfigFromUrl, withDatabase } from "@/lib/db/url";
import { createSigningSecret } from "@/lib/endpoints/signing-secrets";
import { acceptAppEvent } from "@/lib/events/trigger-event";
import { newId } from "@/lib/ids";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";

const [events = 600, rate = 200] = process.argv.slice(2).map(Number);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const summary = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(s, 50).toFixed(1)} ms, p90 ${percentile(s, 90).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms`;
};

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-c2s-"));
const postgres = await startEmbeddedPostgres({ dataDir: dir, database: "postgres" });
const receiver = http.createServer();
const arrivals = new Map<number, number>();
try {
  const url = withDatabase(postgres.url, "c2s");
  const admin = new pg.Client(poolConfigFromUrl(postgres.url));
  await admin.connect();
  await admin.query("CREATE DATABASE c2s");
  await admin.end();
  await applyMigrations(url);
  Object.assign(process.env, {
    DATABASE_URL: url,
    HOOKLINE_SECRET: "commit-to-send-0123456789-abcdefghijklmnopqrstuvwxyz",
    HOOKLINE_ALLOW_PRIVATE_TARGETS: "1",
    HOOKLINE_LOG_LEVEL: "error",
  });
  resetConfigForTests();
  setDb(createDatabase(url));

  receiver.on("request", (req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { n: number } };
      arrivals.set(body.data.n, at);
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;

  const { prisma } = getDb();
  const app = await prisma.app.create({ data: { id: newId("app"), slug: "c2s", name: "c2s" } });
  await prisma.$transaction(async (tx) => {
    const endpoint = await tx.endpoint.create({
      data: {
        id: newId("ep"),
        appId: app.id,
        url: `http://127.0.0.1:${port}/hook`,
        subscriptions: ["*"],
      },
    });
    await createSigningSecret(tx, endpoint.id);
  });

  const driver = startEmbeddedDriver({ replays: false });
  setJobDriver(driver);
  const accepted = new Map<number, { at: number; answeredMs: number }>();
  let sent = 0;
  const send = async () => {
    const n = sent++;
    const at = performance.now();
    await acceptAppEvent(
      app,
      { name: "order.paid", payload: { amount: 1, n }, key: null, channels: [] },
      "event_name",
    );
    accepted.set(n, { at, answeredMs: performance.now() - at });
  };
  for (let i = 0; i < 20; i++) await send(); // warm-up: connections, prepared statements
  const warm = new Set(accepted.keys());
  const gap = 1000 / rate;
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < events; i++) {
    const due = started + i * gap;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    sends.push(send());
  }
  await Promise.all(sends);
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && [...accepted.keys()].some((id) => !arrivals.has(id)))
    await new Promise((r) => setTimeout(r, 20));
  const measured = [...accepted].filter(([id]) => !warm.has(id));
  const toReceiver = measured.flatMap(([id, a]) =>
    arrivals.has(id) ? [arrivals.get(id)! - a.at] : [],
  );
  console.log(
    `${measured.length} events at ${rate}/s, load ${os.loadavg()[0]!.toFixed(2)}: ` +
      `accept → receiver ${summary(toReceiver)} (${toReceiver.length} received); ` +
      `accept answered ${summary(measured.map(([, a]) => a.answeredMs))}`,
  );
  await driver.stop();
  setJobDriver(undefined);
  await getDb().close();
} finally {
  receiver.close();
  await postgres.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
