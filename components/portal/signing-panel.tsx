"use client";
/**
 * The endpoint page's "Signing" section: the delivery format (Hookline's envelope with
 * `webhook-*` headers, or what Svix sends), which Standard Webhooks signatures deliveries carry
 * (`v1` HMAC, `v1a` Ed25519, or both) and the Ed25519 public key(s) a receiver verifies `v1a`
 * with. The private key is never sent to the browser.
 */
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { useUpdateEndpoint } from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import type { SignatureScheme } from "@/lib/endpoints/signature-scheme";
import type { DeliveryFormat } from "@/lib/endpoints/delivery-format";
import { errorMessage, sortFieldErrors } from "@/lib/portal/field-errors";
import { formatDateTime } from "@/lib/portal/format";
import { useToast } from "@/components/portal/toast";
import { Alert, Badge, Button, CopyButton, SelectField } from "@/components/portal/ui";

const SCHEME_LABELS: Record<SignatureScheme, string> = {
  hmac: "HMAC-SHA256 (v1)",
  ed25519: "Ed25519 (v1a)",
  both: "Both (v1 and v1a)",
};
const FORMAT_LABELS: Record<DeliveryFormat, string> = {
  hookline: "Hookline (Standard Webhooks)",
  svix: "Svix",
};
const INHERIT = "inherit";

const code = (text: string) => <code className="font-mono text-xs">{text}</code>;

/** What a receiver gets in each format, in the customer's words. */
const FORMAT_DETAILS: Record<DeliveryFormat, ReactNode> = {
  hookline: (
    <>
      The body is {code('{"type","timestamp","data"}')} with your payload in {code("data")}; headers{" "}
      {code("webhook-id")} (one per delivery), {code("webhook-timestamp")},{" "}
      {code("webhook-signature")}.
    </>
  ),
  svix: (
    <>
      As Svix sends it: the body is the payload alone; headers {code("svix-id")} (the message id,
      the same on every endpoint and retry), {code("svix-timestamp")}, {code("svix-signature")}, and
      the {code("webhook-*")} headers with the same values.
    </>
  ),
};

/**
 * One of the endpoint's own settings that may also inherit the app's: a select ("App default"
 * plus the choices) and Save, with the API's errors on the field.
 */
function InheritableChoice<T extends string>({
  endpointId,
  field,
  label,
  labels,
  own,
  savedMessage,
}: {
  endpointId: string;
  field: "signature_scheme" | "delivery_format";
  label: string;
  labels: Record<T, string>;
  /** The endpoint's own value; null inherits. */
  own: T | null;
  savedMessage: string;
}) {
  const update = useUpdateEndpoint();
  const toast = useToast();
  const id = useId();
  const [choice, setChoice] = useState<string>(own ?? INHERIT);
  const current = own ?? INHERIT;
  // The field's own error under the select; anything else above the form.
  const sorted = update.error
    ? sortFieldErrors(update.error, { choice: (f: string) => f === field }, { [field]: label })
    : null;
  const error = sorted?.fields.choice;
  const formError = !sorted
    ? null
    : sorted.rest.length
      ? sorted.rest.join(" ")
      : sorted.fields.choice
        ? null
        : errorMessage(update.error);

  function save(e: FormEvent) {
    e.preventDefault();
    update.mutate(
      { id: endpointId, input: { [field]: choice === INHERIT ? null : choice } },
      { onSuccess: () => toast(savedMessage) },
    );
  }

  return (
    <>
      <form onSubmit={save} noValidate className="flex flex-wrap items-end gap-2">
        <SelectField
          id={`${id}-${field}`}
          label={label}
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          error={error}
          className="min-w-56"
        >
          <option value={INHERIT}>App default</option>
          {(Object.keys(labels) as T[]).map((value) => (
            <option key={value} value={value}>
              {labels[value]}
            </option>
          ))}
        </SelectField>
        <Button
          type="submit"
          size="sm"
          className="mb-0.5"
          loading={update.isPending}
          disabled={choice === current}
        >
          Save
        </Button>
      </form>
      {formError ? <Alert tone="err">{formError}</Alert> : null}
    </>
  );
}

