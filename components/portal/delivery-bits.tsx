"use client";
/** Delivery status, the compact delivery list and the detail drawer (payload, every attempt). */
import Link from "next/link";
import { useState } from "react";
import {
  useReplayOneDelivery,
  useWebhookDelivery,
  useWebhookEndpoint,
  type DeliveryAttempt,
  type DeliveryDetail,
  type DeliveryStatus,
  type DeliverySummary,
} from "@/lib/react";
import { errorMessage } from "@/lib/portal/field-errors";
import { curlCommand } from "@/lib/portal/curl";
import { formatDateTime, formatDuration, formatRelative, prettyBody } from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import { SkipDeliveryDialog } from "@/components/portal/fifo-blocked";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Badge,
  Button,
  CodeBlock,
  CopyButton,
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

export const statusLabel = (status: DeliveryStatus): string => STATUS[status]?.label ?? status;

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const s = STATUS[status] ?? { label: status, tone: "neutral" as Tone };
  return (
    <Badge tone={s.tone}>
      <span data-testid="delivery-status">{s.label}</span>
    </Badge>
  );
}

/** The last HTTP status; read aloud with its label ("HTTP 500", "no HTTP response"). */
export function HttpCode({ code }: { code: number | null }) {
  if (code === null)
    return (
      <span className="text-(--hl-subtle)">
        <span aria-hidden="true">—</span>
        <span className="sr-only">no HTTP response</span>
      </span>
    );
  const tone =
    code >= 200 && code < 300
      ? "text-(--hl-ok)"
      : code >= 500
        ? "text-(--hl-err)"
        : "text-(--hl-warn)";
  return (
    <span className={cx("font-mono text-xs font-semibold", tone)}>
      <span className="sr-only">HTTP </span>
      {code}
    </span>
  );
}

