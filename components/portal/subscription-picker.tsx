"use client";
/**
 * Picks the events an endpoint receives: `*` (everything), a whole group (`invoice.*`), single
 * event types from the catalog, or any pattern typed in (for events the catalog does not list yet).
 */
import { useId, useMemo, useState } from "react";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import { Button, cx, FieldErrorText, focusRing, ScrollRegion } from "@/components/portal/ui";

const PATTERN = /^(\*|[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*(\.\*)?)$/;

function groupOf(name: string): string {
  const i = name.indexOf(".");
  return i > 0 ? name.slice(0, i) : name;
}

/** Whether `pattern` covers `name` (`*`, `invoice.*`, or the name itself). */
export function covers(pattern: string, name: string): boolean {
  if (pattern === "*") return true;
  if (pattern.endsWith(".*")) return name.startsWith(pattern.slice(0, -1));
  return pattern === name;
}

export function SubscriptionPicker({
  value,
  onChange,
  catalog,
  catalogLoading,
  error,
  id: givenId,
}: {
  value: string[];
  onChange: (next: string[]) => void;
  catalog: EventTypeResponse[];
  catalogLoading?: boolean;
  error?: string;
  id?: string;
}) {
  const autoId = useId();
  const id = givenId ?? autoId;
  const [custom, setCustom] = useState("");
  const [customError, setCustomError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const all = value.includes("*");

  const groups = useMemo(() => {
    const byGroup = new Map<string, EventTypeResponse[]>();
    const f = filter.trim().toLowerCase();
    for (const t of catalog) {
      if (
        f &&
        !t.name.toLowerCase().includes(f) &&
        !(t.description ?? "").toLowerCase().includes(f)
      )
        continue;
      const g = groupOf(t.name);
      byGroup.set(g, [...(byGroup.get(g) ?? []), t]);
    }
    return [...byGroup.entries()].sort(([a], [b]) => a.localeCompare(b));
  }, [catalog, filter]);

  const known = new Set(catalog.map((t) => t.name));
  const extra = value.filter(
    (p) =>
      p !== "*" &&
      !(
        known.has(p) ||
        (p.endsWith(".*") && catalog.some((t) => groupOf(t.name) === p.slice(0, -2)))
      ),
  );

  const toggle = (pattern: string, on: boolean) => {
    const next = on ? [...new Set([...value, pattern])] : value.filter((p) => p !== pattern);
    onChange(next);
  };

  const addCustom = () => {
    const p = custom.trim();
    if (!p) return;
    if (!PATTERN.test(p)) {
      setCustomError("Use an event name (invoice.paid), a group (invoice.*) or * for everything.");
      return;
    }
    setCustomError(null);
    toggle(p, true);
    setCustom("");
  };

  const checkbox = "h-4 w-4 shrink-0 rounded border-(--hl-border-strong) accent-(--hl-brand)";

  return (
    <fieldset
      id={id}
      tabIndex={-1}
      aria-describedby={error ? `${id}-error` : `${id}-hint`}
      aria-invalid={error ? true : undefined}
      className="min-w-0 focus:outline-none"
    >
      <legend className="mb-1 text-sm font-medium">Events to send</legend>
      <p id={`${id}-hint`} className="mb-2 text-xs text-(--hl-muted)">
        Pick event types, whole groups, or every event. Wildcards also match event types added
        later.
      </p>
      <div
        className={cx(
          "rounded-md border bg-(--hl-surface)",
          error ? "border-(--hl-err)" : "border-(--hl-border-strong)",
        )}
      >
        <label className="flex cursor-pointer items-center gap-3 border-b border-(--hl-border) px-3 py-2.5">
          <input
            type="checkbox"
            className={checkbox}
            checked={all}
            onChange={(e) => toggle("*", e.target.checked)}
          />
          <span className="text-sm">
            <span className="font-medium">All events</span>{" "}
            <code className="ml-1 rounded bg-(--hl-surface-2) px-1 font-mono text-xs">*</code>
          </span>
        </label>
        {catalog.length > 8 ? (
          <div className="border-b border-(--hl-border) px-3 py-2">
            <label htmlFor={`${id}-filter`} className="sr-only">
              Filter event types
            </label>
            <input
              id={`${id}-filter`}
              type="search"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              placeholder="Filter event types…"
              className="h-8 w-full rounded border border-(--hl-border-strong) bg-(--hl-surface) px-2 text-sm focus:outline-2 focus:outline-(--hl-brand)"
            />
          </div>
        ) : null}
        <ScrollRegion
          label="Event types"
          className={cx("max-h-72 overflow-y-auto", all && "opacity-60")}
        >
          {catalogLoading ? (
            <p className="px-3 py-3 text-sm text-(--hl-muted)">Loading event types…</p>
          ) : groups.length === 0 ? (
            <p className="px-3 py-3 text-sm text-(--hl-muted)">
              {catalog.length === 0
                ? "No event types are published yet. Choose all events or add an event name below."
                : "No event types match the filter."}
            </p>
          ) : (
            groups.map(([group, types]) => {
              const wildcard = `${group}.*`;
              const groupOn = value.includes(wildcard);
              const multi = types.length > 1 || types[0]?.name !== group;
              return (
                <div key={group} className="border-b border-(--hl-border) last:border-b-0">
                  {multi ? (
                    <label className="flex cursor-pointer items-center gap-3 bg-(--hl-surface-2) px-3 py-2">
                      <input
                        type="checkbox"
                        className={checkbox}
                        checked={all || groupOn}
                        disabled={all}
                        onChange={(e) => toggle(wildcard, e.target.checked)}
                      />
                      <span className="text-sm font-medium">
                        All {group} events{" "}
                        <code className="ml-1 font-mono text-xs text-(--hl-muted)">{wildcard}</code>
                      </span>
                    </label>
                  ) : null}
                  <ul>
                    {types.map((t) => {
                      const covered = all || (multi && groupOn);
                      return (
                        <li key={t.name}>
                          <label
                            className={cx(
                              "flex cursor-pointer items-start gap-3 px-3 py-2",
                              multi && "pl-9",
                            )}
                          >
                            <input
                              type="checkbox"
                              className={cx(checkbox, "mt-0.5")}
                              checked={covered || value.includes(t.name)}
                              disabled={covered}
                              onChange={(e) => toggle(t.name, e.target.checked)}
                            />
                            <span className="min-w-0 text-sm">
                              <code className="font-mono text-[13px]">{t.name}</code>
                              {t.archived ? (
                                <span className="ml-2 text-xs text-(--hl-warn)">archived</span>
                              ) : null}
                              {t.description ? (
                                <span className="block text-xs text-(--hl-muted)">
                                  {t.description}
                                </span>
                              ) : null}
                            </span>
                          </label>
                        </li>
                      );
                    })}
                  </ul>
                </div>
              );
            })
          )}
        </ScrollRegion>
      </div>
      {extra.length > 0 ? (
        <ul className="mt-2 flex flex-wrap gap-2" aria-label="Other selected patterns">
          {extra.map((p) => (
            <li
              key={p}
              className="inline-flex items-center gap-1 rounded-full bg-(--hl-brand-soft) py-0.5 pr-1 pl-2.5 text-xs text-(--hl-brand-text)"
            >
              <code className="font-mono">{p}</code>
              <button
                type="button"
                onClick={() => toggle(p, false)}
                aria-label={`Remove ${p}`}
                className={cx("rounded-full px-1.5 hover:bg-(--hl-surface-2)", focusRing)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="mt-2 flex gap-2">
        <label htmlFor={`${id}-custom`} className="sr-only">
          Add an event name or pattern
        </label>
        <input
          id={`${id}-custom`}
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              addCustom();
            }
          }}
          placeholder="Add an event name or pattern, e.g. invoice.*"
          aria-invalid={customError ? true : undefined}
          aria-describedby={customError ? `${id}-custom-error` : undefined}
          className="h-9 min-w-0 flex-1 rounded-md border border-(--hl-border-strong) bg-(--hl-surface) px-3 font-mono text-sm focus:outline-2 focus:outline-(--hl-brand)"
        />
        <Button size="sm" className="h-9" onClick={addCustom}>
          Add
        </Button>
      </div>
      {customError ? (
        <FieldErrorText id={`${id}-custom-error`}>{customError}</FieldErrorText>
      ) : null}
      {error ? <FieldErrorText id={`${id}-error`}>{error}</FieldErrorText> : null}
    </fieldset>
  );
}
