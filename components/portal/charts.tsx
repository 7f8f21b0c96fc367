"use client";
/**
 * Recharts charts in the portal's colours (CSS variables, so they follow the theme). Animations
 * are off: the charts render their final state at once (stable screenshots, no motion).
 */
import {
  Area,
  AreaChart,
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { TimeseriesInterval, TimeseriesPoint } from "@/lib/react";

const axis = { stroke: "var(--hl-chart-axis)", fontSize: 11, tickLine: false, axisLine: false } as const;
const tooltipStyle = {
  contentStyle: {
    background: "var(--hl-surface)",
    border: "1px solid var(--hl-border)",
    borderRadius: 8,
    color: "var(--hl-fg)",
    fontSize: 12,
  },
  labelStyle: { color: "var(--hl-muted)" },
  cursor: { fill: "var(--hl-surface-2)", stroke: "var(--hl-border-strong)" },
} as const;

export function bucketLabel(iso: string, interval: TimeseriesInterval): string {
  const d = new Date(iso);
  if (interval === "minute" || interval === "hour") return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

function bucketTitle(iso: string, interval: TimeseriesInterval): string {
  const d = new Date(iso);
  if (interval === "minute" || interval === "hour") return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  if (interval === "week") return `Week of ${d.toLocaleDateString(undefined, { dateStyle: "medium" })}`;
  return d.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Deliveries per bucket, stacked by outcome. */
export function OutcomeChart({ points, interval, height = 260 }: { points: TimeseriesPoint[]; interval: TimeseriesInterval; height?: number }) {
  const data = points.map((p) => ({
    t: p.timestamp,
    Successful: p.successful,
    Failed: p.failed,
  }));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
        <XAxis dataKey="t" {...axis} tickFormatter={(v: string) => bucketLabel(v, interval)} minTickGap={24} />
        <YAxis {...axis} allowDecimals={false} width={48} />
        <Tooltip {...tooltipStyle} labelFormatter={(v) => bucketTitle(String(v), interval)} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--hl-muted)" }} iconType="circle" iconSize={8} />
        <Bar dataKey="Successful" stackId="o" fill="var(--hl-chart-ok)" isAnimationActive={false} maxBarSize={28} />
        <Bar dataKey="Failed" stackId="o" fill="var(--hl-chart-err)" isAnimationActive={false} maxBarSize={28} radius={[3, 3, 0, 0]} />
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Success rate per bucket (buckets without finished deliveries leave a gap). */
/** Lines with one or two values in the whole range would be invisible without their dots. */
function dotsFor(values: (number | null)[]) {
  return values.filter((v) => v !== null).length <= 2 ? { r: 3, strokeWidth: 0 } : false;
}

export function SuccessRateChart({ points, interval, height = 220 }: { points: TimeseriesPoint[]; interval: TimeseriesInterval; height?: number }) {
  const data = points.map((p) => ({ t: p.timestamp, "Success rate": p.success_rate }));
  const dot = dotsFor(points.map((p) => p.success_rate));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
        <XAxis dataKey="t" {...axis} tickFormatter={(v: string) => bucketLabel(v, interval)} minTickGap={24} />
        <YAxis {...axis} domain={[0, 100]} unit="%" width={52} />
        <Tooltip {...tooltipStyle} labelFormatter={(v) => bucketTitle(String(v), interval)} formatter={(v) => (v === null || v === undefined ? "—" : `${v}%`)} />
        <Area
          type="monotone"
          dataKey="Success rate"
          stroke="var(--hl-chart-ok)"
          fill="var(--hl-chart-ok)"
          fillOpacity={0.15}
          strokeWidth={2}
          connectNulls
          isAnimationActive={false}
          dot={dot ? { ...dot, fill: "var(--hl-chart-ok)", fillOpacity: 1 } : false}
        />
      </AreaChart>
    </ResponsiveContainer>
  );
}

/** Average and p95 latency per bucket. */
export function LatencyChart({ points, interval, height = 220 }: { points: TimeseriesPoint[]; interval: TimeseriesInterval; height?: number }) {
  const data = points.map((p) => ({ t: p.timestamp, Average: p.avg_latency_ms, p95: p.p95_latency_ms }));
  const dot = dotsFor(points.map((p) => p.avg_latency_ms));
  return (
    <ResponsiveContainer width="100%" height={height}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
        <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
        <XAxis dataKey="t" {...axis} tickFormatter={(v: string) => bucketLabel(v, interval)} minTickGap={24} />
        <YAxis {...axis} unit=" ms" width={64} />
        <Tooltip {...tooltipStyle} labelFormatter={(v) => bucketTitle(String(v), interval)} formatter={(v) => (v === null || v === undefined ? "—" : `${v} ms`)} />
        <Legend wrapperStyle={{ fontSize: 12, color: "var(--hl-muted)" }} iconType="plainline" />
        <Line type="monotone" dataKey="Average" stroke="var(--hl-chart-line)" strokeWidth={2} dot={dot ? { ...dot, fill: "var(--hl-chart-line)" } : false} connectNulls isAnimationActive={false} />
        <Line type="monotone" dataKey="p95" stroke="var(--hl-chart-line-2)" strokeWidth={2} strokeDasharray="4 3" dot={dot ? { ...dot, fill: "var(--hl-chart-line-2)" } : false} connectNulls isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** A small latency line without axes, for the endpoint page. */
export function Sparkline({ values, label, height = 48 }: { values: (number | null)[]; label: string; height?: number }) {
  const data = values.map((v, i) => ({ i, v }));
  const dot = dotsFor(values);
  return (
    <div role="img" aria-label={label} className="w-full">
      <ResponsiveContainer width="100%" height={height}>
        <LineChart data={data} margin={{ top: 4, right: 2, bottom: 4, left: 2 }}>
          <YAxis hide domain={["dataMin", "dataMax"]} />
          <Line type="monotone" dataKey="v" stroke="var(--hl-chart-line)" strokeWidth={2} dot={dot ? { ...dot, fill: "var(--hl-chart-line)" } : false} connectNulls isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
