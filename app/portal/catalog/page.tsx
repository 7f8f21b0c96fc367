"use client";

import Link from "next/link";
import { useMemo, useState } from "react";
import { useWebhookEventCatalog } from "@/lib/react";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import { schemaFields, type SchemaField } from "@/lib/portal/schema-fields";
import { usePortal } from "@/components/portal/portal-shell";
import {
  Badge,
  buttonClass,
  Card,
  CodeBlock,
  CopyButton,
  cx,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  PageHeader,
  ScrollRegion,
  TextField,
} from "@/components/portal/ui";

export default function CatalogPage() {
  const { eventTypes, loading, error, refetch } = useWebhookEventCatalog();
  const [filter, setFilter] = useState("");
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f
      ? eventTypes.filter(
          (t) =>
            t.name.toLowerCase().includes(f) || (t.description ?? "").toLowerCase().includes(f),
        )
      : eventTypes;
  }, [eventTypes, filter]);

  return (
    <>
      <PageHeader
        title="Event catalog"
        description="Every event type you can subscribe to, with what its payload looks like."
      />
      {loading ? (
        <LoadingBlock label="Loading the event catalog…" />
      ) : error ? (
        <ErrorState
          error={error}
          title="Could not load the event catalog"
          onRetry={() => void refetch()}
        />
      ) : eventTypes.length === 0 ? (
        <EmptyState title="No event types published yet">
          Event types appear here once they are sent or described. Endpoints subscribed to all
          events (<code className="font-mono">*</code>) receive them as they come.
        </EmptyState>
      ) : (
        <>
          {eventTypes.length > 5 ? (
            <TextField
              label="Filter event types"
              labelHidden
              type="search"
              placeholder="Filter event types…"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              className="mb-4 max-w-sm"
            />
          ) : null}
          {shown.length === 0 ? (
            <p className="text-sm text-(--hl-muted)">No event types match “{filter}”.</p>
          ) : (
            <ul className="space-y-3" aria-label="Event types" data-testid="catalog-list">
              {shown.map((t) => (
                <EventTypeItem key={t.id} type={t} />
              ))}
            </ul>
          )}
        </>
      )}
    </>
  );
}

type Tab = "fields" | "example" | "schema";
const TAB_LABELS: Record<Tab, string> = {
  fields: "Fields",
  example: "Example payload",
  schema: "JSON Schema",
};

function EventTypeItem({ type }: { type: EventTypeResponse }) {
  const { href } = usePortal();
  const fields = useMemo(() => schemaFields(type.schema), [type.schema]);
  const has: Record<Tab, boolean> = {
    fields: fields.length > 0,
    example: !!type.example,
    schema: !!type.schema,
  };
  const tabs = (["fields", "example", "schema"] as const).filter((k) => has[k]);
  const [tab, setTab] = useState<Tab>(tabs[0] ?? "example");
  const panelId = `et-${type.id}-panel`;
  const json = (v: unknown) => JSON.stringify(v, null, 2);
  return (
    <li>
      <Card as="article" className="p-4" aria-labelledby={`et-${type.id}`} data-testid="event-type">
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div className="flex min-w-0 flex-wrap items-center gap-2">
            <h2 id={`et-${type.id}`} className="font-mono text-[15px] font-semibold break-all">
              {type.name}
            </h2>
            {type.archived ? (
              <Badge tone="neutral" className="text-(--hl-fg)">
                Archived: still subscribable, may stop being sent
              </Badge>
            ) : null}
          </div>
          <Link
            href={href(`/portal/endpoints?subscribe=${encodeURIComponent(type.name)}`)}
            aria-label={`Subscribe an endpoint to ${type.name}`}
            className={buttonClass("secondary", "sm")}
          >
            Subscribe an endpoint
          </Link>
        </div>
        <p className="mt-1 text-sm text-(--hl-muted)">{type.description ?? "No description."}</p>
        {tabs.length ? (
          <div className="mt-3">
            <div role="tablist" aria-label={`${type.name} details`} className="mb-2 flex gap-1">
              {tabs.map((k, i) => (
                <button
                  key={k}
                  role="tab"
                  type="button"
                  id={`et-${type.id}-${k}`}
                  aria-selected={tab === k}
                  aria-controls={panelId}
                  onClick={() => setTab(k)}
                  onKeyDown={(e) => {
                    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
                    const step = e.key === "ArrowRight" ? 1 : -1;
                    const next = tabs[(i + step + tabs.length) % tabs.length]!;
                    setTab(next);
                    document.getElementById(`et-${type.id}-${next}`)?.focus();
                  }}
                  tabIndex={tab === k ? 0 : -1}
                  className={cx(
                    "rounded-md px-2.5 py-1 text-xs font-medium",
                    tab === k
                      ? "bg-(--hl-brand-soft) text-(--hl-brand-text)"
                      : "text-(--hl-muted) hover:bg-(--hl-surface-2)",
                    focusRing,
                  )}
                >
                  {TAB_LABELS[k]}
                </button>
              ))}
            </div>
            <div role="tabpanel" id={panelId} aria-labelledby={`et-${type.id}-${tab}`}>
              {tab === "fields" ? (
                <FieldTable name={type.name} fields={fields} />
              ) : (
                <div className="space-y-2">
                  <CodeBlock
                    label={`${type.name} ${tab === "example" ? "example payload" : "JSON Schema"}`}
                    maxHeight="max-h-72"
                  >
                    {json(tab === "example" ? type.example : type.schema)}
                  </CodeBlock>
                  <CopyButton
                    value={json(tab === "example" ? type.example : type.schema)}
                    label={tab === "example" ? "Copy example payload" : "Copy JSON Schema"}
                  />
                </div>
              )}
            </div>
          </div>
        ) : (
          <p className="mt-2 text-xs text-(--hl-subtle)">No schema or example published.</p>
        )}
      </Card>
    </li>
  );
}

/** The schema's fields: nested ones by their dotted path. */
function FieldTable({ name, fields }: { name: string; fields: SchemaField[] }) {
  return (
    <ScrollRegion label={`Fields of ${name}`} className="max-h-96 overflow-auto">
      <table className="w-full text-left text-sm" data-testid="field-table">
        <caption className="sr-only">Fields of {name}</caption>
        <thead className="text-xs text-(--hl-muted)">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Field
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Type
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Required
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Description
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.path} className="border-t border-(--hl-border) align-top">
              <th scope="row" className="px-2 py-1.5 font-mono text-xs font-normal break-all">
                {f.path}
              </th>
              <td className="px-2 py-1.5 text-xs">{f.type}</td>
              <td className="px-2 py-1.5 text-xs">{f.required ? "Required" : "Optional"}</td>
              <td className="px-2 py-1.5 text-xs text-(--hl-muted)">{f.description ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
