"use client";
/** Endpoint status, test, delete and signing-secret pieces shared by the list and the detail page. */
import { useId, useRef, useState, type FormEvent } from "react";
import {
  useDeleteEndpoint,
  useReactivateEndpoint,
  useRevealSecret,
  useRotateSecret,
  useTestEndpoint,
  useUpdateEndpoint,
  useWebhookEventCatalog,
} from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { errorMessage, sortFieldErrors, under, type FieldErrors } from "@/lib/portal/field-errors";
import {
  formatDateTime,
  formatDuration,
  formatRelative,
  formatSeconds,
  prettyBody,
} from "@/lib/portal/format";
import { ConfirmDialog } from "@/components/portal/confirm-dialog";
import { useToast } from "@/components/portal/toast";
import {
  Alert,
  Badge,
  Button,
  CodeBlock,
  CopyButton,
  cx,
  Modal,
  TextAreaField,
  TextField,
  type Tone,
} from "@/components/portal/ui";

export function endpointState(e: EndpointResponse): {
  label: string;
  tone: Tone;
  detail: string | null;
} {
  if (!e.is_active && e.disabled_reason)
    return { label: "Disabled", tone: "err", detail: e.disabled_reason };
  if (!e.is_active)
    return { label: "Paused", tone: "neutral", detail: "Turned off by hand; events are not sent." };
  if (e.failing_since || e.consecutive_failures > 0) {
    const n = e.consecutive_failures;
    return {
      label: "Failing",
      tone: "warn",
      detail: `${n} failed ${n === 1 ? "delivery" : "deliveries"} in a row${e.failing_since ? `, since ${formatRelative(e.failing_since)}` : ""}.`,
    };
  }
  return { label: "Active", tone: "ok", detail: null };
}

export function EndpointStatusBadge({ endpoint }: { endpoint: EndpointResponse }) {
  const s = endpointState(endpoint);
  return (
    <Badge tone={s.tone} className="shrink-0">
      <span data-testid="endpoint-status">{s.label}</span>
    </Badge>
  );
}

const DEFAULT_TEST_EVENT = "webhook.test";

