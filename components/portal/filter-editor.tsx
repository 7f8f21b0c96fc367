"use client";
/**
 * The endpoint form's payload filter: a text box in the filter language's text form
 * (docs/filters.md), its syntax checked as one types (the same parser the server runs), and a
 * tester that asks the server (the same evaluator as fan-out) whether a payload would be
 * delivered: a recent real event of a subscribed type (read from the delivery log), the catalog
 * example, or JSON pasted in.
 */
import { useId, useMemo, useState } from "react";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import { matchingPatterns } from "@/lib/events/subscriptions";
import { FilterSyntaxError, parseFilterText } from "@/lib/filters/filter-text";
import { errorMessage, fieldErrorsOf } from "@/lib/portal/field-errors";
import { useWebhookDeliveries, useWebhookDelivery, useWebhookFilterTest } from "@/lib/react";
import { formatRelative } from "@/lib/portal/format";
import { Badge, Button, CodeBlock, SelectField, TextAreaField } from "@/components/portal/ui";

/** The syntax error of a filter's text, or null (empty means no filter). */
export function filterSyntaxError(text: string): string | null {
  if (!text.trim()) return null;
  try {
    parseFilterText(text);
    return null;
  } catch (err) {
    if (err instanceof FilterSyntaxError) return err.message;
    throw err;
  }
}

/** Catalog event types these subscriptions receive. */
function subscribedEventTypes(
  catalog: EventTypeResponse[],
  subscriptions: string[],
): EventTypeResponse[] {
  const subscribed = new Set(subscriptions);
  return catalog.filter((t) => matchingPatterns(t.name).some((p) => subscribed.has(p)));
}

type Source = "recent" | "example" | "paste";
const SOURCE_LABELS: Record<Source, string> = {
  recent: "A recent event",
  example: "The catalog example",
  paste: "JSON I paste",
};
const BUTTON_LABELS: Record<Source, string> = {
  recent: "Test against this event",
  example: "Test against the catalog example",
  paste: "Test against this JSON",
};

/** The JSON object pasted, or why it is not one. */
function parsePasted(text: string): { payload: Record<string, unknown> } | { error: string } {
  if (!text.trim()) return { error: "Paste a JSON object to test against." };
  try {
    const v: unknown = JSON.parse(text);
    if (!v || typeof v !== "object" || Array.isArray(v))
      return { error: "Not a JSON object: a payload is an object ({ … })." };
    return { payload: v as Record<string, unknown> };
  } catch (err) {
    return { error: `Not valid JSON: ${(err as Error).message}` };
  }
}