/** An endpoint that no longer exists: said in words, its id secondary (for support). */
export function DeletedEndpoint({ id, url }: { id: string; url?: string | null }) {
  return (
    <span data-testid="deleted-endpoint">
      <span className="text-(--hl-muted)">Deleted endpoint</span>{" "}
      <span className="font-mono text-xs break-all text-(--hl-subtle)">
        {url ? `${url} · ` : ""}
        {id}
      </span>
    </span>
  );
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
            <code className="min-w-0 flex-1 font-mono text-[13px] break-all">{d.event_name}</code>
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

/**
 * When the next attempt goes, in words that agree with each other: a delivery waiting in a FIFO
 * line has no time of its own (it goes when the one ahead of it is done); a time already past
 * reads "due now" (it goes as soon as a worker takes it), not a past clock time.
 */
export function nextAttemptText(
  d: Pick<DeliveryDetail, "status" | "next_attempt_at" | "blocked_by">,
  now = Date.now(),
): string | null {
  if (d.status !== "pending" && d.status !== "retrying") return null;
  if (d.blocked_by) return "When the delivery ahead of it in line is done";
  if (!d.next_attempt_at) return null;
  if (Date.parse(d.next_attempt_at) <= now) return "Due now";
  return `${formatDateTime(d.next_attempt_at)} (${formatRelative(d.next_attempt_at, now)})`;
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
  const replaying = useReplayOneDelivery();
  const toast = useToast();
  const { href } = usePortal();
  const [replayed, setReplayed] = useState<{ id: string; wasRetrying: boolean } | null>(null);
  const [skipping, setSkipping] = useState(false);
  const { endpoint } = useWebhookEndpoint(delivery?.endpoint_id);
  const open = delivery?.status === "pending" || delivery?.status === "retrying";
  const canSkip = !!delivery && open && endpoint?.ordering === "fifo";
  const nextAttempt = delivery ? nextAttemptText(delivery) : null;
  const deliveryHref = (id: string) =>
    href(
      `/portal/deliveries?delivery=${encodeURIComponent(id)}${
        delivery ? `&endpoint_id=${encodeURIComponent(delivery.endpoint_id)}` : ""
      }`,
    );

  const replay = () => {
    if (!delivery) return;
    setReplayed(null);
    const wasRetrying = delivery.status === "retrying";
    replaying.mutate(delivery.id, {
      onSuccess: () => {
        setReplayed({ id: delivery.id, wasRetrying });
        toast("Delivery queued to be sent again");
      },
    });
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
            {canSkip ? (
              <Button variant="danger-ghost" onClick={() => setSkipping(true)}>
                Skip…
              </Button>
            ) : null}
            <Button
              variant="primary"
              onClick={replay}
              loading={replaying.isPending}
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
          {replaying.error ? (
            <Alert tone="err" title="Not replayed">
              {errorMessage(replaying.error)}
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
                    <DeletedEndpoint id={delivery.endpoint_id} url={delivery.endpoint.url} />
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
                {
                  term: "Event",
                  value: (
                    <span className="flex flex-wrap items-center gap-2">
                      <code className="font-mono text-xs break-all" data-testid="drawer-event-id">
                        {delivery.event_id}
                      </code>
                      <CopyButton value={delivery.event_id} label="Copy event id" />
                      <Link
                        href={href(
                          `/portal/deliveries?event_id=${encodeURIComponent(delivery.event_id)}`,
                        )}
                        className={cx(
                          "rounded text-xs text-(--hl-brand-text) hover:underline",
                          focusRing,
                        )}
                      >
                        This event on every endpoint
                      </Link>
                    </span>
                  ),
                },
                { term: "Created", value: formatDateTime(delivery.created_at) },
                { term: "Attempts", value: delivery.attempt_count },
                ...(nextAttempt
                  ? [
                      {
                        term: "Next attempt",
                        value: <span data-testid="drawer-next-attempt">{nextAttempt}</span>,
                      },
                    ]
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
                          <Link
                            href={deliveryHref(delivery.blocked_by.delivery_id)}
                            className={cx(
                              "font-mono text-xs text-(--hl-brand-text) underline",
                              focusRing,
                            )}
                            data-testid="waiting-behind"
                          >
                            {delivery.blocked_by.delivery_id}
                          </Link>
                        ) : (
                          "earlier events still being fanned out"
                        ),
                      },
                    ]
                  : []),
                {
                  term: "Webhook id",
                  value: (
                    <span className="flex flex-wrap items-center gap-2">
                      <code className="font-mono text-xs">{delivery.id}</code>
                      <CopyButton value={delivery.id} label="Copy webhook id" />
                    </span>
                  ),
                },
              ]}
            />
          </section>
          <section aria-labelledby="delivery-payload">
            <div className="mb-2 flex items-center justify-between gap-2">
              <h3 id="delivery-payload" className="text-sm font-semibold">
                Payload
              </h3>
              {delivery.payload_expired ? null : (
                <CopyButton value={prettyBody(delivery.payload)} label="Copy payload" />
              )}
            </div>
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
                {delivery.blocked_by
                  ? ": it waits in line behind the delivery ahead of it"
                  : nextAttempt === "Due now"
                    ? "; the first one is due now"
                    : delivery.next_attempt_at && nextAttempt
                      ? `; the first one is due ${formatRelative(delivery.next_attempt_at)}`
                      : ""}
                .
              </p>
            ) : (
              <ol className="space-y-3">
                {[...delivery.attempts].reverse().map((a, i) => (
                  <AttemptItem key={a.id} attempt={a} defaultOpen={i === 0} delivery={delivery} />
                ))}
              </ol>
            )}
          </section>
        </div>
      ) : null}
      {canSkip && delivery ? (
        <SkipDeliveryDialog
          deliveryId={delivery.id}
          open={skipping}
          onClose={() => setSkipping(false)}
          onSkipped={() => void refetch()}
        />
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

function AttemptItem({
  attempt,
  defaultOpen,
  delivery,
}: {
  attempt: DeliveryAttempt;
  defaultOpen: boolean;
  delivery: DeliveryDetail;
}) {
  const headers = Object.entries(attempt.request_headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  const curl = delivery.payload_expired
    ? null
    : curlCommand({
        url: attempt.request_url,
        headers: attempt.request_headers,
        eventName: delivery.event_name,
        eventCreatedAt: delivery.event_created_at,
        payload: delivery.payload,
      });
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
              {headers}
            </CodeBlock>
            <div className="mt-2 flex flex-wrap gap-2">
              <CopyButton value={headers} label="Copy headers" />
              {curl ? <CopyButton value={curl} label="Copy as curl" /> : null}
            </div>
            {curl ? (
              <details className="mt-2 text-xs">
                <summary className={cx("cursor-pointer rounded font-medium", focusRing)}>
                  This request as curl
                </summary>
                <p className="my-1 text-(--hl-muted)">
                  The same URL, headers and body. Signatures are masked in the log, so a receiver
                  that verifies them rejects this copy.
                </p>
                <CodeBlock label={`Attempt ${attempt.attempt_number} as curl`} maxHeight="max-h-48">
                  {curl}
                </CodeBlock>
              </details>
            ) : null}
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
