"use client";
/**
 * The endpoint's two views: its overview (what it receives, health, recent attempts, secret) and
 * its edit view (settings, signing). Both load the endpoint the same way, with a way back.
 */
import Link from "next/link";
import { useMemo, type ReactNode } from "react";
import {
  useWebhookDeliveries,
  useWebhookEndpoint,
  useWebhookTimeseries,
  type TimeseriesPoint,
} from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { HooklineError } from "@/lib/sdk/errors";
import { formatDuration, formatNumber, formatPercent, formatSeconds } from "@/lib/portal/format";
import { formatFilterText } from "@/lib/filters/filter-text";
import { usePortal } from "@/components/portal/portal-shell";
import { DeliveryMiniList } from "@/components/portal/delivery-bits";
import { AttemptsChart } from "@/components/portal/charts";
import {
  Card,
  cx,
  DescriptionList,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  Skeleton,
} from "@/components/portal/ui";

export function BackLink({ to, children }: { to: string; children: ReactNode }) {
  const { href } = usePortal();
  return (
    <Link
      href={href(to)}
      className={cx(
        "mb-4 inline-flex items-center gap-1 rounded text-sm text-(--hl-muted) hover:text-(--hl-fg)",
        focusRing,
      )}
    >
      <span aria-hidden="true">←</span> {children}
    </Link>
  );
}

/** Loads the endpoint; loading, not found and errors are answered here, the rest by `children`. */
export function EndpointGate({
  id,
  back,
  children,
}: {
  id: string;
  back: ReactNode;
  children: (endpoint: EndpointResponse, refetch: () => void) => ReactNode;
}) {
  const { endpoint, loading, error, refetch } = useWebhookEndpoint(id);
  if (loading) {
    return (
      <>
        {back}
        <LoadingBlock label="Loading the endpoint…" rows={4} />
      </>
    );
  }
  if (error || !endpoint) {
    const missing = error instanceof HooklineError && error.status === 404;
    return (
      <>
        {back}
        {missing ? (
          <EmptyState title="Endpoint not found">
            It may have been deleted. Go back to the list of endpoints.
          </EmptyState>
        ) : (
          <ErrorState
            error={error}
            title="Could not load the endpoint"
            onRetry={() => void refetch()}
          />
        )}
      </>
    );
  }
  return <>{children(endpoint, () => void refetch())}</>;
}

