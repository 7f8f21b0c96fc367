/**
 * The trigger API alone: Hookline as in the benchmark, one app whose endpoints (if any) point at
 * a closed port with the workers effectively idle, and autocannon POSTing events. Prints the rate,
 * latency and the server's CPU per request; with --profile, a CPU profile as in bench/run.ts.
 *   node --import tsx bench/tools/ingest-only.ts [events=3000] [endpoints=0] [--profile]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { installSignalHandlers, runCleanups } from "../lib/cleanup";
import { describeCpu, measureCpu } from "../lib/cpu";
import { ROOT, startHookline } from "../lib/hookline";
import { samplePayload, sleep } from "../lib/workload";

const [events = 3_000, endpoints = 0] = process.argv
  .slice(2)
  .filter((a) => !a.startsWith("--"))
  .map(Number);
const profile = process.argv.includes("--profile");
installSignalHandlers();
const root = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-ingest-"));
fs.chmodSync(root, 0o711);
try {
  const env: Record<string, string> = {};
  if (profile) {
    const dir = path.join(ROOT, "bench", "profiles");
    fs.mkdirSync(dir, { recursive: true });
    env.NODE_OPTIONS = `--import ${path.join(ROOT, "bench", "lib", "cpu-profile-hook.mjs")}`;
    env.HOOKLINE_BENCH_PROFILE_DIR = dir;
  }
  const server = await startHookline({
    dataDir: path.join(root, "hookline"),
    env,
    log: console.log,
  });
  await server.api("POST", "/api/v1/apps", { slug: "ingest", name: "ingest" });
  for (let i = 0; i < endpoints; i++) {
    await server.api("POST", "/api/v1/apps/ingest/endpoints", {
      url: `http://127.0.0.1:9/${i}`,
      subscriptions: ["order.*"],
    });
  }
  const run = (amount: number) =>
    autocannon({
      url: `${server.url}/api/v1/apps/ingest/events`,
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ event_name: "order.paid", payload: samplePayload(1) }),
      connections: 32,
      amount,
    });
  await run(500); // warm-up
  await sleep(500);
  if (profile) process.kill(server.serverPid, "SIGUSR2");
  const cpu = measureCpu({ server: server.serverPid, postgres: server.postgresPid ?? undefined });
  const started = performance.now();
  const r = await run(events);
  const seconds = (performance.now() - started) / 1000;
  const report = cpu.stop();
  if (profile) process.kill(server.serverPid, "SIGUSR2");
  await sleep(300);
  console.log(
    `${events} events in ${seconds.toFixed(2)} s = ${Math.round(events / seconds)}/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}`,
  );
  console.log(describeCpu(report));
  if (report)
    console.log(
      `server CPU per request ${((report.seconds.server * 1000) / events).toFixed(2)} ms, postgres ${((report.seconds.postgres * 1000) / events).toFixed(2)} ms`,
    );
} finally {
  await runCleanups();
  fs.rmSync(root, { recursive: true, force: true });
}
