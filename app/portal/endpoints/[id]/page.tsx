"use client";

import Link from "next/link";
import { useParams, useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import {
  useWebhookAppSession,
  useWebhookDeliveries,
  useWebhookEndpoint,
  useWebhookEventCatalog,
  useWebhookTimeseries,
} from "@/lib/react";
import { HooklineError } from "@/lib/sdk/errors";
import { formatDateTime, formatDuration, formatNumber, formatPercent } from "@/lib/portal/format";
import { formatFilterText } from "@/lib/filters/filter-text";
import { usePortal } from "@/components/portal/portal-shell";
import { EndpointForm, endpointPayload } from "@/components/portal/endpoint-form";
import {
  DeleteEndpointDialog,
  EndpointStatusBadge,
  endpointState,
  SecretPanel,
  TestEndpointDialog,
  useEndpointToggle,
} from "@/components/portal/endpoint-bits";
import { DeliveryMiniList } from "@/components/portal/delivery-bits";
import { FifoBlockedNotice } from "@/components/portal/fifo-blocked";
import { DeliveryFormatPanel, SigningPanel } from "@/components/portal/signing-panel";
import { Sparkline } from "@/components/portal/charts";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Button,
  Card,
  cx,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  Skeleton,
} from "@/components/portal/ui";

export default function EndpointPage() {
  const { id } = useParams<{ id: string }>();
  const router = useRouter();
  const { href } = usePortal();
  const session = useWebhookAppSession(null);
  const { endpoint, loading, error, refetch } = useWebhookEndpoint(id);
  const catalog = useWebhookEventCatalog();
  const toast = useToast();
  const toggle = useEndpointToggle(endpoint);
  const [testing, setTesting] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const back = (
    <Link
      href={href("/portal/endpoints")}
      className={cx(
        "mb-4 inline-flex items-center gap-1 rounded text-sm text-(--hl-muted) hover:text-(--hl-fg)",
        focusRing,
      )}
    >
      <span aria-hidden="true">←</span> Endpoints
    </Link>
  );

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

  const state = endpointState(endpoint);
  return (
    <>
      <title>{`Endpoint ${endpoint.url} · Webhooks`}</title>
      {back}
      <div className="mb-6 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <div className="mb-1 flex items-center gap-2">
            <EndpointStatusBadge endpoint={endpoint} />
            <span className="text-xs text-(--hl-subtle)">
              Created {formatDateTime(endpoint.created_at)}
            </span>
          </div>
          <h1 className="font-mono text-lg font-semibold break-all sm:text-xl">{endpoint.url}</h1>
          {endpoint.description ? (
            <p className="mt-1 text-sm text-(--hl-muted)">{endpoint.description}</p>
          ) : null}
          {endpoint.filter ? (
            <p className="mt-1 text-sm text-(--hl-muted)" data-testid="endpoint-filter">
              Only events where{" "}
              <code className="font-mono break-all text-(--hl-fg)">
                {formatFilterText(endpoint.filter)}
              </code>
            </p>
          ) : null}
        </div>
        <div className="flex shrink-0 flex-wrap gap-2">
          <Button variant="primary" onClick={() => setTesting(true)}>
            Send test event
          </Button>
          <Button onClick={() => void toggle.toggle()} loading={toggle.busy}>
            {toggle.label}
          </Button>
          <Button variant="danger-ghost" onClick={() => setDeleting(true)}>
            Delete
          </Button>
        </div>
      </div>

      {state.tone === "err" || state.tone === "warn" ? (
        <Alert
          tone={state.tone}
          title={
            state.tone === "err"
              ? "Hookline stopped sending to this endpoint"
              : "Deliveries to this endpoint are failing"
          }
          className="mb-6"
        >
          <p>{state.detail}</p>
          {state.tone === "err" ? (
            <Button
              size="sm"
              className="mt-2"
              onClick={() => void toggle.toggle()}
              loading={toggle.busy}
            >
              Re-enable
            </Button>
          ) : null}
        </Alert>
      ) : null}

      <FifoBlockedNotice endpoint={endpoint} onSkipped={() => void refetch()} />

      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card className="p-4 sm:p-6" aria-labelledby="settings-title">
            <h2 id="settings-title" className="mb-4 text-base font-semibold">
              Settings
            </h2>
            <EndpointForm
              key={endpoint.id}
              testId="edit-endpoint-form"
              initial={endpoint}
              catalog={catalog.eventTypes}
              catalogLoading={catalog.loading}
              submitLabel="Save changes"
              onSubmit={async (values) => {
                await session.updateEndpoint(
                  endpoint.id,
                  endpointPayload(values, "edit") as Parameters<typeof session.updateEndpoint>[1],
                );
                toast("Endpoint saved");
              }}
            />
          </Card>
          <Card className="p-4 sm:p-6" aria-labelledby="secret-title">
            <h2 id="secret-title" className="mb-3 text-base font-semibold">
              Signing secret
            </h2>
            <SecretPanel key={endpoint.id} endpoint={endpoint} />
          </Card>
          <Card className="p-4 sm:p-6" aria-labelledby="signing-title">
            <h2 id="signing-title" className="mb-3 text-base font-semibold">
              Signing
            </h2>
            <DeliveryFormatPanel key={`${endpoint.id}-format`} endpoint={endpoint} />
            <hr className="my-4 border-(--hl-border)" />
            <SigningPanel key={endpoint.id} endpoint={endpoint} />
          </Card>
        </div>
        <div className="space-y-6">
          <EndpointHealth endpointId={endpoint.id} />
          <RecentDeliveries endpointId={endpoint.id} />
        </div>
      </div>

      <TestEndpointDialog endpoint={endpoint} open={testing} onClose={() => setTesting(false)} />
      <DeleteEndpointDialog
        endpoint={endpoint}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={() => {
          setDeleting(false);
          router.push(href("/portal/endpoints"));
        }}
      />
    </>
  );
}

