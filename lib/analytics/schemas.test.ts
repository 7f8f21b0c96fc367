import { describe, expect, it } from "vitest";
import { analyticsQuery, timeseriesQuery } from "@/lib/analytics/schemas";

describe("analyticsQuery.fields", () => {
  it("takes a comma-separated list or repeated parameters, de-duplicated", () => {
    expect(analyticsQuery.parse({ fields: "success_rate, failed,success_rate" }).fields).toEqual([
      "success_rate",
      "failed",
    ]);
    expect(analyticsQuery.parse({ fields: ["failed", "p95_latency_ms"] }).fields).toEqual([
      "failed",
      "p95_latency_ms",
    ]);
    expect(analyticsQuery.parse({}).fields).toBeUndefined();
  });

  it("names unknown fields", () => {
    const result = analyticsQuery.safeParse({ fields: "failed,latency,bogus" });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({
      path: ["fields"],
      message: expect.stringMatching(/"latency", "bogus" are not known fields/),
    });
    expect(analyticsQuery.safeParse({ fields: " , " }).success).toBe(false);
  });
});

describe("timeseriesQuery", () => {
  it("defaults to hour buckets and refuses unknown intervals and reversed dates", () => {
    expect(timeseriesQuery.parse({}).interval).toBe("hour");
    expect(timeseriesQuery.safeParse({ interval: "second" }).error!.issues[0]!.path).toEqual([
      "interval",
    ]);
    const reversed = timeseriesQuery.safeParse({
      start_date: "2026-03-02T00:00:00Z",
      end_date: "2026-03-01T00:00:00Z",
    });
    expect(reversed.error!.issues[0]).toMatchObject({
      path: ["end_date"],
      message: "is before start_date",
    });
  });
});
