"use client";
/**
 * The endpoint form's delivery order: concurrent (the default) or FIFO, one at a time in the
 * order events were accepted. A radio group, so the choice and its consequence read together.
 */
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { FieldErrorText } from "@/components/portal/ui";

export type EndpointOrderingChoice = EndpointResponse["ordering"];

const CHOICES: { value: EndpointOrderingChoice; label: string; hint: string }[] = [
  {
    value: "concurrent",
    label: "Fastest",
    hint: "Several deliveries at once; events may arrive out of order.",
  },
  {
    value: "fifo",
    label: "In order (FIFO)",
    hint: "One at a time, in the order events were sent. A failing delivery holds the rest until it succeeds, fails for good or is skipped.",
  },
];

export function OrderingField({
  id,
  value,
  onChange,
  error,
  hidden,
}: {
  id: string;
  value: EndpointOrderingChoice;
  onChange: (value: EndpointOrderingChoice) => void;
  error?: string;
  hidden?: boolean;
}) {
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      hidden={hidden}
      aria-describedby={error ? `${id}-error` : undefined}
      className="mt-4 max-w-2xl min-w-0 focus:outline-none"
    >
      <legend className="mb-1 text-sm font-medium">Delivery order</legend>
      <div className="space-y-2">
        {CHOICES.map((choice) => (
          // The hint describes the choice rather than naming it, so the radio's name stays short.
          <div key={choice.value} className="flex items-start gap-3 text-sm">
            <input
              type="radio"
              id={`${id}-${choice.value}`}
              name={`${id}-choice`}
              value={choice.value}
              checked={value === choice.value}
              onChange={() => onChange(choice.value)}
              aria-describedby={`${id}-${choice.value}-hint`}
              className="mt-0.5 h-4 w-4 accent-(--hl-brand)"
            />
            <div>
              <label htmlFor={`${id}-${choice.value}`} className="font-medium">
                {choice.label}
              </label>
              <p id={`${id}-${choice.value}-hint`} className="text-xs text-(--hl-muted)">
                {choice.hint}
              </p>
            </div>
          </div>
        ))}
      </div>
      {error ? <FieldErrorText id={`${id}-error`}>{error}</FieldErrorText> : null}
    </fieldset>
  );
}