function InForce({
  label,
  value,
  own,
  testId,
}: {
  label: string;
  value: string;
  own: unknown;
  testId: string;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2 text-sm">
      <span className="text-(--hl-muted)">{label}</span>
      <Badge tone="info" dot={false}>
        <span data-testid={testId}>{value}</span>
      </Badge>
      {own === null ? (
        <span className="text-xs text-(--hl-subtle)">(the app&apos;s default)</span>
      ) : null}
    </div>
  );
}

/** What the endpoint receives (Hookline's envelope or what Svix sends), and the choice of it. */
export function DeliveryFormatPanel({ endpoint }: { endpoint: EndpointResponse }) {
  const format = endpoint.effective_delivery_format;
  return (
    <div className="space-y-3" data-testid="delivery-format-panel">
      <InForce
        label="Sending as"
        value={FORMAT_LABELS[format]}
        own={endpoint.delivery_format}
        testId="effective-format"
      />
      <p className="text-sm text-(--hl-muted)" data-testid="delivery-format-details">
        {FORMAT_DETAILS[format]}
      </p>
      <InheritableChoice
        endpointId={endpoint.id}
        field="delivery_format"
        label="Delivery format"
        labels={FORMAT_LABELS}
        own={endpoint.delivery_format}
        savedMessage="Delivery format saved"
      />
    </div>
  );
}

export function SigningPanel({ endpoint }: { endpoint: EndpointResponse }) {
  const previousKeys = endpoint.public_keys.filter((k) => k.expires_at !== null);
  const signatureHeader =
    endpoint.effective_delivery_format === "svix" ? "svix-signature" : "webhook-signature";

  return (
    <div className="space-y-4" data-testid="signing-panel">
      <p className="text-sm text-(--hl-muted)">
        Deliveries carry Standard Webhooks signatures in the {code(signatureHeader)} header:{" "}
        {code("v1")} is checked with the signing secret, {code("v1a")} with the public key below,
        which cannot be used to sign.
      </p>
      <InForce
        label="Signing with"
        value={SCHEME_LABELS[endpoint.effective_signature_scheme]}
        own={endpoint.signature_scheme}
        testId="effective-scheme"
      />
      <InheritableChoice
        endpointId={endpoint.id}
        field="signature_scheme"
        label="Signature scheme"
        labels={SCHEME_LABELS}
        own={endpoint.signature_scheme}
        savedMessage="Signature scheme saved"
      />

      <div>
        <h3 className="mb-1 text-sm font-medium">Ed25519 public key</h3>
        {endpoint.public_key ? (
          <div className="flex flex-wrap items-center gap-2">
            <code
              className="min-w-0 flex-1 rounded-md border border-(--hl-border) bg-(--hl-code-bg) px-3 py-2 font-mono text-sm break-all"
              data-testid="public-key-value"
              aria-label="Ed25519 public key"
            >
              {endpoint.public_key}
            </code>
            <CopyButton value={endpoint.public_key} label="Copy public key" />
          </div>
        ) : (
          <p className="text-sm text-(--hl-muted)" data-testid="no-public-key">
            None yet: choose Ed25519 or Both to create a key pair. It is kept if you switch back, so
            receivers can trust it before you move.
          </p>
        )}
        {previousKeys.length ? (
          <ul
            className="mt-2 space-y-1 text-xs text-(--hl-muted)"
            aria-label="Previous public keys"
            data-testid="previous-public-keys"
          >
            {previousKeys.map((k) => (
              <li key={k.public_key} className="break-all">
                <code className="font-mono">{k.public_key}</code> — still signs until{" "}
                {formatDateTime(k.expires_at!)}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
