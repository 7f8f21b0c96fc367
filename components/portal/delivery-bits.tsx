"use client";
/** Delivery status, the compact delivery list and the detail drawer (payload, every attempt). */
import Link from "next/link";
import { useState } from "react";
import {
  useWebhookAppSession,
  useWebhookDelivery,
  type DeliveryAttempt,
  type DeliveryStatus,
  type DeliverySummary,
} from "@/lib/react";
import { errorMessage } from "@/lib/portal/field-errors";
import { formatDateTime, formatDuration, formatRelative, prettyBody } from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Badge,
  Button,
  CodeBlock,
  cx,
  DescriptionList,
  ErrorState,
  focusRing,
  LoadingBlock,
  Modal,
  type Tone,
} from "@/components/portal/ui";

const STATUS: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  success: { label: "Delivered", tone: "ok" },
  failed: { label: "Failed", tone: "err" },
  retrying: { label: "Retrying", tone: "warn" },
  pending: { label: "Pending", tone: "info" },
  cancelled: { label: "Cancelled", tone: "neutral" },
};

export const DELIVERY_STATUS_OPTIONS = (Object.keys(STATUS) as DeliveryStatus[]).map((s) => ({
  value: s,
  label: STATUS[s].label,
}));

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const s = STATUS[status] ?? { label: status, tone: "neutral" as Tone };
  return (
    <Badge tone={s.tone}>
      <span data-testid="delivery-status">{s.label}</span>
    </Badge>
  );
}

export function HttpCode({ code }: { code: number | null }) {
  if (code === null) return <span className="text-(--hl-subtle)">—</span>;
  const tone =
    code >= 200 && code < 300
      ? "text-(--hl-ok)"
      : code >= 500
        ? "text-(--hl-err)"
        : "text-(--hl-warn)";
  return <span className={cx("font-mono text-xs font-semibold", tone)}>{code}</span>;
}