/** Sends one signed test delivery and shows how the receiver answered. */
export function TestEndpointDialog({
  endpoint,
  open,
  onClose,
}: {
  endpoint: EndpointResponse;
  open: boolean;
  onClose: () => void;
}) {
  const testing = useTestEndpoint();
  const { eventTypes } = useWebhookEventCatalog();
  const id = useId();
  const [eventName, setEventName] = useState(DEFAULT_TEST_EVENT);
  const [payload, setPayload] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const result = testing.data ?? null;
  const resultRef = useRef<HTMLDivElement>(null);
  const example = eventTypes.find((t) => t.name === eventName)?.example ?? null;

  async function send(e: FormEvent) {
    e.preventDefault();
    setErrors({});
    setFormErrors([]);
    let body: Record<string, unknown> | undefined;
    if (payload.trim()) {
      try {
        const parsed: unknown = JSON.parse(payload);
        if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
          throw new Error("must be a JSON object");
        body = parsed as Record<string, unknown>;
      } catch (err) {
        setErrors({ payload: `Not a JSON object: ${(err as Error).message}` });
        document.getElementById(`${id}-payload`)?.focus();
        return;
      }
    }
    try {
      await testing.mutateAsync({
        id: endpoint.id,
        input: { event_name: eventName.trim() || undefined, payload: body },
      });
      requestAnimationFrame(() => resultRef.current?.focus());
    } catch (err) {
      const sorted = sortFieldErrors(
        err,
        { event_name: under("event_name"), payload: under("payload") },
        { event_name: "Event type", payload: "Payload" },
      );
      setErrors(sorted.fields);
      setFormErrors(sorted.rest);
      const first = sorted.fields.event_name
        ? "event_name"
        : sorted.fields.payload
          ? "payload"
          : null;
      if (first) document.getElementById(`${id}-${first}`)?.focus();
    }
  }

  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Send a test event"
      description={<span className="break-all">To {endpoint.url}</span>}
      size="lg"
      testId="test-dialog"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button type="submit" form={`${id}-form`} variant="primary" loading={testing.isPending}>
            Send test event
          </Button>
        </>
      }
    >
      <form id={`${id}-form`} onSubmit={send} noValidate className="space-y-4">
        {formErrors.length ? (
          <Alert tone="err" title="The test could not be sent">
            {formErrors.join(" ")}
          </Alert>
        ) : null}
        <TextField
          id={`${id}-event_name`}
          label="Event type"
          list={`${id}-events`}
          value={eventName}
          spellCheck={false}
          onChange={(e) => setEventName(e.target.value)}
          error={errors.event_name}
          hint="Any event name; it is sent whatever the endpoint subscribes to."
        />
        <datalist id={`${id}-events`}>
          <option value={DEFAULT_TEST_EVENT} />
          {eventTypes.map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
        <TextAreaField
          id={`${id}-payload`}
          label="Payload (JSON)"
          rows={7}
          spellCheck={false}
          value={payload}
          placeholder={
            example ? JSON.stringify(example, null, 2) : '{ "message": "Test event from Hookline" }'
          }
          onChange={(e) => setPayload(e.target.value)}
          error={errors.payload}
          hint={
            example
              ? "Empty sends a generated test payload. The placeholder is this event type's example."
              : "Empty sends a generated test payload."
          }
        />
        {example && !payload ? (
          <Button size="sm" onClick={() => setPayload(JSON.stringify(example, null, 2))}>
            Use the example payload
          </Button>
        ) : null}
      </form>
      {result ? (
        <div
          ref={resultRef}
          tabIndex={-1}
          className="mt-5 space-y-3 border-t border-(--hl-border) pt-4 focus:outline-none"
          data-testid="test-result"
          aria-live="polite"
        >
          <div className="flex flex-wrap items-center gap-3">
            <Badge tone={result.success ? "ok" : "err"}>
              {result.success ? "Delivered" : "Failed"}
            </Badge>
            <span className="text-sm">
              {result.status_code !== null ? (
                <>
                  HTTP <strong data-testid="test-status-code">{result.status_code}</strong>
                </>
              ) : (
                "No response"
              )}{" "}
              in {formatDuration(result.duration_ms)}
            </span>
          </div>
          {result.error ? <p className="text-sm text-(--hl-err)">{result.error}</p> : null}
          <div>
            <p className="mb-1 text-xs font-medium text-(--hl-muted)">Response body</p>
            <CodeBlock label="Response body" maxHeight="max-h-48">
              {prettyBody(result.response_body)}
            </CodeBlock>
          </div>
        </div>
      ) : null}
    </Modal>
  );
}

/** Delete with a confirmation that names the URL. */
export function DeleteEndpointDialog({
  endpoint,
  open,
  onClose,
  onDeleted,
}: {
  endpoint: EndpointResponse;
  open: boolean;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const deletion = useDeleteEndpoint();
  const toast = useToast();
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title="Delete this endpoint?"
      confirmLabel="Delete endpoint"
      testId="delete-dialog"
      onConfirm={async () => {
        await deletion.mutateAsync(endpoint.id);
        toast("Endpoint deleted");
        onDeleted();
      }}
    >
      <p className="text-sm">
        <code className="rounded bg-(--hl-surface-2) px-1.5 py-0.5 font-mono text-[13px] break-all">
          {endpoint.url}
        </code>{" "}
        will stop receiving events immediately. Deliveries not yet sent to it are cancelled. This
        cannot be undone.
      </p>
    </ConfirmDialog>
  );
}

const GRACE_HOURS_DEFAULT = "24";

/** What the whsec_ secret does for this endpoint, by the signature scheme in force. */
export function secretUsage(
  endpoint: Pick<EndpointResponse, "effective_signature_scheme">,
): string {
  switch (endpoint.effective_signature_scheme) {
    case "ed25519":
      return "Deliveries to this endpoint are signed with its Ed25519 key only (v1a; its public key is under Edit, Signing), not with this secret. The secret signs again (v1 HMAC) if you switch the signature scheme to HMAC or Both.";
    case "both":
      return "Every delivery carries two signatures in the webhook-signature header: v1 (HMAC) made with this secret, and v1a made with the Ed25519 key (its public key is under Edit, Signing). Your receiver may check either.";
    default:
      return "Every delivery is signed with this secret (v1 HMAC, in the Standard Webhooks webhook-signature header). Use it in your receiver to check that requests come from us.";
  }
}

