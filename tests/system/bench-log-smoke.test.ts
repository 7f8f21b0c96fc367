/**
 * `npm run bench:log` with a tiny log runs to the end and prints every row, including the
 * console's find across apps by each kind of search (issue 24), each finding what it looks for,
 * and the growth row: the reads again at ten times the rows, and the oldest partitions retired.
 * No timing is asserted (the benchmark is not a test); the figures go to BENCHMARKS.md.
 */
import { describe, expect, it } from "vitest";
import { runBenchScript } from "../helpers/run-bench";

describe("npm run bench:log (tiny)", () => {
  it(
    "prints the log, analytics and console-find rows, every find answering",
    { timeout: 900_000 },
    async () => {
      const { code, output } = await runBenchScript(
        "bench/log-and-timeseries.ts",
        ["--rows", "4000", "--runs", "2", "--growth"],
        { stallMs: 240_000, limitMs: 840_000 },
      );
      expect(code, output).toBe(0);
      expect(output).toContain("log: first page (limit 50)");
      expect(output).toMatch(/Console, find across apps \([\d,]+ deliveries in 5 apps\)/);
      const find = (label: string) => {
        const line = output
          .split("\n")
          .find((l) => l.startsWith(`console find: ${label}:`) && l.includes("300 ms target"));
        expect(line, `the "${label}" row`).toBeDefined();
        return line!;
      };
      // Each kind of search, found: the ids and keys name one event of the bench app.
      for (const label of ["event id", "idempotency key", "delivery id"])
        expect(find(label)).toMatch(/\((?:[1-9]\d*) rows, 1 app\(s\)\)/);
      expect(find("endpoint URL, every endpoint")).toMatch(/\(50 rows, [1-5] app\(s\)\)/);
      expect(find("endpoint URL, no match")).toMatch(/\(0 rows, 0 app\(s\)\)/);
      expect(find("payload, unselective (amount > 0)")).toMatch(/\(50 rows, [1-5] app\(s\)\)/);
      expect(find("payload, no match")).toMatch(/\(0 rows, 0 app\(s\)\)/);
      // The growth row names each read at both sizes, and a retirement that removed rows.
      expect(output).toContain("Growth, 4,000 -> 40,000 deliveries of the bench app");
      for (const read of [
        "log: first page (limit 50)",
        "search: payload, 0.1% (lines.sku)",
        "timeseries: 30 days, hourly",
      ])
        expect(output).toMatch(
          new RegExp(`^${read.replace(/[()]/g, "\\$&")}: median [\\d.]+ -> [\\d.]+ ms`, "m"),
        );
      // The two oldest weeks retired one at a time, each a partition in both tables, with rows.
      const retired = [
        ...output.matchAll(
          /^retire deliveries_p\d{8} \(([\d,]+) deliveries; (\d+) partitions with its attempts\): \d+ ms/gm,
        ),
      ];
      expect(retired, "the retirement lines").toHaveLength(2);
      for (const line of retired) {
        expect(Number(line[1]!.replace(/,/g, ""))).toBeGreaterThan(0);
        expect(Number(line[2])).toBe(2);
      }
      const after = /^the log after it: ([\d.]+)% of the rows/m.exec(output);
      expect(after, "the line on what the log kept").not.toBeNull();
      expect(Number(after![1])).toBeLessThan(100);
    },
  );
});
