import { describe, expect, it } from "vitest";
import { bucketCount, bucketStart, bucketStarts, successRate } from "@/lib/analytics/rollup-reads";

const d = (s: string) => new Date(s);

describe("buckets", () => {
  it("truncates in UTC; weeks start on Monday like Postgres' date_trunc", () => {
    expect(bucketStart(d("2026-11-23T16:49:59.999Z"), "minute").toISOString()).toBe(
      "2026-11-23T16:49:00.000Z",
    );
    expect(bucketStart(d("2026-11-23T16:49:59.999Z"), "hour").toISOString()).toBe(
      "2026-11-23T16:00:00.000Z",
    );
    expect(bucketStart(d("2026-11-23T16:49:59.999Z"), "day").toISOString()).toBe(
      "2026-11-23T00:00:00.000Z",
    );
    // 2026-11-23 is a Monday; the Sunday before belongs to the previous week.
    expect(bucketStart(d("2026-11-23T00:00:00Z"), "week").toISOString()).toBe(
      "2026-11-23T00:00:00.000Z",
    );
    expect(bucketStart(d("2026-11-29T23:59:59Z"), "week").toISOString()).toBe(
      "2026-11-23T00:00:00.000Z",
    );
    expect(bucketStart(d("2026-11-22T23:59:59Z"), "week").toISOString()).toBe(
      "2026-11-16T00:00:00.000Z",
    );
  });

  it("lists every bucket from the one holding the start to the one holding the end", () => {
    const hours = bucketStarts(d("2026-11-23T10:30:00Z"), d("2026-11-23T13:00:00Z"), "hour").map(
      (b) => b.toISOString(),
    );
    expect(hours).toEqual([
      "2026-11-23T10:00:00.000Z",
      "2026-11-23T11:00:00.000Z",
      "2026-11-23T12:00:00.000Z",
      "2026-11-23T13:00:00.000Z",
    ]);
    expect(bucketCount(d("2026-11-23T10:30:00Z"), d("2026-11-23T13:00:00Z"), "hour")).toBe(4);
    expect(bucketStarts(d("2026-11-01T00:00:00Z"), d("2026-11-30T00:00:00Z"), "week")).toHaveLength(
      6,
    );
    expect(bucketCount(d("2026-11-01T00:00:00Z"), d("2026-11-30T00:00:00Z"), "week")).toBe(6);
    expect(bucketStarts(d("2026-11-23T10:30:00Z"), d("2026-11-23T10:30:00Z"), "day")).toHaveLength(
      1,
    );
  });

  it("rates are percentages with two decimals, null with nothing to rate", () => {
    expect(successRate(2, 1)).toBe(66.67);
    expect(successRate(0, 0)).toBeNull();
    expect(successRate(5, 0)).toBe(100);
  });
});