export function FilterEditor({
  id,
  value,
  onChange,
  serverError,
  subscriptions,
  catalog,
}: {
  id: string;
  value: string;
  onChange: (text: string) => void;
  /** What the server said about the filter when the form was saved. */
  serverError?: string;
  subscriptions: string[];
  catalog: EventTypeResponse[];
}) {
  const resultId = useId();
  const syntaxError = useMemo(() => filterSyntaxError(value), [value]);
  const candidates = useMemo(
    () => subscribedEventTypes(catalog, subscriptions),
    [catalog, subscriptions],
  );
  const [chosen, setChosen] = useState<string>("");
  const eventType = candidates.find((t) => t.name === chosen) ?? candidates[0] ?? null;

  // The event type's recent real events (from the delivery log, one per event), newest first.
  const { deliveries } = useWebhookDeliveries({ event_name: eventType?.name, limit: 25 });
  const recent = useMemo(() => {
    if (!eventType) return [];
    const seen = new Set<string>();
    return deliveries.filter(
      (d) => d.event_name === eventType.name && !seen.has(d.event_id) && !!seen.add(d.event_id),
    );
  }, [deliveries, eventType]);
  const [chosenEvent, setChosenEvent] = useState<string>("");
  const recentDelivery = recent.find((d) => d.event_id === chosenEvent) ?? recent[0] ?? null;
  const { delivery: recentDetail, loading: recentLoading } = useWebhookDelivery(recentDelivery?.id);
  const recentPayload =
    recentDetail &&
    recentDetail.event_id === recentDelivery?.event_id &&
    !recentDetail.payload_expired
      ? recentDetail.payload
      : null;

  const available: Record<Source, boolean> = {
    recent: recent.length > 0,
    example: !!eventType?.example,
    paste: true,
  };
  const [picked, setPicked] = useState<Source | null>(null);
  const source: Source =
    picked && available[picked]
      ? picked
      : (["recent", "example", "paste"] as const).find((k) => available[k])!;
  const [pasted, setPasted] = useState("");
  const pastedResult = useMemo(() => parsePasted(pasted), [pasted]);

  const { testFilter, result, testing, error, reset } = useWebhookFilterTest();
  // The result belongs to the text and payload it was made for.
  const [testedFor, setTestedFor] = useState<string | null>(null);
  const current = [
    source,
    eventType?.name ?? "",
    source === "recent" ? (recentDelivery?.event_id ?? "") : source === "paste" ? pasted : "",
    value,
  ].join("\n");
  const showResult = testedFor === current;

  const ready =
    !!value.trim() &&
    !syntaxError &&
    (source === "example"
      ? !!eventType?.example
      : source === "recent"
        ? recentPayload !== null
        : "payload" in pastedResult);

  async function runTest() {
    if (!ready) return;
    setTestedFor(current);
    try {
      if (source === "example") await testFilter({ filter: value, event_type: eventType!.name });
      else
        await testFilter({
          filter: value,
          payload: (source === "recent"
            ? recentPayload
            : (pastedResult as { payload: Record<string, unknown> }).payload) as Record<
            string,
            unknown
          >,
        });
    } catch {
      // Shown from `error` below.
    }
  }

  const what =
    source === "example" ? (
      <>
        The example of <code className="font-mono">{eventType?.name}</code>
      </>
    ) : source === "recent" ? (
      <>
        Event <code className="font-mono">{recentDelivery?.event_id}</code>
      </>
    ) : (
      "The pasted payload"
    );
  const testError =
    showResult && error ? (fieldErrorsOf(error)[0]?.message ?? errorMessage(error)) : null;
  return (
    <div className="max-w-2xl space-y-3" data-testid="filter-editor">
      <TextAreaField
        id={id}
        label="Payload filter"
        rows={3}
        spellCheck={false}
        autoComplete="off"
        placeholder={'e.g. amount > 0 and region in ["eu", "uk"]'}
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          reset();
        }}
        error={serverError ?? syntaxError ?? undefined}
        hint={
          <>
            Optional. Only events whose payload matches are sent here; the others are counted as
            filtered. Compare fields with{" "}
            <code className="font-mono">{"= != > >= < <= in [...] exists starts with"}</code>,
            combine with <code className="font-mono">and or not</code>. Leave empty to send every
            subscribed event.
          </>
        }
      />
      <div className="flex flex-wrap items-end gap-2">
        <SelectField
          id={`${id}-source`}
          label="Test against"
          value={source}
          onChange={(e) => setPicked(e.target.value as Source)}
          className="min-w-44"
        >
          {(["recent", "example", "paste"] as const)
            .filter((k) => available[k])
            .map((k) => (
              <option key={k} value={k}>
                {SOURCE_LABELS[k]}
              </option>
            ))}
        </SelectField>
        {source !== "paste" && candidates.length > 1 ? (
          <SelectField
            id={`${id}-event-type`}
            label="Event type to test"
            value={eventType?.name ?? ""}
            onChange={(e) => setChosen(e.target.value)}
            className="min-w-48"
          >
            {candidates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        {source === "recent" && recent.length > 1 ? (
          <SelectField
            id={`${id}-event`}
            label="Recent event"
            value={recentDelivery?.event_id ?? ""}
            onChange={(e) => setChosenEvent(e.target.value)}
            className="min-w-48"
          >
            {recent.map((d) => (
              <option key={d.event_id} value={d.event_id}>
                {d.event_id} · {formatRelative(d.created_at)}
              </option>
            ))}
          </SelectField>
        ) : null}
      </div>
      {source === "paste" ? (
        <TextAreaField
          id={`${id}-pasted`}
          label="Payload to test (JSON)"
          rows={5}
          spellCheck={false}
          autoComplete="off"
          placeholder='{ "amount": 1200, "region": "eu" }'
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
          error={pasted.trim() && "error" in pastedResult ? pastedResult.error : undefined}
        />
      ) : null}
      <Button
        onClick={() => void runTest()}
        loading={testing || (source === "recent" && recentLoading)}
        disabled={!ready}
        aria-describedby={resultId}
      >
        {BUTTON_LABELS[source]}
      </Button>
      <div id={resultId} role="status" className="space-y-2 text-sm">
        {source === "example" && !eventType?.example ? (
          <p className="text-xs text-(--hl-muted)">
            None of the subscribed event types has an example payload in the catalog to test
            against.
          </p>
        ) : source === "recent" && recentDetail?.payload_expired ? (
          <p className="text-xs text-(--hl-muted)">
            This event&apos;s payload is past its retention: choose another event, or paste JSON.
          </p>
        ) : showResult && result && !testing && !testError ? (
          <>
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={result.matches ? "ok" : "warn"}>
                {result.matches ? "matches" : "does not match"}
              </Badge>
              <span>
                {what} {result.matches ? "would be sent" : "would be filtered out"}.
              </span>
            </p>
            <CodeBlock label="The payload tested" maxHeight="max-h-48">
              {JSON.stringify(result.payload, null, 2)}
            </CodeBlock>
          </>
        ) : testError ? (
          <p className="text-xs font-medium text-(--hl-err)">{testError}</p>
        ) : null}
      </div>
    </div>
  );
}
