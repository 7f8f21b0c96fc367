/**
 * Process-local Prometheus counters and histograms (the usual Prometheus model: each instance is
 * scraped and `rate()` runs over its counters). One per process (processSingleton) so the instrumentation hook,
 * route handlers and Inngest functions, which Next may bundle separately, share one registry.
 */
import { LATENCY_BUCKET_BOUNDS_MS } from "@/lib/analytics/rollups";
import { processSingleton } from "@/lib/runtime/process-singleton";

type Labels = Record<string, string>;

interface MetricsState {
  counters: Map<string, Map<string, number>>;
  histograms: Map<string, Map<string, { buckets: number[]; sum: number; count: number }>>;
}

const holder = processSingleton<{ state?: MetricsState }>("metrics/registry", () => ({}));

function state(): MetricsState {
  holder.state ??= { counters: new Map(), histograms: new Map() };
  return holder.state;
}

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabel(labels[k]!)}"`)
    .join(",");
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

export function incrementCounter(name: string, labels: Labels = {}, by = 1): void {
  const series = state().counters.get(name) ?? new Map<string, number>();
  state().counters.set(name, series);
  const key = labelKey(labels);
  series.set(key, (series.get(key) ?? 0) + by);
}

/** Latency histograms share the analytics bucket bounds (ms), exported in seconds. */
export function observeLatency(name: string, durationMs: number, labels: Labels = {}): void {
  const series = state().histograms.get(name) ?? new Map();
  state().histograms.set(name, series);
  const key = labelKey(labels);
  const entry = series.get(key) ?? {
    buckets: new Array<number>(LATENCY_BUCKET_BOUNDS_MS.length).fill(0),
    sum: 0,
    count: 0,
  };
  LATENCY_BUCKET_BOUNDS_MS.forEach((bound, i) => {
    if (durationMs <= bound) entry.buckets[i]! += 1;
  });
  entry.sum += durationMs / 1000;
  entry.count += 1;
  series.set(key, entry);
}

export interface MetricFamily {
  name: string;
  help: string;
  type: "counter" | "gauge" | "histogram";
}

/** Renders the process-local series of the given families (counters and histograms). */
export function renderLocalMetrics(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type === "counter") {
      for (const [key, value] of state().counters.get(family.name) ?? []) {
        lines.push(`${family.name}${key ? `{${key}}` : ""} ${value}`);
      }
    } else if (family.type === "histogram") {
      for (const [key, entry] of state().histograms.get(family.name) ?? []) {
        const prefix = key ? `${key},` : "";
        LATENCY_BUCKET_BOUNDS_MS.forEach((bound, i) => {
          lines.push(`${family.name}_bucket{${prefix}le="${bound / 1000}"} ${entry.buckets[i]}`);
        });
        lines.push(`${family.name}_bucket{${prefix}le="+Inf"} ${entry.count}`);
        lines.push(`${family.name}_sum${key ? `{${key}}` : ""} ${entry.sum}`);
        lines.push(`${family.name}_count${key ? `{${key}}` : ""} ${entry.count}`);
      }
    }
  }
  return lines.join("\n");
}

export function resetMetricsForTests(): void {
  holder.state = undefined;
}
