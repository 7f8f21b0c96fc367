"use client";

import { useState } from "react";
import {
  useWebhookAnalytics,
  useWebhookEndpoints,
  useWebhookTimeseries,
  type AnalyticsField,
  type TimeseriesInterval,
} from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { formatDateTime, formatDuration, formatNumber, formatPercent } from "@/lib/portal/format";
import { LatencyChart, OutcomeChart, SuccessRateChart } from "@/components/portal/charts";
import {
  Button,
  Card,
  cx,
  EmptyState,
  ErrorState,
  PageHeader,
  ScrollRegion,
  Segmented,
  Skeleton,
  StatCard,
} from "@/components/portal/ui";

const WINDOWS: Record<TimeseriesInterval, { label: string; span: number; describe: string }> = {
  minute: { label: "Minute", span: 3600 * 1000, describe: "last hour, per minute" },
  hour: { label: "Hour", span: 24 * 3600 * 1000, describe: "last 24 hours, per hour" },
  day: { label: "Day", span: 30 * 24 * 3600 * 1000, describe: "last 30 days, per day" },
  week: { label: "Week", span: 12 * 7 * 24 * 3600 * 1000, describe: "last 12 weeks, per week" },
};

function rangeFor(interval: TimeseriesInterval) {
  // Whole minutes, so the same view asks the same question (and hits the cache).
  const end = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
  return {
    interval,
    start_date: new Date(end.getTime() - WINDOWS[interval].span).toISOString(),
    end_date: end.toISOString(),
  };
}

