"use client";
/**
 * The endpoint page's "Signing" section: which Standard Webhooks signatures deliveries carry
 * (`v1` HMAC, `v1a` Ed25519, or both) and the Ed25519 public key(s) a receiver verifies `v1a`
 * with. The private key is never sent to the browser.
 */
import { useId, useState, type FormEvent } from "react";
import { useWebhookAppSession } from "@/lib/react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import type { SignatureScheme } from "@/lib/endpoints/signature-scheme";
import { errorMessage, sortFieldErrors, type FieldErrors } from "@/lib/portal/field-errors";
import { formatDateTime } from "@/lib/portal/format";
import { useToast } from "@/components/portal/toast";
import { Alert, Badge, Button, CopyButton, SelectField } from "@/components/portal/ui";

const SCHEME_LABELS: Record<SignatureScheme, string> = {
  hmac: "HMAC-SHA256 (v1)",
  ed25519: "Ed25519 (v1a)",
  both: "Both (v1 and v1a)",
};
const INHERIT = "inherit";

export function SigningPanel({ endpoint }: { endpoint: EndpointResponse }) {
  const session = useWebhookAppSession(null);
  const toast = useToast();
  const id = useId();
  const [choice, setChoice] = useState<string>(endpoint.signature_scheme ?? INHERIT);
  const [saving, setSaving] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const current = endpoint.signature_scheme ?? INHERIT;
  const previousKeys = endpoint.public_keys.filter((k) => k.expires_at !== null);

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      await session.updateEndpoint(endpoint.id, {
        signature_scheme: choice === INHERIT ? null : (choice as SignatureScheme),
      });
      toast("Signature scheme saved");
    } catch (err) {
      const sorted = sortFieldErrors(
        err,
        { scheme: (f: string) => f === "signature_scheme" },
        { signature_scheme: "Signature scheme" },
      );
      setErrors(sorted.fields);
      setFormError(
        sorted.rest.length
          ? sorted.rest.join(" ")
          : sorted.fields.scheme
            ? null
            : errorMessage(err),
      );
    } finally {
      setSaving(false);
    }
  }

  return (
    <div className="space-y-4" data-testid="signing-panel">
      <p className="text-sm text-(--hl-muted)">
        Deliveries carry Standard Webhooks signatures in the{" "}
        <code className="font-mono text-xs">webhook-signature</code> header:{" "}
        <code className="font-mono text-xs">v1</code> is checked with the signing secret,{" "}
        <code className="font-mono text-xs">v1a</code> with the public key below, which cannot be
        used to sign.
      </p>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-(--hl-muted)">Signing with</span>
        <Badge tone="info" dot={false}>
          <span data-testid="effective-scheme">
            {SCHEME_LABELS[endpoint.effective_signature_scheme]}
          </span>
        </Badge>
        {endpoint.signature_scheme === null ? (
          <span className="text-xs text-(--hl-subtle)">(the app&apos;s default)</span>
        ) : null}
      </div>
      <form onSubmit={save} noValidate className="flex flex-wrap items-end gap-2">
        <SelectField
          id={`${id}-scheme`}
          label="Signature scheme"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          error={errors.scheme}
          className="min-w-56"
        >
          <option value={INHERIT}>App default</option>
          {(Object.keys(SCHEME_LABELS) as SignatureScheme[]).map((scheme) => (
            <option key={scheme} value={scheme}>
              {SCHEME_LABELS[scheme]}
            </option>
          ))}
        </SelectField>
        <Button
          type="submit"
          size="sm"
          className="mb-0.5"
          loading={saving}
          disabled={choice === current}
        >
          Save
        </Button>
      </form>
      {formError ? <Alert tone="err">{formError}</Alert> : null}

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
