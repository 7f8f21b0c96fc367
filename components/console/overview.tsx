"use client";
/**
 * The whole deployment at a glance, refreshed every 5 seconds in place: every figure keeps its
 * box (fixed layout, previous data kept while refetching), so nothing moves under the reader.
 * The charts are the portal's (with their table alternatives).
 */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { OutcomeChart, SuccessRateChart } from "@/components/portal/charts";
import { Badge, Card, ErrorState, LoadingBlock, PageHeader } from "@/components/portal/ui";
import type { Overview } from "@/lib/console/overview";
import { consoleApi, formatTime } from "@/components/console/api";

const REFRESH_MS = 5_000;

function Figure({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  tone?: "ok" | "warn" | "err";
  testId: string;
}) {
  return (
    <Card as="div" className="p-4">
      <dt className="text-xs font-medium text-(--hl-muted)">{label}</dt>
      <dd
        className="mt-1 text-2xl font-semibold tabular-nums"
        data-testid={testId}
        data-tone={tone}
      >
        {value}
      </dd>
    </Card>
  );
}

function pct(rate: number | null): string {
  return rate === null ? "—" : `${rate}%`;
}

export function OverviewPage() {
  const query = useQuery({
    queryKey: ["console", "overview"],
    queryFn: () => consoleApi<Overview>("/overview"),
    refetchInterval: REFRESH_MS,
    placeholderData: keepPreviousData,
  });
  const o = query.data;
  return (
    <>
      <PageHeader
        title="Overview"
        docTitle="Overview · Hookline console"
        description="Every app on this Hookline, live: refreshed every 5 seconds."
        actions={
          o ? (
            <span className="text-xs text-(--hl-muted)" data-testid="overview-updated">
              Updated {formatTime(o.generated_at)}
            </span>
          ) : null
        }
      />
      {query.isError && !o ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : !o ? (
        <LoadingBlock label="Loading the overview" rows={4} />
      ) : (
        <div className="space-y-6">
          <section aria-labelledby="ov-last-24h">
            <h2 id="ov-last-24h" className="mb-2 text-sm font-semibold">
              Last 24 hours
            </h2>
            <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
              <Figure label="Apps" value={o.apps} testId="ov-apps" />
              <Figure label="Deliveries" value={o.last_24h.created} testId="ov-deliveries" />
              <Figure
                label="Success rate"
                value={pct(o.last_24h.success_rate)}
                testId="ov-success-rate"
              />
              <Figure label="Failed" value={o.last_24h.failed} testId="ov-failed" />
            </dl>
          </section>
          <section aria-labelledby="ov-now">
            <h2 id="ov-now" className="mb-2 text-sm font-semibold">
              Right now
            </h2>
            <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
              <Figure label="Queue depth (due)" value={o.queue.due} testId="ov-due" />
              <Figure
                label="Lag (oldest due)"
                value={`${o.queue.lag_seconds.toFixed(1)} s`}
                testId="ov-lag"
              />
              <Figure label="Waiting to retry" value={o.queue.retrying} testId="ov-retrying" />
              <Figure label="Being attempted" value={o.queue.in_flight} testId="ov-in-flight" />
              <Figure
                label="Endpoints failing"
                value={o.endpoints.failing}
                testId="ov-endpoints-failing"
              />
              <Figure
                label="Endpoints disabled"
                value={o.endpoints.disabled}
                testId="ov-endpoints-disabled"
              />
              <Figure
                label="Database"
                value={
                  <Badge tone={o.health.database.status === "up" ? "ok" : "err"} dot>
                    {o.health.database.status}
                    {o.health.database.latency_ms !== undefined
                      ? ` · ${o.health.database.latency_ms} ms`
                      : ""}
                  </Badge>
                }
                testId="ov-database"
              />
              <Figure
                label={`Job driver (${o.health.jobs.driver})`}
                value={
                  <Badge
                    tone={["running", "serving"].includes(o.health.jobs.status) ? "ok" : "warn"}
                    dot
                  >
                    {o.health.jobs.status}
                  </Badge>
                }
                testId="ov-jobs"
              />
            </dl>
          </section>
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold">Throughput per hour, all apps</h2>
            <OutcomeChart points={o.series} interval="hour" />
          </Card>
          <Card className="p-4">
            <h2 className="mb-3 text-sm font-semibold">Success rate per hour, all apps</h2>
            <SuccessRateChart points={o.series} interval="hour" />
          </Card>
        </div>
      )}
    </>
  );
}