/** A short list of deliveries (endpoint page); each opens the drawer on the Deliveries page. */
export function DeliveryMiniList({ deliveries }: { deliveries: DeliverySummary[] }) {
  const { href } = usePortal();
  return (
    <ul className="divide-y divide-(--hl-border)" aria-label="Recent deliveries">
      {deliveries.map((d) => (
        <li key={d.id}>
          <Link
            href={href(
              `/portal/deliveries?delivery=${encodeURIComponent(d.id)}&endpoint_id=${encodeURIComponent(d.endpoint_id)}`,
            )}
            className={cx(
              "flex flex-wrap items-center gap-x-3 gap-y-1 px-1 py-2.5 text-sm hover:bg-(--hl-surface-2)",
              focusRing,
            )}
          >
            <DeliveryStatusBadge status={d.status} />
            <code className="min-w-0 flex-1 truncate font-mono text-[13px]">{d.event_name}</code>
            <HttpCode code={d.last_status_code} />
            <span className="text-xs text-(--hl-subtle)" title={formatDateTime(d.created_at)}>
              {formatRelative(d.created_at)}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** What a single replay does, so nobody has to guess whether retries start over. */
export function ReplayExplained({ wasRetrying }: { wasRetrying: boolean }) {
  return (
    <Alert tone="info" title="Replay queued" data-testid="replay-result">
      {wasRetrying
        ? "Its next attempt is sent now instead of at its scheduled time, with the same webhook-id. If it fails, the automatic retries it has left continue as before."
        : "One new attempt is sent now, with the same webhook-id. Automatic retries do not start over: if this attempt fails, the delivery is failed again and you can replay it once more."}
    </Alert>
  );
}

/** The delivery detail: summary, payload, and each attempt's request and response. */
export function DeliveryDrawer({
  deliveryId,
  onClose,
  endpointUrl,
}: {
  deliveryId: string | null;
  onClose: () => void;
  endpointUrl?: (id: string) => string | undefined;
}) {
  const { delivery, loading, error, refetch } = useWebhookDelivery(deliveryId);
  const session = useWebhookAppSession(null);
  const toast = useToast();
  const { href } = usePortal();
  const [replaying, setReplaying] = useState(false);
  const [replayError, setReplayError] = useState<unknown>(null);
  const [replayed, setReplayed] = useState<{ id: string; wasRetrying: boolean } | null>(null);

  const replay = async () => {
    if (!delivery) return;
    setReplaying(true);
    setReplayError(null);
    setReplayed(null);
    try {
      await session.replayOneDelivery(delivery.id);
      setReplayed({ id: delivery.id, wasRetrying: delivery.status === "retrying" });
      toast("Delivery queued to be sent again");
    } catch (err) {
      setReplayError(err);
    } finally {
      setReplaying(false);
    }
  };

  return (
    <Modal
      open={!!deliveryId}
      onClose={onClose}
      variant="drawer"
      testId="delivery-drawer"
      title={delivery ? <code className="font-mono">{delivery.event_name}</code> : "Delivery"}
      description={deliveryId ? <span className="font-mono text-xs">{deliveryId}</span> : undefined}
      footer={
        delivery ? (
          <>
            <Button onClick={onClose}>Close</Button>
            <Button
              variant="primary"
              onClick={replay}
              loading={replaying}
              disabled={delivery.payload_expired || delivery.endpoint.deleted}
            >
              Replay
            </Button>
          </>
        ) : undefined
      }
    >
      {loading ? (
        <LoadingBlock label="Loading the delivery…" rows={4} />
      ) : error ? (
        <ErrorState
          error={error}
          title="Could not load the delivery"
          onRetry={() => void refetch()}
        />
      ) : delivery ? (
        <div className="space-y-6">
          {replayError ? (
            <Alert tone="err" title="Not replayed">
              {errorMessage(replayError)}
            </Alert>
          ) : null}
          {replayed?.id === delivery.id ? (
            <ReplayExplained wasRetrying={replayed.wasRetrying} />
          ) : null}
          <section aria-labelledby="delivery-summary">
            <h3 id="delivery-summary" className="sr-only">
              Summary
            </h3>
            <DescriptionList
              items={[
                { term: "Status", value: <DeliveryStatusBadge status={delivery.status} /> },
                {
                  term: "Endpoint",
                  value: delivery.endpoint.deleted ? (
                    <span className="font-mono text-xs break-all">
                      {delivery.endpoint.url} (deleted)
                    </span>
                  ) : (
                    <Link
                      href={href(`/portal/endpoints/${delivery.endpoint_id}`)}
                      className={cx(
                        "font-mono text-xs break-all text-(--hl-brand-text) hover:underline",
                        focusRing,
                      )}
                    >
                      {endpointUrl?.(delivery.endpoint_id) ?? delivery.endpoint.url}
                    </Link>
                  ),
                },
                { term: "Created", value: formatDateTime(delivery.created_at) },
                { term: "Attempts", value: delivery.attempt_count },
                ...(delivery.next_attempt_at
                  ? [{ term: "Next attempt", value: formatDateTime(delivery.next_attempt_at) }]
                  : []),
                ...(delivery.last_error
                  ? [
                      {
                        term: "Last error",
                        value: <span className="text-(--hl-err)">{delivery.last_error}</span>,
                      },
                    ]
                  : []),
                ...(delivery.blocked_by
                  ? [
                      {
                        term: "Waiting behind",
                        value: delivery.blocked_by.delivery_id ? (
                          <code className="font-mono text-xs">
                            {delivery.blocked_by.delivery_id}
                          </code>
                        ) : (
                          "earlier events still being fanned out"
                        ),
                      },
                    ]
                  : []),
                {
                  term: "Webhook id",
                  value: <code className="font-mono text-xs">{delivery.id}</code>,
                },
              ]}
            />
          </section>
          <section aria-labelledby="delivery-payload">
            <h3 id="delivery-payload" className="mb-2 text-sm font-semibold">
              Payload
            </h3>
            {delivery.payload_expired ? (
              <p className="text-sm text-(--hl-muted)">
                The payload was removed by the retention policy
                {delivery.payload_expired_at
                  ? ` on ${formatDateTime(delivery.payload_expired_at)}`
                  : ""}
                .
              </p>
            ) : (
              <CodeBlock label="Payload">{prettyBody(delivery.payload)}</CodeBlock>
            )}
          </section>
          <section aria-labelledby="delivery-attempts">
            <h3 id="delivery-attempts" className="mb-2 text-sm font-semibold">
              Attempts ({delivery.attempts.length})
            </h3>
            {delivery.attempts.length === 0 ? (
              <p className="text-sm text-(--hl-muted)">
                No attempt yet
                {delivery.next_attempt_at
                  ? `; the first one is due ${formatRelative(delivery.next_attempt_at)}`
                  : ""}
                .
              </p>
            ) : (
              <ol className="space-y-3">
                {[...delivery.attempts].reverse().map((a, i) => (
                  <AttemptItem key={a.id} attempt={a} defaultOpen={i === 0} />
                ))}
              </ol>
            )}
          </section>
        </div>
      ) : null}
    </Modal>
  );
}

const TRIGGER: Record<string, string> = {
  auto: "Automatic",
  manual: "Manual replay",
  replay: "Bulk replay",
  test: "Test",
};

function AttemptItem({ attempt, defaultOpen }: { attempt: DeliveryAttempt; defaultOpen: boolean }) {
  const ok =
    attempt.response_status !== null &&
    attempt.response_status >= 200 &&
    attempt.response_status < 300 &&
    !attempt.error;
  return (
    <li className="rounded-lg border border-(--hl-border)" data-testid="attempt">
      <details open={defaultOpen} className="group">
        <summary
          className={cx(
            "flex cursor-pointer list-none flex-wrap items-center gap-x-3 gap-y-1 rounded-lg px-3 py-2.5 text-sm hover:bg-(--hl-surface-2)",
            focusRing,
          )}
        >
          <span
            aria-hidden="true"
            className="text-(--hl-subtle) transition-transform group-open:rotate-90"
          >
            ›
          </span>
          <span className="font-medium">Attempt {attempt.attempt_number}</span>
          <Badge tone={ok ? "ok" : "err"}>{ok ? "OK" : "Failed"}</Badge>
          <HttpCode code={attempt.response_status} />
          <span className="text-xs text-(--hl-muted)">{formatDuration(attempt.duration_ms)}</span>
          <span className="text-xs text-(--hl-muted)">
            {TRIGGER[attempt.trigger] ?? attempt.trigger}
          </span>
          <span className="ml-auto text-xs text-(--hl-subtle)">
            {formatDateTime(attempt.created_at)}
          </span>
        </summary>
        <div className="space-y-4 border-t border-(--hl-border) px-3 py-3">
          {attempt.error ? <p className="text-sm text-(--hl-err)">{attempt.error}</p> : null}
          <div>
            <p className="mb-1 text-xs font-semibold tracking-wide text-(--hl-muted) uppercase">
              Request
            </p>
            <p className="mb-2 font-mono text-xs break-all">POST {attempt.request_url}</p>
            <CodeBlock
              label={`Attempt ${attempt.attempt_number} request headers`}
              maxHeight="max-h-48"
            >
              {Object.entries(attempt.request_headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join("\n")}
            </CodeBlock>
          </div>
          <div>
            <p className="mb-1 text-xs font-semibold tracking-wide text-(--hl-muted) uppercase">
              Response
            </p>
            {attempt.response_headers ? (
              <CodeBlock
                label={`Attempt ${attempt.attempt_number} response headers`}
                maxHeight="max-h-40"
                className="mb-2"
              >
                {Object.entries(attempt.response_headers)
                  .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
                  .join("\n")}
              </CodeBlock>
            ) : null}
            {attempt.response_body_expired ? (
              <p className="text-sm text-(--hl-muted)">
                The response body was removed by the retention policy.
              </p>
            ) : (
              <CodeBlock
                label={`Attempt ${attempt.attempt_number} response body`}
                maxHeight="max-h-48"
              >
                {prettyBody(attempt.response_body)}
              </CodeBlock>
            )}
            {attempt.response_body_truncated ? (
              <p className="mt-1 text-xs text-(--hl-muted)">The body was truncated.</p>
            ) : null}
          </div>
        </div>
      </details>
    </li>
  );
}
