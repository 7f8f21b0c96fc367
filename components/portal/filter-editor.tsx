"use client";
/**
 * The endpoint form's payload filter: a text box in the filter language's text form
 * (docs/filters.md), its syntax checked as one types (the same parser the server runs), and a
 * "Test against the catalog example" button that asks the server (the same evaluator as
 * fan-out) whether one of the subscribed event types' examples would be delivered.
 */
import { useId, useMemo, useState } from "react";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import { matchingPatterns } from "@/lib/events/subscriptions";
import { FilterSyntaxError, parseFilterText } from "@/lib/filters/filter-text";
import { errorMessage, fieldErrorsOf } from "@/lib/portal/field-errors";
import { useWebhookFilterTest } from "@/lib/react";
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

/** Catalog event types with an example that these subscriptions receive. */
function testableEventTypes(
  catalog: EventTypeResponse[],
  subscriptions: string[],
): EventTypeResponse[] {
  const subscribed = new Set(subscriptions);
  return catalog.filter(
    (t) => t.example !== null && matchingPatterns(t.name).some((p) => subscribed.has(p)),
  );
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
  const testable = useMemo(
    () => testableEventTypes(catalog, subscriptions),
    [catalog, subscriptions],
  );
  const [chosen, setChosen] = useState<string>("");
  const eventType = testable.find((t) => t.name === chosen) ?? testable[0] ?? null;
  const { testFilter, result, testing, error, reset } = useWebhookFilterTest();
  // The result belongs to the text and example it was made for.
  const [testedFor, setTestedFor] = useState<string | null>(null);
  const current = `${eventType?.name ?? ""}\n${value}`;
  const showResult = testedFor === current;

  async function runTest() {
    if (!eventType || !value.trim()) return;
    setTestedFor(current);
    try {
      await testFilter({ filter: value, event_type: eventType.name });
    } catch {
      // Shown from `error` below.
    }
  }

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
        {testable.length > 1 ? (
          <SelectField
            id={`${id}-event-type`}
            label="Example of"
            value={eventType?.name ?? ""}
            onChange={(e) => setChosen(e.target.value)}
            className="min-w-48"
          >
            {testable.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <Button
          onClick={() => void runTest()}
          loading={testing}
          disabled={!eventType || !value.trim() || !!syntaxError}
          aria-describedby={resultId}
        >
          Test against the catalog example
        </Button>
      </div>
      <div id={resultId} role="status" className="space-y-2 text-sm">
        {!eventType ? (
          <p className="text-xs text-(--hl-muted)">
            None of the subscribed event types has an example payload in the catalog to test
            against.
          </p>
        ) : showResult && result && !testing && !testError ? (
          <>
            <p className="flex flex-wrap items-center gap-2">
              <Badge tone={result.matches ? "ok" : "warn"}>
                {result.matches ? "matches" : "does not match"}
              </Badge>
              <span>
                The example of <code className="font-mono">{eventType.name}</code>{" "}
                {result.matches ? "would be sent" : "would be filtered out"}.
              </span>
            </p>
            <CodeBlock label={`Example payload of ${eventType.name}`} maxHeight="max-h-48">
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
