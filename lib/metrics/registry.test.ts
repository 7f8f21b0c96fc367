import { beforeEach, describe, expect, it } from "vitest";
import {
  incrementCounter,
  observeLatency,
  renderLocalMetrics,
  resetMetricsForTests,
} from "@/lib/metrics/registry";

describe("metrics registry", () => {
  beforeEach(resetMetricsForTests);

  it("renders counters and cumulative histograms in Prometheus text format", () => {
    incrementCounter("t_total", { result: "success" });
    incrementCounter("t_total", { result: "success" });
    incrementCounter("t_total", { result: 'we"ird' });
    observeLatency("t_seconds", 20);
    observeLatency("t_seconds", 40_000);
    const text = renderLocalMetrics([
      { name: "t_total", help: "help", type: "counter" },
      { name: "t_seconds", help: "help", type: "histogram" },
    ]);
    expect(text).toContain('t_total{result="success"} 2');
    expect(text).toContain('t_total{result="we\\"ird"} 1');
    expect(text).toContain('t_seconds_bucket{le="0.01"} 0');
    expect(text).toContain('t_seconds_bucket{le="0.025"} 1');
    expect(text).toContain('t_seconds_bucket{le="30"} 1');
    expect(text).toContain('t_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain("t_seconds_sum 40.02");
    expect(text).toContain("t_seconds_count 2");
  });
});