function plural(n: number | undefined, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

const BREAKDOWN_FIELDS: AnalyticsField[] = [
  "total_deliveries",
  "successful",
  "failed",
  "pending",
  "filtered",
  "success_rate",
  "p95_latency_ms",
];

export default function AnalyticsPage() {
  const [range, setRange] = useState(() => rangeFor("hour"));
  const { interval, start_date, end_date } = range;
  const analytics = useWebhookAnalytics({ start_date, end_date });
  const series = useWebhookTimeseries({ interval, start_date, end_date });
  const { endpoints, loading: endpointsLoading } = useWebhookEndpoints();
  const a = analytics.analytics;
  const empty =
    !series.loading &&
    !series.error &&
    series.timeseries.every((p) => p.total_deliveries === 0 && p.total_attempts === 0);

  return (
    <>
      <PageHeader
        title="Analytics"
        description={`Deliveries and latency, ${WINDOWS[interval].describe}.`}
        actions={
          <>
            <Segmented
              label="Interval"
              value={interval}
              options={(Object.keys(WINDOWS) as TimeseriesInterval[]).map((k) => ({
                value: k,
                label: WINDOWS[k].label,
              }))}
              onChange={(v) => setRange(rangeFor(v))}
            />
            <Button onClick={() => setRange(rangeFor(interval))}>Refresh</Button>
          </>
        }
      />

      <section
        aria-label="Summary"
        className="mb-2 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5"
        data-testid="analytics-summary"
      >
        {analytics.loading ? (
          Array.from({ length: 5 }, (_, i) => <Skeleton key={i} className="h-[88px]" />)
        ) : analytics.error ? (
          <div className="col-span-full">
            <ErrorState
              error={analytics.error}
              title="Could not load the summary"
              onRetry={() => void analytics.refetch()}
            />
          </div>
        ) : (
          <>
            <StatCard
              label="Deliveries"
              value={formatNumber(a?.total_deliveries)}
              detail={
                <>
                  {plural(a?.total_attempts, "attempt")} ·{" "}
                  <span data-testid="stat-filtered">{formatNumber(a?.filtered)} filtered</span>
                </>
              }
              testId="stat-total"
            />
            <StatCard
              label="Successful"
              value={formatNumber(a?.successful)}
              tone="ok"
              detail={`${formatPercent(a?.success_rate)} of finished deliveries`}
              testId="stat-successful"
            />
            <StatCard
              label="Failed"
              value={formatNumber(a?.failed)}
              tone={a?.failed ? "err" : undefined}
              detail="Out of retries, or cancelled"
              testId="stat-failed"
            />
            <StatCard
              label="Pending or retrying"
              value={formatNumber(a?.pending)}
              tone={a?.pending ? "warn" : undefined}
              detail={`${plural(a?.failed_attempts, "failed attempt")} in all`}
              testId="stat-pending"
            />
            <StatCard
              label="Latency p50 / p95 / p99"
              value={
                <span className="text-base sm:text-lg">
                  {[a?.p50_latency_ms, a?.p95_latency_ms, a?.p99_latency_ms]
                    .map((v) => (v == null ? "—" : formatDuration(v)))
                    .join(" / ")}
                </span>
              }
              detail={`Average ${formatDuration(a?.avg_latency_ms)}`}
              testId="stat-latency"
            />
          </>
        )}
      </section>
      <p className="mb-6 text-xs text-(--hl-muted)" data-testid="analytics-counting">
        Each delivery counts once, by where it is now: delivered, failed, or still pending or
        retrying (its failed attempts so far count as failed attempts). The success rate is over
        finished deliveries only.
      </p>

      {series.loading ? (
        <Skeleton className="h-72 w-full" />
      ) : series.error ? (
        <ErrorState
          error={series.error}
          title="Could not load the charts"
          onRetry={() => void series.refetch()}
        />
      ) : empty ? (
        <EmptyState title="No deliveries in this period">
          Charts fill in as events are delivered. Try a longer interval.
        </EmptyState>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <ChartCard title="Deliveries by outcome" className="lg:col-span-2">
            <OutcomeChart points={series.timeseries} interval={interval} />
          </ChartCard>
          <ChartCard title="Success rate">
            <SuccessRateChart points={series.timeseries} interval={interval} />
          </ChartCard>
          <ChartCard title="Latency">
            <LatencyChart points={series.timeseries} interval={interval} />
          </ChartCard>
        </div>
      )}

      <Card className="mt-6 overflow-hidden" aria-labelledby="breakdown-title">
        <h2 id="breakdown-title" className="px-4 pt-4 text-base font-semibold">
          By endpoint
        </h2>
        <p className="px-4 pb-3 text-xs text-(--hl-muted)">
          {formatDateTime(start_date)} – {formatDateTime(end_date)}
        </p>
        {endpointsLoading ? (
          <div className="p-4">
            <Skeleton className="h-10 w-full" />
          </div>
        ) : endpoints.length === 0 ? (
          <p className="px-4 pb-4 text-sm text-(--hl-muted)">No endpoints yet.</p>
        ) : (
          // Wide screens: a table. Phones: each row a small card of label/value lines (same
          // table semantics), so nothing is clipped or scrolls sideways.
          <ScrollRegion label="Deliveries by endpoint" className="overflow-x-auto">
            <table
              className="w-full text-sm max-sm:block sm:min-w-[640px]"
              data-testid="endpoint-breakdown"
            >
              <thead className="bg-(--hl-surface-2) text-left text-xs text-(--hl-muted) max-sm:sr-only">
                <tr>
                  {BREAKDOWN_COLUMNS.map((c, i) => (
                    <th
                      key={c}
                      scope="col"
                      className={
                        i === 0 ? "px-4 py-2 font-medium" : "px-3 py-2 text-right font-medium"
                      }
                    >
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-(--hl-border) max-sm:block">
                {endpoints.map((e) => (
                  <BreakdownRow key={e.id} endpoint={e} start={start_date} end={end_date} />
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Card>
    </>
  );
}

function ChartCard({
  title,
  children,
  className,
}: {
  title: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <Card className={`p-4 ${className ?? ""}`} aria-label={title}>
      <h2 className="mb-3 text-sm font-semibold">{title}</h2>
      {children}
    </Card>
  );
}

const BREAKDOWN_COLUMNS = [
  "Endpoint",
  "Deliveries",
  "Successful",
  "Failed",
  "Pending or retrying",
  "Filtered",
  "Success rate",
  "p95 latency",
] as const;
const cellClass =
  "px-3 py-2.5 text-right tabular-nums max-sm:flex max-sm:justify-between max-sm:py-1 max-sm:before:text-(--hl-muted) max-sm:before:content-[attr(data-label)]";

function BreakdownRow({
  endpoint,
  start,
  end,
}: {
  endpoint: EndpointResponse;
  start: string;
  end: string;
}) {
  const { analytics, loading, error } = useWebhookAnalytics({
    endpoint_id: endpoint.id,
    start_date: start,
    end_date: end,
    fields: BREAKDOWN_FIELDS,
  });
  const cell = (v: string) =>
    loading ? <Skeleton className="ml-auto h-4 w-10" /> : error ? "—" : v;
  const values = [
    { v: formatNumber(analytics?.total_deliveries) },
    { v: formatNumber(analytics?.successful), tone: "text-(--hl-ok)" },
    { v: formatNumber(analytics?.failed), tone: "text-(--hl-err)" },
    { v: formatNumber(analytics?.pending), tone: "text-(--hl-warn)" },
    { v: formatNumber(analytics?.filtered) },
    { v: formatPercent(analytics?.success_rate) },
    { v: formatDuration(analytics?.p95_latency_ms) },
  ];
  return (
    <tr data-testid="breakdown-row" className="max-sm:block max-sm:py-2">
      <th
        scope="row"
        className="max-w-[18rem] truncate px-4 py-2.5 text-left font-mono text-xs font-normal max-sm:block max-sm:max-w-none max-sm:py-1 max-sm:break-all max-sm:whitespace-normal"
        title={endpoint.url}
      >
        {endpoint.url}
      </th>
      {values.map((c, i) => (
        <td
          key={BREAKDOWN_COLUMNS[i + 1]}
          data-label={BREAKDOWN_COLUMNS[i + 1]}
          className={cx(cellClass, c.tone, "max-sm:px-4")}
        >
          {cell(c.v)}
        </td>
      ))}
    </tr>
  );
}
