"use client";

/**
 * "Find any event" on the deliveries page: one box, searching by a payload condition (the filter
 * language's text form, checked here before it is sent so syntax errors show at once), an event
 * id or an idempotency key. The search lives in the URL beside the other filters and combines
 * with them; the page reads it with `deliverySearchFrom` and keys this form by it, so Back, Clear
 * and links reset what the box shows.
 */
import { useRef, useState, type FormEvent } from "react";
import { FilterSyntaxError, parseFilterText } from "@/lib/filters/filter-text";
import { Button, SelectField, TextField } from "@/components/portal/ui";

export const DELIVERY_SEARCH_PARAMS = ["payload", "event_id", "idempotency_key"] as const;
export type DeliverySearchBy = (typeof DELIVERY_SEARCH_PARAMS)[number];
export interface DeliverySearchValue {
  by: DeliverySearchBy;
  text: string;
}

const CHOICES: Record<DeliverySearchBy, { label: string; placeholder: string; hint: string }> = {
  payload: {
    label: "Payload condition",
    placeholder: 'customer.id = "cus_123"',
    hint: 'Fields (customer.id, items[0].sku) with = != > >= < <= in [..] exists "starts with", joined by and / or / not. Strings in double quotes.',
  },
  event_id: {
    label: "Event id",
    placeholder: "msg_…",
    hint: "The event_id returned when the event was sent.",
  },
  idempotency_key: {
    label: "Idempotency key",
    placeholder: "order-1234",
    hint: "The Idempotency-Key header (or the event_id you chose) the event was sent with.",
  },
};

/** Event ids look like this; typed into the payload box, they are searched as what they are. */
const EVENT_ID = /^msg_[A-Za-z0-9]+$/;

/** The search in the URL (the first of its parameters that is set), or null. */
export function deliverySearchFrom(params: {
  get(name: string): string | null;
}): DeliverySearchValue | null {
  for (const by of DELIVERY_SEARCH_PARAMS) {
    const text = params.get(by);
    if (text) return { by, text };
  }
  return null;
}

export function DeliverySearch({
  value,
  serverError,
  onSearch,
}: {
  value: DeliverySearchValue | null;
  /** What the server said about the search parameter (a bad condition opened from a link). */
  serverError?: string;
  onSearch: (search: DeliverySearchValue | null) => void;
}) {
  const [by, setBy] = useState<DeliverySearchBy>(value?.by ?? "payload");
  const [text, setText] = useState(value?.text ?? "");
  const [syntaxError, setSyntaxError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  function submit(e: FormEvent) {
    e.preventDefault();
    const trimmed = text.trim();
    if (trimmed === "") {
      setSyntaxError(null);
      onSearch(null);
      return;
    }
    let searchBy = by;
    if (by === "payload" && EVENT_ID.test(trimmed)) {
      searchBy = "event_id";
      setBy(searchBy);
    }
    if (searchBy === "payload") {
      try {
        parseFilterText(trimmed);
      } catch (err) {
        if (!(err instanceof FilterSyntaxError)) throw err;
        setSyntaxError(err.message);
        // Focus reads the field again, now with its error (aria-describedby).
        input.current?.focus();
        return;
      }
    }
    setSyntaxError(null);
    onSearch({ by: searchBy, text: trimmed });
  }

  const choice = CHOICES[by];
  const error =
    syntaxError ??
    (value && value.by === by && value.text === text.trim() ? serverError : undefined);
  return (
    <form
      role="search"
      aria-label="Find an event"
      onSubmit={submit}
      className="mb-3 grid gap-3 sm:grid-cols-[12rem_minmax(0,1fr)_auto] sm:items-start"
      data-testid="delivery-search"
    >
      <SelectField
        label="Search by"
        value={by}
        onChange={(e) => {
          setBy(e.target.value as DeliverySearchBy);
          setSyntaxError(null);
        }}
      >
        {DELIVERY_SEARCH_PARAMS.map((name) => (
          <option key={name} value={name}>
            {CHOICES[name].label}
          </option>
        ))}
      </SelectField>
      <TextField
        ref={input}
        label={choice.label}
        type="search"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (syntaxError) setSyntaxError(null);
        }}
        placeholder={choice.placeholder}
        spellCheck={false}
        autoComplete="off"
        className={by === "payload" ? "[&_input]:font-mono" : undefined}
        hint={choice.hint}
        error={error}
      />
      <div className="flex gap-2 sm:pt-6">
        <Button type="submit" variant="primary">
          Search
        </Button>
        {value ? (
          <Button variant="ghost" onClick={() => onSearch(null)}>
            Clear search
          </Button>
        ) : null}
      </div>
    </form>
  );
}
