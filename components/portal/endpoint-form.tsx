"use client";
/**
 * Create and edit an endpoint. The server is the judge: its field errors appear next to the
 * inputs they name (URL, events, headers, retries, timeout, rate limit), anything else above the
 * form, the first invalid input takes the focus, and every value typed stays as it was.
 */
import { useId, useRef, useState, type FormEvent } from "react";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import { sortFieldErrors, under, type FieldErrors } from "@/lib/portal/field-errors";
import { OrderingField, type EndpointOrderingChoice } from "@/components/portal/ordering-field";
import { SubscriptionPicker } from "@/components/portal/subscription-picker";
import { FilterEditor } from "@/components/portal/filter-editor";
import { formatFilterText } from "@/lib/filters/filter-text";
import { useLeaveWarning } from "@/components/portal/use-leave-warning";
import { Alert, Button, cx, FieldErrorText, focusRing, TextField } from "@/components/portal/ui";

export interface EndpointFormValues {
  url: string;
  description: string | null;
  subscriptions: string[];
  headers: Record<string, string>;
  max_retries?: number | string;
  timeout_seconds?: number | string;
  rate_limit?: number | string | null;
  ordering?: EndpointOrderingChoice;
  is_active?: boolean;
  /** The payload filter's text form; null for none. */
  filter?: string | null;
}

type HeaderRow = { key: number; name: string; value: string };

/** Stable React keys for header rows (names may be empty or repeated while typing). */
let headerRowSeq = 0;
const newRowKey = () => ++headerRowSeq;

const CLAIMS = {
  url: under("url"),
  description: under("description"),
  subscriptions: under("subscriptions", "events", "subscribed_events"),
  headers: under("headers"),
  filter: under("filter"),
  max_retries: under("max_retries"),
  timeout_seconds: under("timeout_seconds"),
  rate_limit: under("rate_limit"),
  ordering: under("ordering"),
};
const LABELS = {
  url: "Endpoint URL",
  description: "Description",
  subscriptions: "Events to send",
  headers: "Custom headers",
  filter: "Payload filter",
  max_retries: "Retries",
  timeout_seconds: "Timeout",
  rate_limit: "Rate limit",
  ordering: "Delivery order",
};
const ORDER = Object.keys(CLAIMS) as (keyof typeof CLAIMS)[];

