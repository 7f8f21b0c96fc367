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
import { useId, useState, useSyncExternalStore, type ReactNode } from "react";
import type { TimeseriesInterval, TimeseriesPoint } from "@/lib/react";
import { cx, focusRing } from "@/components/portal/ui";

const axis = {
  stroke: "var(--hl-chart-axis)",
  fontSize: 11,
  tickLine: false,
  axisLine: false,
} as const;
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
  if (interval === "minute" || interval === "hour")
    return d.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  return d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

function bucketTitle(iso: string, interval: TimeseriesInterval): string {
  const d = new Date(iso);
  if (interval === "minute" || interval === "hour")
    return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  if (interval === "week")
    return `Week of ${d.toLocaleDateString(undefined, { dateStyle: "medium" })}`;
  return d.toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** At most this many x-axis labels; they fall every k-th bucket, counted back from the last. */
const MAX_TICKS = 7;
export function regularTicks<T>(values: T[], max = MAX_TICKS): T[] {
  if (values.length <= max) return values;
  const step = Math.ceil(values.length / max);
  return values.filter((_, i) => (values.length - 1 - i) % step === 0);
}

/** Fewer than a fifth of the buckets (or under 4) carry a value: a line would be a dot or two. */
export function isSparse(values: (number | null)[]): boolean {
  const present = values.filter((v) => v !== null).length;
  return present > 0 && (present < 4 || present < values.length / 5);
}

/** The chart for the eye and a table with the same numbers for everyone else. */
function ChartWithTable({
  label,
  columns,
  rows,
  children,
}: {
  label: string;
  columns: string[];
  rows: (string | number)[][];
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <figure aria-label={label} className="m-0">
      <div aria-hidden="true">{children}</div>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((v) => !v)}
        className={cx(
          "mt-2 rounded px-1 text-xs font-medium text-(--hl-brand-text) hover:underline",
          focusRing,
        )}
      >
        {open ? "Hide table" : "Show as table"}
      </button>
      <div
        id={id}
        className={open ? "mt-2 max-h-64 overflow-auto" : "sr-only"}
        tabIndex={open ? 0 : undefined}
      >
        <table className="w-full text-xs">
          <caption className="sr-only">{label}</caption>
          <thead className="text-left text-(--hl-muted)">
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col" className="px-2 py-1 font-medium">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i} className="border-t border-(--hl-border)">
                {r.map((v, j) =>
                  j === 0 ? (
                    <th key={j} scope="row" className="px-2 py-1 text-left font-normal">
                      {v}
                    </th>
                  ) : (
                    <td key={j} className="px-2 py-1 tabular-nums">
                      {v}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

const dash = (v: number | null | undefined, unit = "") =>
  v === null || v === undefined ? "—" : `${v}${unit}`;

const NARROW = "(max-width: 639px)";
function useNarrow(): boolean {
  return useSyncExternalStore(
    (cb) => {
      const mq = window.matchMedia(NARROW);
      mq.addEventListener("change", cb);
      return () => mq.removeEventListener("change", cb);
    },
    () => window.matchMedia(NARROW).matches,
    () => false,
  );
}

/** Room on the right for the last tick's label, which is centred on the last bucket. */
const MARGIN = { top: 8, right: 28, bottom: 0 } as const;

function useTimeAxis(points: TimeseriesPoint[], interval: TimeseriesInterval) {
  const narrow = useNarrow();
  return {
    dataKey: "t",
    ...axis,
    ticks: regularTicks(
      points.map((p) => p.timestamp),
      narrow ? 4 : MAX_TICKS,
    ),
    interval: 0 as const,
    tickFormatter: (v: string) => bucketLabel(v, interval),
  };
}

/** Bars stacked per time bucket, one series per colour, with the table of the same numbers. */
function StackedBars({
  label,
  points,
  interval,
  height,
  series,
  rows,
}: {
  label: string;
  points: TimeseriesPoint[];
  interval: TimeseriesInterval;
  height: number;
  /** Bottom to top; `value` reads the series from a point. */
  series: { name: string; color: string; value: (p: TimeseriesPoint) => number }[];
  rows: { columns: string[]; of: (p: TimeseriesPoint) => (string | number)[] | null };
}) {
  const xAxis = useTimeAxis(points, interval);
  const data = points.map((p) => ({
    t: p.timestamp,
    ...Object.fromEntries(series.map((s) => [s.name, s.value(p)])),
  }));
  return (
    <ChartWithTable
      label={label}
      columns={rows.columns}
      rows={points.flatMap((p) => {
        const row = rows.of(p);
        return row ? [[bucketTitle(p.timestamp, interval), ...row]] : [];
      })}
    >
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={data} margin={{ ...MARGIN, left: -16 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
          <XAxis {...xAxis} />
          <YAxis {...axis} allowDecimals={false} width={48} />
          <Tooltip {...tooltipStyle} labelFormatter={(v) => bucketTitle(String(v), interval)} />
          <Legend
            wrapperStyle={{ fontSize: 12, color: "var(--hl-muted)" }}
            iconType="circle"
            iconSize={8}
          />
          {series.map((s, i) => (
            <Bar
              key={s.name}
              dataKey={s.name}
              stackId="s"
              fill={s.color}
              isAnimationActive={false}
              maxBarSize={28}
              radius={i === series.length - 1 ? [3, 3, 0, 0] : undefined}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </ChartWithTable>
  );
}

/** Deliveries not final yet: waiting for a first attempt, or retrying after failed ones. */
const IN_PROGRESS = "Pending or retrying";

/** Deliveries per bucket, stacked by outcome. */
export function OutcomeChart({
  points,
  interval,
  height = 260,
}: {
  points: TimeseriesPoint[];
  interval: TimeseriesInterval;
  height?: number;
}) {
  return (
    <StackedBars
      label="Deliveries by outcome per bucket"
      points={points}
      interval={interval}
      height={height}
      series={[
        { name: "Successful", color: "var(--hl-chart-ok)", value: (p) => p.successful },
        { name: "Failed", color: "var(--hl-chart-err)", value: (p) => p.failed },
        { name: IN_PROGRESS, color: "var(--hl-chart-line-2)", value: (p) => p.pending },
      ]}
      rows={{
        columns: ["Time", "Successful", "Failed", IN_PROGRESS],
        of: (p) =>
          p.successful || p.failed || p.pending ? [p.successful, p.failed, p.pending] : null,
      }}
    />
  );
}

/** Attempts per hour for one endpoint (retries included), the failed ones in their own colour. */
export function AttemptsChart({
  points,
  interval = "hour",
  height = 180,
}: {
  points: TimeseriesPoint[];
  interval?: TimeseriesInterval;
  height?: number;
}) {
  return (
    <StackedBars
      label="Attempts per hour, succeeded and failed, retries included"
      points={points}
      interval={interval}
      height={height}
      series={[
        {
          name: "Succeeded",
          color: "var(--hl-chart-ok)",
          value: (p) => p.total_attempts - p.failed_attempts,
        },
        { name: "Failed", color: "var(--hl-chart-err)", value: (p) => p.failed_attempts },
      ]}
      rows={{
        columns: ["Hour", "Attempts", "Succeeded", "Failed", "Average latency"],
        of: (p) =>
          p.total_attempts > 0
            ? [
                p.total_attempts,
                p.total_attempts - p.failed_attempts,
                p.failed_attempts,
                dash(p.avg_latency_ms, " ms"),
              ]
            : null,
      }}
    />
  );
}

/** Success rate per bucket (buckets without finished deliveries leave a gap). */
export function SuccessRateChart({
  points,
  interval,
  height = 220,
}: {
  points: TimeseriesPoint[];
  interval: TimeseriesInterval;
  height?: number;
}) {
  const xAxis = useTimeAxis(points, interval);
  const data = points.map((p) => ({ t: p.timestamp, "Success rate": p.success_rate }));
  const sparse = isSparse(points.map((p) => p.success_rate));
  const common = (
    <>
      <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
      <XAxis {...xAxis} />
      <YAxis {...axis} domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} unit="%" width={52} />
      <Tooltip
        {...tooltipStyle}
        labelFormatter={(v) => bucketTitle(String(v), interval)}
        formatter={(v) => dash(v as number | null, "%")}
      />
    </>
  );
  return (
    <ChartWithTable
      label="Success rate per bucket"
      columns={["Time", "Success rate"]}
      rows={points
        .filter((p) => p.success_rate !== null)
        .map((p) => [bucketTitle(p.timestamp, interval), dash(p.success_rate, "%")])}
    >
      <ResponsiveContainer width="100%" height={height}>
        {sparse ? (
          <BarChart data={data} margin={{ ...MARGIN, left: -16 }} accessibilityLayer={false}>
            {common}
            <Bar
              dataKey="Success rate"
              fill="var(--hl-chart-ok)"
              isAnimationActive={false}
              maxBarSize={28}
              radius={[3, 3, 0, 0]}
            />
          </BarChart>
        ) : (
          <AreaChart data={data} margin={{ ...MARGIN, left: -16 }} accessibilityLayer={false}>
            {common}
            <Area
              type="monotone"
              dataKey="Success rate"
              stroke="var(--hl-chart-ok)"
              fill="var(--hl-chart-ok)"
              fillOpacity={0.15}
              strokeWidth={2}
              connectNulls
              isAnimationActive={false}
              dot={false}
            />
          </AreaChart>
        )}
      </ResponsiveContainer>
    </ChartWithTable>
  );
}

/** Average and p95 latency per bucket. */
export function LatencyChart({
  points,
  interval,
  height = 220,
}: {
  points: TimeseriesPoint[];
  interval: TimeseriesInterval;
  height?: number;
}) {
  const xAxis = useTimeAxis(points, interval);
  const data = points.map((p) => ({
    t: p.timestamp,
    Average: p.avg_latency_ms,
    p95: p.p95_latency_ms,
  }));
  const sparse = isSparse(points.map((p) => p.avg_latency_ms));
  const common = (
    <>
      <CartesianGrid vertical={false} stroke="var(--hl-chart-grid)" />
      <XAxis {...xAxis} />
      <YAxis {...axis} unit=" ms" width={64} />
      <Tooltip
        {...tooltipStyle}
        labelFormatter={(v) => bucketTitle(String(v), interval)}
        formatter={(v) => dash(v as number | null, " ms")}
      />
      <Legend
        wrapperStyle={{ fontSize: 12, color: "var(--hl-muted)" }}
        iconType={sparse ? "square" : "plainline"}
      />
    </>
  );
  return (
    <ChartWithTable
      label="Latency per bucket"
      columns={["Time", "Average", "p95"]}
      rows={points
        .filter((p) => p.avg_latency_ms !== null)
        .map((p) => [
          bucketTitle(p.timestamp, interval),
          dash(p.avg_latency_ms, " ms"),
          dash(p.p95_latency_ms, " ms"),
        ])}
    >
      <ResponsiveContainer width="100%" height={height}>
        {sparse ? (
          <BarChart data={data} margin={{ ...MARGIN, left: -8 }} accessibilityLayer={false}>
            {common}
            <Bar
              dataKey="Average"
              fill="var(--hl-chart-line)"
              isAnimationActive={false}
              maxBarSize={20}
            />
            <Bar
              dataKey="p95"
              fill="var(--hl-chart-line-2)"
              isAnimationActive={false}
              maxBarSize={20}
            />
          </BarChart>
        ) : (
          <LineChart data={data} margin={{ ...MARGIN, left: -8 }} accessibilityLayer={false}>
            {common}
            <Line
              type="monotone"
              dataKey="Average"
              stroke="var(--hl-chart-line)"
              strokeWidth={2}
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="p95"
              stroke="var(--hl-chart-line-2)"
              strokeWidth={2}
              strokeDasharray="4 3"
              dot={false}
              connectNulls
              isAnimationActive={false}
            />
          </LineChart>
        )}
      </ResponsiveContainer>
    </ChartWithTable>
  );
}
