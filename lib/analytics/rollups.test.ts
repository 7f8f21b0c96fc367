import { describe, expect, it } from "vitest";
import {
  hourOf,
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_BUCKET_COUNT,
  latencyBucketIndex,
  percentileFromHistogram,
} from "@/lib/analytics/rollups";

describe("rollup helpers", () => {
  it("buckets latencies by inclusive upper bound, with an overflow bucket", () => {
    expect(LATENCY_BUCKET_COUNT).toBe(LATENCY_BUCKET_BOUNDS_MS.length + 1);
    expect(latencyBucketIndex(0)).toBe(0);
    expect(latencyBucketIndex(10)).toBe(0);
    expect(latencyBucketIndex(11)).toBe(1);
    expect(latencyBucketIndex(30_000)).toBe(LATENCY_BUCKET_BOUNDS_MS.length - 1);
    expect(latencyBucketIndex(30_001)).toBe(LATENCY_BUCKET_BOUNDS_MS.length);
  });

  it("keys rollups by UTC hour", () => {
    expect(hourOf(new Date("2026-03-01T10:59:59.999Z")).toISOString()).toBe(
      "2026-03-01T10:00:00.000Z",
    );
  });

  it("estimates percentiles from a histogram", () => {
    const histogram = new Array<number>(LATENCY_BUCKET_COUNT).fill(0);
    expect(percentileFromHistogram(histogram, 0.5)).toBeNull();
    histogram[latencyBucketIndex(40)] = 90; // 50 ms bucket
    histogram[latencyBucketIndex(2_000)] = 10; // 2.5 s bucket
    expect(percentileFromHistogram(histogram, 0.5)).toBe(50);
    expect(percentileFromHistogram(histogram, 0.95)).toBe(2_500);
    expect(percentileFromHistogram([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5], 0.99)).toBe(30_000);
    // Never above the slowest attempt: 2 s timeouts land in the 2.5 s bucket but read as 2 s.
    expect(percentileFromHistogram(histogram, 0.95, 2_000)).toBe(2_000);
    expect(percentileFromHistogram(histogram, 0.5, 2_000)).toBe(50);
  });
});