/**
 * Health over the last 24 hours. Every attempt counts (retries included), so failures show while
 * deliveries are still retrying; deliveries count once, by their current state.
 */
function EndpointHealth({ endpointId }: { endpointId: string }) {
  const { timeseries, loading, error, refetch } = useWebhookTimeseries({
    interval: "hour",
    endpoint_id: endpointId,
  });
  const summary = useMemo(() => {
    const s = { ok: 0, failed: 0, pending: 0, total: 0, attempts: 0, failedAttempts: 0 };
    let latencySum = 0;
    let latencyN = 0;
    for (const p of timeseries) {
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
  }, [timeseries]);

  return (
    <Card className="p-4" aria-labelledby="health-title" data-testid="endpoint-health">
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
          {timeseries.some((p) => p.avg_latency_ms !== null) ? (
            <div className="mt-3">
              <p className="mb-1 text-xs text-(--hl-muted)">Latency per hour</p>
              <Sparkline
                values={timeseries.map((p) => p.avg_latency_ms)}
                labels={timeseries.map((p) =>
                  new Date(p.timestamp).toLocaleString(undefined, {
                    dateStyle: "medium",
                    timeStyle: "short",
                  }),
                )}
                label={`Average latency per hour over the last 24 hours; overall ${formatDuration(summary.latency)}`}
              />
            </div>
          ) : (
            <p className="mt-3 text-xs text-(--hl-muted)">No attempts in the last 24 hours.</p>
          )}
        </>
      )}
    </Card>
  );
}

function RecentDeliveries({ endpointId }: { endpointId: string }) {
  const { href } = usePortal();
  const { deliveries, loading, error, refetch } = useWebhookDeliveries({
    endpoint_id: endpointId,
    limit: 8,
  });
  return (
    <Card className="p-4" aria-labelledby="recent-title">
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