/** The signing secret: reveal, copy, rotate (with the grace period explained). */
export function SecretPanel({ endpoint }: { endpoint: EndpointResponse }) {
  const revealing = useRevealSecret();
  const rotating = useRotateSecret();
  const toast = useToast();
  const id = useId();
  const [secret, setSecret] = useState<string | null>(null);
  const [rotateOpen, setRotateOpen] = useState(false);
  const [graceHours, setGraceHours] = useState(GRACE_HOURS_DEFAULT);
  const [expireNow, setExpireNow] = useState(false);
  const [rotateErrors, setRotateErrors] = useState<FieldErrors>({});
  const [rotateFormErrors, setRotateFormErrors] = useState<string[]>([]);
  const [rotated, setRotated] = useState<{ previousExpiresAt: string | null } | null>(null);
  // An Ed25519 key pair exists once the endpoint signed with it; a rotation replaces it too.
  const hasKey = endpoint.public_key !== null;

  function reveal() {
    revealing.mutate(endpoint.id, { onSuccess: setSecret });
  }

  async function rotate(e: FormEvent) {
    e.preventDefault();
    setRotateErrors({});
    setRotateFormErrors([]);
    try {
      const hours = graceHours.trim() === "" ? undefined : Number(graceHours);
      const input = expireNow
        ? { endpoint_id: endpoint.id, expire_previous: true }
        : {
            endpoint_id: endpoint.id,
            grace_period_seconds:
              hours === undefined
                ? undefined
                : Number.isFinite(hours)
                  ? Math.round(hours * 3600)
                  : (graceHours as unknown as number),
          };
      const result = await rotating.mutateAsync(input);
      setSecret(result.secret ?? null);
      setRotated({ previousExpiresAt: result.previous_secret_expires_at ?? null });
      setRotateOpen(false);
      toast("Signing secret rotated");
    } catch (err) {
      const sorted = sortFieldErrors(
        err,
        { grace: under("grace_period_seconds", "expire_previous") },
        { grace_period_seconds: "Grace period", expire_previous: "Expire the previous secret" },
      );
      setRotateErrors(sorted.fields);
      setRotateFormErrors(sorted.rest);
      if (sorted.fields.grace) document.getElementById(`${id}-grace`)?.focus();
    }
  }

  return (
    <div className="space-y-3" data-testid="secret-panel">
      <p className="text-sm text-(--hl-muted)" data-testid="secret-usage">
        {secretUsage(endpoint)}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <code
          className="min-w-0 flex-1 rounded-md border border-(--hl-border) bg-(--hl-code-bg) px-3 py-2 font-mono text-sm break-all"
          data-testid="secret-value"
          aria-label="Signing secret"
        >
          {secret ?? "whsec_••••••••••••••••••••••••••••••••"}
        </code>
        {secret ? (
          <>
            <CopyButton value={secret} label="Copy secret" />
            <Button size="sm" onClick={() => setSecret(null)}>
              Hide
            </Button>
          </>
        ) : (
          <Button size="sm" onClick={reveal} loading={revealing.isPending}>
            Reveal
          </Button>
        )}
        <Button size="sm" onClick={() => setRotateOpen(true)}>
          Rotate…
        </Button>
      </div>
      {revealing.error ? <Alert tone="err">{errorMessage(revealing.error)}</Alert> : null}
      {rotated ? (
        <Alert tone="ok" title="Secret rotated" data-testid="rotated-notice">
          {rotated.previousExpiresAt
            ? `The previous secret keeps signing until ${formatDateTime(rotated.previousExpiresAt)}, so update your receiver before then.`
            : "The previous secret no longer signs deliveries."}
        </Alert>
      ) : null}
      <Modal
        open={rotateOpen}
        onClose={() => setRotateOpen(false)}
        title={hasKey ? "Rotate the signing secret and key" : "Rotate the signing secret"}
        size="md"
        testId="rotate-dialog"
        footer={
          <>
            <Button onClick={() => setRotateOpen(false)} disabled={rotating.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              form={`${id}-rotate`}
              variant="primary"
              loading={rotating.isPending}
            >
              Rotate secret
            </Button>
          </>
        }
      >
        <form id={`${id}-rotate`} onSubmit={rotate} noValidate className="space-y-4">
          <Alert
            tone="warn"
            title={
              hasKey
                ? "Your receiver must learn the new secret and public key"
                : "Your receiver must learn the new secret"
            }
          >
            <span data-testid="rotate-what">
              {hasKey
                ? "Both are replaced now: a new whsec_ secret (v1 HMAC signatures) and a new Ed25519 key pair (v1a signatures; its new whpk_ public key is shown under Edit, Signing)."
                : "A new whsec_ secret is created now."}
            </span>{" "}
            During the grace period each delivery carries two signatures of each kind it uses, one
            per old and new {hasKey ? "secret or key" : "secret"}, so a receiver that still checks
            the old one keeps working. After it, only the new one signs.
          </Alert>
          {rotateFormErrors.length ? <Alert tone="err">{rotateFormErrors.join(" ")}</Alert> : null}
          <TextField
            id={`${id}-grace`}
            label="Grace period (hours)"
            inputMode="decimal"
            value={graceHours}
            disabled={expireNow}
            onChange={(e) => setGraceHours(e.target.value)}
            error={rotateErrors.grace}
            hint={`Up to ${formatSeconds(7 * 86400)}. Default ${GRACE_HOURS_DEFAULT} hours.`}
            className="max-w-xs"
          />
          <label className="flex items-start gap-3 text-sm">
            <input
              type="checkbox"
              className="mt-0.5 h-4 w-4 accent-(--hl-brand)"
              checked={expireNow}
              onChange={(e) => setExpireNow(e.target.checked)}
            />
            <span>
              Stop signing with the old secret immediately
              <span className="block text-xs text-(--hl-muted)">
                Use this if the old secret leaked. Deliveries fail verification until your receiver
                has the new one.
              </span>
            </span>
          </label>
        </form>
      </Modal>
    </div>
  );
}

/** Enable, pause, or re-enable after Hookline disabled the endpoint. */
export function useEndpointToggle(endpoint: EndpointResponse | null) {
  const reactivation = useReactivateEndpoint();
  const update = useUpdateEndpoint();
  const toast = useToast();
  const toggle = async () => {
    if (!endpoint) return;
    // The error shown is the last attempt's, whichever of the two it was.
    reactivation.reset();
    update.reset();
    try {
      if (!endpoint.is_active && endpoint.disabled_reason) {
        await reactivation.mutateAsync(endpoint.id);
        toast("Endpoint re-enabled");
      } else {
        await update.mutateAsync({ id: endpoint.id, input: { is_active: !endpoint.is_active } });
        toast(endpoint.is_active ? "Endpoint paused" : "Endpoint enabled");
      }
    } catch (err) {
      toast(errorMessage(err), "err");
    }
  };
  const busy = reactivation.isPending || update.isPending;
  const error = reactivation.error ?? update.error;
  const label = !endpoint
    ? ""
    : endpoint.is_active
      ? "Pause"
      : endpoint.disabled_reason
        ? "Re-enable"
        : "Enable";
  return { toggle, busy, error, label };
}

export function SubscriptionChips({
  subscriptions,
  max = 4,
}: {
  subscriptions: string[];
  max?: number;
}) {
  const shown = subscriptions.slice(0, max);
  const more = subscriptions.length - shown.length;
  return (
    <ul className="flex flex-wrap gap-1.5" aria-label="Subscribed events">
      {shown.map((s) => (
        <li
          key={s}
          className={cx(
            "rounded bg-(--hl-surface-2) px-1.5 py-0.5 font-mono text-xs",
            s === "*" && "text-(--hl-brand-text)",
          )}
        >
          {s === "*" ? "all events" : s}
        </li>
      ))}
      {more > 0 ? <li className="px-1 py-0.5 text-xs text-(--hl-muted)">+{more} more</li> : null}
    </ul>
  );
}