/** A number input's text as JSON: a number when it is one, else the text (the server says why). */
function numberish(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function urlHint(url: string): string | null {
  const t = url.trim();
  if (!t) return null;
  try {
    const u = new URL(t);
    if (u.protocol !== "https:" && u.protocol !== "http:")
      return "Enter an http:// or https:// URL.";
    return null;
  } catch {
    return "Enter a full URL, like https://example.com/webhooks.";
  }
}

export function EndpointForm({
  initial,
  catalog,
  catalogLoading,
  submitLabel,
  onSubmit,
  onCancel,
  testId,
  initialSubscriptions,
}: {
  initial?: EndpointResponse;
  /** A new endpoint's event types to start with (the catalog's "Subscribe an endpoint"). */
  initialSubscriptions?: string[];
  catalog: EventTypeResponse[];
  catalogLoading?: boolean;
  submitLabel: string;
  onSubmit: (values: EndpointFormValues) => Promise<void>;
  onCancel?: () => void;
  testId?: string;
}) {
  const id = useId();
  const editing = !!initial;
  const [url, setUrl] = useState(initial?.url ?? "");
  const [urlTouched, setUrlTouched] = useState(false);
  const [description, setDescription] = useState(initial?.description ?? "");
  const [subscriptions, setSubscriptions] = useState<string[]>(
    initial?.subscriptions ?? initialSubscriptions ?? ["*"],
  );
  const [headers, setHeaders] = useState<HeaderRow[]>(() =>
    Object.entries(initial?.headers ?? {}).map(([name, value]) => ({
      key: newRowKey(),
      name,
      value,
    })),
  );
  const [maxRetries, setMaxRetries] = useState(String(initial?.max_retries ?? 5));
  const [timeout, setTimeoutSeconds] = useState(String(initial?.timeout_seconds ?? 30));
  const [rateLimit, setRateLimit] = useState(
    initial?.rate_limit == null ? "" : String(initial.rate_limit),
  );
  const [ordering, setOrdering] = useState<EndpointOrderingChoice>(
    initial?.ordering ?? "concurrent",
  );
  const [active, setActive] = useState(initial?.is_active ?? true);
  const [filterText, setFilterText] = useState(
    initial?.filter ? formatFilterText(initial.filter) : "",
  );
  const [showAdvanced, setShowAdvanced] = useState(
    editing &&
      (initial.max_retries !== 5 ||
        initial.timeout_seconds !== 30 ||
        initial.rate_limit !== null ||
        initial.ordering === "fifo"),
  );

  // What the form holds against what was last loaded or saved: leaving with a difference asks first.
  const snapshot = JSON.stringify([
    url,
    description,
    subscriptions,
    headers.map((h) => [h.name, h.value]),
    maxRetries,
    timeout,
    rateLimit,
    ordering,
    active,
    filterText,
  ]);
  const [savedSnapshot, setSavedSnapshot] = useState(snapshot);
  useLeaveWarning(snapshot !== savedSnapshot);

  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formErrors, setFormErrors] = useState<string[]>([]);
  const formRef = useRef<HTMLFormElement>(null);

  const fieldId = (name: string) => `${id}-${name}`;
  const clientUrlHint = urlTouched ? urlHint(url) : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    setSaved(false);
    setFormErrors([]);
    const headerObject: Record<string, string> = {};
    for (const row of headers) {
      if (!row.name.trim() && !row.value) continue;
      headerObject[row.name.trim()] = row.value;
    }
    const values: EndpointFormValues = {
      url: url.trim(),
      description: description.trim() || null,
      subscriptions,
      headers: headerObject,
      max_retries: numberish(maxRetries),
      timeout_seconds: numberish(timeout),
      rate_limit: rateLimit.trim() === "" ? null : numberish(rateLimit),
      ordering,
      is_active: active,
      filter: filterText.trim() === "" ? null : filterText,
    };
    try {
      await onSubmit(values);
      setSavedSnapshot(snapshot);
      setErrors({});
      setSaved(true);
    } catch (err) {
      const sorted = sortFieldErrors(err, CLAIMS, LABELS);
      setErrors(sorted.fields);
      setFormErrors(sorted.rest);
      const first = ORDER.find((k) => sorted.fields[k]);
      if (
        first === "max_retries" ||
        first === "timeout_seconds" ||
        first === "rate_limit" ||
        first === "ordering"
      )
        setShowAdvanced(true);
      // After the re-render: focus the first input the server refused.
      requestAnimationFrame(() => {
        const target = first
          ? formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(fieldId(first))}`)
          : null;
        (target ?? formRef.current?.querySelector<HTMLElement>("[data-form-errors]"))?.focus();
      });
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      className="space-y-5"
      data-testid={testId}
      aria-busy={saving || undefined}
    >
      {formErrors.length > 0 ? (
        <div tabIndex={-1} data-form-errors className="focus:outline-none">
          <Alert tone="err" title={`Could not ${editing ? "save" : "create"} the endpoint`}>
            <ul className="list-disc pl-5">
              {formErrors.map((m, i) => (
                <li key={i}>{m}</li>
              ))}
            </ul>
          </Alert>
        </div>
      ) : null}
      <TextField
        id={fieldId("url")}
        label="Endpoint URL"
        required
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="https://example.com/webhooks"
        value={url}
        onChange={(e) => {
          setUrl(e.target.value);
          if (errors.url) setErrors(({ url: _u, ...rest }) => rest);
        }}
        onBlur={() => setUrlTouched(true)}
        error={errors.url ?? clientUrlHint ?? undefined}
        hint="Where Hookline sends signed POST requests. HTTPS keeps the payloads private on the way."
        className="max-w-2xl"
      />
      <TextField
        id={fieldId("description")}
        label="Description"
        placeholder="e.g. Production billing sync"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
        className="max-w-2xl"
      />
      <SubscriptionPicker
        id={fieldId("subscriptions")}
        value={subscriptions}
        onChange={(next) => {
          setSubscriptions(next);
          if (errors.subscriptions) setErrors(({ subscriptions: _s, ...rest }) => rest);
        }}
        catalog={catalog}
        catalogLoading={catalogLoading}
        error={errors.subscriptions}
      />
      <HeadersEditor
        id={fieldId("headers")}
        rows={headers}
        error={errors.headers}
        onChange={setHeaders}
        onAdd={() => setHeaders((rows) => [...rows, { key: newRowKey(), name: "", value: "" }])}
      />
      <FilterEditor
        id={fieldId("filter")}
        value={filterText}
        onChange={(text) => {
          setFilterText(text);
          if (errors.filter) setErrors(({ filter: _f, ...rest }) => rest);
        }}
        serverError={errors.filter}
        subscriptions={subscriptions}
        catalog={catalog}
      />

      <div>
        <button
          type="button"
          aria-expanded={showAdvanced}
          aria-controls={fieldId("advanced")}
          onClick={() => setShowAdvanced((v) => !v)}
          className={cx(
            "inline-flex items-center gap-1 rounded text-sm font-medium text-(--hl-brand-text) hover:underline",
            focusRing,
          )}
        >
          <span
            aria-hidden="true"
            className={cx("inline-block transition-transform", showAdvanced && "rotate-90")}
          >
            ›
          </span>
          Delivery settings
        </button>
        <div
          id={fieldId("advanced")}
          hidden={!showAdvanced}
          className="mt-3 grid max-w-2xl gap-4 sm:grid-cols-3"
        >
          <TextField
            id={fieldId("max_retries")}
            label="Retries"
            inputMode="numeric"
            value={maxRetries}
            onChange={(e) => setMaxRetries(e.target.value)}
            error={errors.max_retries}
            hint="After the first attempt (0–20)."
          />
          <TextField
            id={fieldId("timeout_seconds")}
            label="Timeout (seconds)"
            inputMode="numeric"
            value={timeout}
            onChange={(e) => setTimeoutSeconds(e.target.value)}
            error={errors.timeout_seconds}
            hint="Wait for a response (1–60)."
          />
          <TextField
            id={fieldId("rate_limit")}
            label="Rate limit (per second)"
            inputMode="numeric"
            placeholder="No limit"
            value={rateLimit}
            onChange={(e) => setRateLimit(e.target.value)}
            error={errors.rate_limit}
            hint="Leave empty for no limit."
          />
        </div>
        <OrderingField
          id={fieldId("ordering")}
          value={ordering}
          onChange={setOrdering}
          error={errors.ordering}
          hidden={!showAdvanced}
        />
      </div>

      {!editing ? (
        <label className="flex items-center gap-3 text-sm">
          <input
            type="checkbox"
            className="h-4 w-4 accent-(--hl-brand)"
            checked={active}
            onChange={(e) => setActive(e.target.checked)}
          />
          Start sending events right away
        </label>
      ) : null}

      <div className="flex flex-wrap gap-2 border-t border-(--hl-border) pt-4">
        <Button type="submit" variant="primary" loading={saving}>
          {submitLabel}
        </Button>
        {onCancel ? (
          <Button onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
        ) : null}
        <span role="status" className="self-center text-sm text-(--hl-ok)">
          {saved && editing ? "✓ Saved" : ""}
        </span>
      </div>
    </form>
  );
}

function HeadersEditor({
  id,
  rows,
  error,
  onChange,
  onAdd,
}: {
  id: string;
  rows: HeaderRow[];
  error?: string;
  onChange: (rows: HeaderRow[]) => void;
  onAdd: () => void;
}) {
  const update = (key: number, patch: Partial<HeaderRow>) =>
    onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const input =
    "h-9 min-w-0 rounded-md border bg-(--hl-surface) px-3 font-mono text-sm focus:outline-2 focus:outline-(--hl-brand) " +
    (error ? "border-(--hl-err)" : "border-(--hl-border-strong)");
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : `${id}-hint`}
      aria-invalid={error ? true : undefined}
      className="max-w-2xl min-w-0 focus:outline-none"
    >
      <legend className="mb-1 text-sm font-medium">Custom headers</legend>
      <p id={`${id}-hint`} className="mb-2 text-xs text-(--hl-muted)">
        Sent with every delivery, e.g. an API key your receiver expects. Signature headers are set
        by Hookline.
      </p>
      {rows.length > 0 ? (
        <ul className="space-y-2">
          {rows.map((row, i) => (
            <li key={row.key} className="flex flex-wrap items-center gap-2 sm:flex-nowrap">
              <label className="sr-only" htmlFor={`${id}-name-${row.key}`}>
                Header {i + 1} name
              </label>
              <input
                id={`${id}-name-${row.key}`}
                className={cx(input, "w-full sm:w-56")}
                placeholder="X-Api-Key"
                value={row.name}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => update(row.key, { name: e.target.value })}
              />
              <label className="sr-only" htmlFor={`${id}-value-${row.key}`}>
                Header {i + 1} value
              </label>
              <input
                id={`${id}-value-${row.key}`}
                className={cx(input, "flex-1")}
                placeholder="value"
                value={row.value}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => update(row.key, { value: e.target.value })}
              />
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove header ${row.name || i + 1}`}
                onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
      <Button size="sm" className="mt-2" onClick={onAdd}>
        Add header
      </Button>
      {error ? <FieldErrorText id={`${id}-error`}>{error}</FieldErrorText> : null}
    </fieldset>
  );
}

/** The payload for `createEndpoint` / `updateEndpoint` from the form's values. */
export function endpointPayload(
  values: EndpointFormValues,
  mode: "create" | "edit",
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    url: values.url,
    subscriptions: values.subscriptions,
    headers: values.headers,
  };
  if (mode === "edit" || values.description) out.description = values.description;
  if (values.max_retries !== undefined) out.max_retries = values.max_retries;
  if (values.timeout_seconds !== undefined) out.timeout_seconds = values.timeout_seconds;
  if (mode === "edit" || values.rate_limit !== null) out.rate_limit = values.rate_limit;
  if (values.ordering !== undefined && (mode === "edit" || values.ordering !== "concurrent"))
    out.ordering = values.ordering;
  if (mode === "create") out.is_active = values.is_active;
  if (mode === "edit" || values.filter) out.filter = values.filter ?? null;
  return out;
}
