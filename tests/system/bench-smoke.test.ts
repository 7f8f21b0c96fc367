/**
 * `npm run bench -- --quick` with tiny numbers runs to the end and counts correctly: every
 * delivery arrives once and is recorded, every contender (pg-boss, graphile-worker) delivers
 * every job, and every row of the table has its figures. No timing is asserted beyond being
 * there (the benchmark is not a test); the figures themselves go to BENCHMARKS.md.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBenchScript } from "../helpers/run-bench";
import { tempDataDir } from "../helpers/server";

const dir = tempDataDir("bench-smoke");

describe("npm run bench -- --quick (tiny)", () => {
  it(
    "runs every phase to the end, counts every delivery once, and writes the report",
    { timeout: 1_500_000 }, // ~1 min on a quiet machine; 7 or more at load 14
    async () => {
      const out = path.join(dir, "result.json");
      const deliveries = 200;
      const endpoints = 50;
      const ingestEvents = 40;
      const pgboss = 100;
      const graphile = 100;
      const { code, output } = await runBenchScript(
        "bench/run.ts",
        [
          "--quick",
          `--deliveries=${deliveries}`,
          `--endpoints=${endpoints}`,
          "--concurrency=8",
          "--ingest-clients=8",
          `--ingest-events=${ingestEvents}`,
          "--latency-seconds=1",
          "--latency-rate=20",
          "--soak-seconds=2",
          `--pgboss-deliveries=${pgboss}`,
          `--graphile-deliveries=${graphile}`,
          `--out=${out}`,
          "--memory",
        ],
        { stallMs: 240_000, limitMs: 1_440_000 },
      );
      expect(code, output).toBe(0);
      // --memory: the server's memory told apart after each Hookline phase.
      expect(output).toMatch(
        /server memory after throughput: peak RSS \d+ MB = V8 heap \d+ MB .* MB after a full GC/,
      );
      // One table with all eleven rows, every one measured; the JSON holds the same rows.
      const rows = [
        "1. Delivery throughput",
        "2a. Ingest alone",
        "2b. Ingest during throughput",
        "2c. Svix message.create",
        "3. Latency",
        "4. Fan-out",
        "4b. Fan-out to",
        "5. Ceiling",
        "6. Job queues",
        "7. Ordinary endpoints beside busy FIFO ones",
        "8. App B's deliveries during app A's",
        "9. Soak with 30 % receiver errors",
      ];
      for (const row of rows) expect(output).toContain(row);

      const report = JSON.parse(fs.readFileSync(out, "utf8"));
      const r = report.results;
      expect(report.table.map((t: { row: string }) => t.row.slice(0, 3))).toEqual(
        rows.map((row) => row.slice(0, 3)),
      );
      for (const t of report.table) expect(t.measured).not.toBe("not run");
      expect(r.throughput).toMatchObject({
        deliveries,
        received: deliveries,
        duplicates: 0,
        recorded: { success: deliveries, attempts: deliveries, other: 0 },
      });
      // Ingest (a) alone, every delivery it caused counted at the receiver; (b) during the throughput phase.
      expect(r.ingestAlone).toMatchObject({
        events: ingestEvents,
        received: ingestEvents,
        duplicates: 0,
        non2xx: 0,
        errors: 0,
      });
      expect(r.ingestDuringDelivery).toMatchObject({
        events: deliveries / 10,
        non2xx: 0,
        errors: 0,
      });
      for (const ingest of [r.ingestAlone, r.ingestDuringDelivery]) {
        for (const figure of ["perSecond", "p50Ms", "p99Ms"])
          expect(ingest[figure], figure).toBeGreaterThan(0);
      }
      // 2c: Svix message.create and the native trigger, measured alike, and their ratio.
      for (const ingest of [r.svixIngest.native, r.svixIngest.svix])
        expect(ingest).toMatchObject({ events: ingestEvents, non2xx: 0, errors: 0 });
      expect(r.svixIngest.ratio).toBeCloseTo(
        r.svixIngest.svix.perSecond / r.svixIngest.native.perSecond,
        5,
      );
      expect(r.latency).toMatchObject({ events: 20, received: 20, duplicates: 0 });
      // Fan-out: the trigger's own response time and the time until the receiver had them all.
      expect(r.fanout).toMatchObject({ endpoints, received: endpoints, duplicates: 0 });
      expect(r.fanout.triggerMs).toBeGreaterThan(0);
      expect(r.fanout.receiverSeconds).toBeGreaterThan(0);
      // 4b: every endpoint filtered; the event they match reached all, the other was counted filtered.
      expect(r.fanoutFiltered).toMatchObject({ endpoints });
      for (const figure of ["triggerMs", "receiverSeconds", "filteredTriggerMs", "filteredSeconds"])
        expect(r.fanoutFiltered[figure], figure).toBeGreaterThan(0);
      // 7: ordinary endpoints measured alone and beside FIFO lines that stayed busy.
      expect(r.fifo.alonePerSecond).toBeGreaterThan(0);
      expect(r.fifo.besidePerSecond).toBeGreaterThan(0);
      expect(r.fifo.ratio).toBeCloseTo(r.fifo.besidePerSecond / r.fifo.alonePerSecond, 5);
      expect(r.fifo.fifoQueuedAtEnd).toBeGreaterThan(0);
      // 8: app B's deliveries timed while app A's event fanned out; 9: the soak's peak RSS.
      expect(r.fairness).toMatchObject({ endpoints });
      expect(r.fairness.bEvents).toBeGreaterThan(0);
      expect(r.fairness.bP99Ms).toBeGreaterThan(0);
      expect(r.soak).toMatchObject({ seconds: 2 });
      for (const figure of ["events", "requests", "peakRssMb"])
        expect(r.soak[figure], figure).toBeGreaterThan(0);
      expect(
        r.ceiling.http.map((h: { received: number; errors: number }) => [h.received, h.errors]),
      ).toEqual([
        [deliveries, 0],
        [deliveries, 0],
      ]);
      // One log row per delivery, its first attempt in it, as Hookline writes a first-try success.
      for (const p of r.ceiling.pg) expect(p.rowsWritten).toBe(deliveries);
      expect(r.pgboss).toHaveLength(4);
      for (const b of r.pgboss)
        expect(b).toMatchObject({
          deliveries: pgboss,
          completed: pgboss,
          received: pgboss,
          duplicates: 0,
          failed: 0,
        });
      // --quick runs two graphile-worker settings.
      expect(r.graphile).toHaveLength(2);
      for (const g of r.graphile)
        expect(g).toMatchObject({
          deliveries: graphile,
          completed: graphile,
          received: graphile,
          duplicates: 0,
          failed: 0,
        });
      for (const q of [...r.pgboss, ...r.graphile]) expect(q.perSecond).toBeGreaterThan(0);
      expect(report.ratios.ceilingRatio).toBeGreaterThan(0);
      expect(report.ratios.pgbossBest).toBeGreaterThan(0);
      expect(report.ratios.graphileBest).toBeGreaterThan(0);
      // Hookline's ratio is against the best of both queues.
      expect(report.ratios.bestContender.perSecond).toBe(
        Math.max(report.ratios.pgbossBest, report.ratios.graphileBest),
      );
      expect(report.ratios.contenderRatio).toBeGreaterThan(0);

      // Nothing it started is left running: no process mentions its temporary folder (the
      // servers' and databases' data directories are under it), and the folder is gone.
      expect(output).not.toMatch(/could not stop/);
      expect(report.dataRoot).toMatch(/hookline-bench-/);
      const leftovers = fs
        .readdirSync("/proc")
        .filter((pid) => /^\d+$/.test(pid))
        .filter((pid) => {
          try {
            return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(report.dataRoot);
          } catch {
            return false;
          }
        });
      expect(leftovers).toEqual([]);
      expect(fs.existsSync(report.dataRoot)).toBe(false);
    },
  );
});