/** What the endpoint receives and how: every event type in full, filter, order, limits. */
export function EndpointReceives({ endpoint }: { endpoint: EndpointResponse }) {
  const all = endpoint.subscriptions.length === 0 || endpoint.subscriptions.includes("*");
  const headers = Object.keys(endpoint.headers);
  return (
    <Card className="p-4 sm:p-6" aria-labelledby="receives-title" data-testid="endpoint-receives">
      <h2 id="receives-title" className="mb-3 text-base font-semibold">
        What it receives
      </h2>
      <DescriptionList
        items={[
          {
            term: "Event types",
            value: all ? (
              <span data-testid="receives-all">All event types, including new ones</span>
            ) : (
              <ul className="flex flex-wrap gap-1.5" aria-label="Subscribed event types">
                {endpoint.subscriptions.map((s) => (
                  <li
                    key={s}
                    className="rounded bg-(--hl-surface-2) px-1.5 py-0.5 font-mono text-xs break-all"
                  >
                    {s}
                  </li>
                ))}
              </ul>
            ),
          },
          ...(endpoint.channels.length
            ? [{ term: "Channels", value: endpoint.channels.join(", ") }]
            : []),
          {
            term: "Payload filter",
            value: endpoint.filter ? (
              <code className="font-mono text-xs break-all">
                {formatFilterText(endpoint.filter)}
              </code>
            ) : (
              "None: every event of these types"
            ),
          },
          {
            term: "Order",
            value:
              endpoint.ordering === "fifo"
                ? "In order (FIFO): one at a time, each after the one before it succeeded"
                : "In parallel, as soon as each event happens",
          },
          {
            term: "Retries",
            value: `${endpoint.max_retries} after a failed attempt, each attempt timing out after ${formatSeconds(endpoint.timeout_seconds)}`,
          },
          {
            term: "Rate limit",
            value:
              endpoint.rate_limit === null
                ? "None"
                : `${formatNumber(endpoint.rate_limit)} per second`,
          },
          ...(headers.length
            ? [
                {
                  term: "Custom headers",
                  value: <span className="font-mono text-xs break-all">{headers.join(", ")}</span>,
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}

function summarize(points: TimeseriesPoint[]) {
  const s = { ok: 0, failed: 0, pending: 0, total: 0, attempts: 0, failedAttempts: 0 };
  let latencySum = 0;
  let latencyN = 0;
  for (const p of points) {
    s.ok += p.successful;
    s.failed += p.failed;
    s.pending += p.pending;
    s.total += p.total_deliveries;
    s.attempts += p.total_attempts;
    s.failedAttempts += p.failed_attempts;
    if (p.avg_latency_ms !== null) {
      latencySum += p.avg_latency_ms * Math.max(1, p.total_attempts);
      latencyN += Math.max(1, p.total_attempts);
    }
  }
  return {
    ...s,
    attemptRate:
      s.attempts > 0
        ? Math.round(((s.attempts - s.failedAttempts) / s.attempts) * 1000) / 10
        : null,
    latency: latencyN ? latencySum / latencyN : null,
  };
}

/**
 * Health over the last 24 hours. Every attempt counts (retries included), so failures show while
 * deliveries are still retrying; deliveries count once, by their current state. The chart shows
 * attempts per hour, failed ones in their own colour, with a table of the same numbers.
 */
export function EndpointHealth({ endpointId }: { endpointId: string }) {
  const { timeseries, loading, error, refetch } = useWebhookTimeseries({
    interval: "hour",
    endpoint_id: endpointId,
  });
  const summary = useMemo(() => summarize(timeseries), [timeseries]);

  return (
    <Card className="p-4 sm:p-6" aria-labelledby="health-title" data-testid="endpoint-health">
      <h2 id="health-title" className="text-base font-semibold">
        Health <span className="text-xs font-normal text-(--hl-muted)">last 24 hours</span>
      </h2>
      {loading ? (
        <div className="mt-3 space-y-2" role="status">
          <span className="sr-only">Loading health…</span>
          <Skeleton className="h-8 w-24" />
          <Skeleton className="h-12 w-full" />
        </div>
      ) : error ? (
        <div className="mt-3">
          <ErrorState error={error} title="Health is unavailable" onRetry={() => void refetch()} />
        </div>
      ) : (
        <>
          <dl className="mt-3 grid grid-cols-3 gap-2 text-center">
            <div>
              <dt className="text-xs text-(--hl-muted)">Attempts OK</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="health-attempt-rate">
                {formatPercent(summary.attemptRate)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-(--hl-muted)">Deliveries</dt>
              <dd className="text-lg font-semibold tabular-nums">{formatNumber(summary.total)}</dd>
            </div>
            <div>
              <dt className="text-xs text-(--hl-muted)">Avg latency</dt>
              <dd className="text-lg font-semibold tabular-nums">
                {formatDuration(summary.latency)}
              </dd>
            </div>
          </dl>
          {summary.attempts > 0 || summary.total > 0 ? (
            <p className="mt-2 text-xs text-(--hl-muted)" data-testid="health-counts">
              {formatNumber(summary.attempts - summary.failedAttempts)} of{" "}
              {formatNumber(summary.attempts)} {summary.attempts === 1 ? "attempt" : "attempts"}{" "}
              succeeded, retries included. Deliveries: {formatNumber(summary.ok)} delivered,{" "}
              {formatNumber(summary.failed)} failed, {formatNumber(summary.pending)} pending or
              retrying.
            </p>
          ) : null}
          {summary.attempts > 0 ? (
            <div className="mt-4" data-testid="health-chart">
              <p className="mb-1 text-xs text-(--hl-muted)">Attempts per hour</p>
              <AttemptsChart points={timeseries} />
            </div>
          ) : (
            <p className="mt-3 text-xs text-(--hl-muted)">No attempts in the last 24 hours.</p>
          )}
        </>
      )}
    </Card>
  );
}

export function RecentDeliveries({ endpointId }: { endpointId: string }) {
  const { href } = usePortal();
  const { deliveries, loading, error, refetch } = useWebhookDeliveries({
    endpoint_id: endpointId,
    limit: 8,
  });
  return (
    <Card className="p-4 sm:p-6" aria-labelledby="recent-title">
      <div className="flex items-center justify-between gap-2">
        <h2 id="recent-title" className="text-base font-semibold">
          Recent deliveries
        </h2>
        <Link
          href={href(`/portal/deliveries?endpoint_id=${encodeURIComponent(endpointId)}`)}
          className={cx("rounded text-sm text-(--hl-brand-text) hover:underline", focusRing)}
        >
          View all
        </Link>
      </div>
      <div className="mt-2">
        {loading ? (
          <LoadingBlock label="Loading deliveries…" rows={3} />
        ) : error ? (
          <ErrorState
            error={error}
            title="Could not load deliveries"
            onRetry={() => void refetch()}
          />
        ) : deliveries.length === 0 ? (
          <p className="py-4 text-sm text-(--hl-muted)">
            Nothing delivered yet. Send a test event to see one here.
          </p>
        ) : (
          <DeliveryMiniList deliveries={deliveries} />
        )}
      </div>
    </Card>
  );
}
