"use client";

import { useMemo, useState } from "react";
import { useWebhookEventCatalog } from "@/lib/react";
import type { EventTypeResponse } from "@/lib/event-types/schemas";
import {
  Badge,
  Card,
  CodeBlock,
  cx,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  PageHeader,
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

function EventTypeItem({ type }: { type: EventTypeResponse }) {
  const [tab, setTab] = useState<"example" | "schema">(type.example ? "example" : "schema");
  const has = { example: !!type.example, schema: !!type.schema };
  const panelId = `et-${type.id}-panel`;
  return (
    <li>
      <Card as="article" className="p-4" aria-labelledby={`et-${type.id}`} data-testid="event-type">
        <div className="flex flex-wrap items-center gap-2">
          <h2 id={`et-${type.id}`} className="font-mono text-[15px] font-semibold">
            {type.name}
          </h2>
          {type.archived ? (
            <Badge tone="neutral" className="text-(--hl-fg)">
              Archived: still subscribable, may stop being sent
            </Badge>
          ) : null}
        </div>
        <p className="mt-1 text-sm text-(--hl-muted)">{type.description ?? "No description."}</p>
        {has.example || has.schema ? (
          <div className="mt-3">
            <div role="tablist" aria-label={`${type.name} details`} className="mb-2 flex gap-1">
              {(["example", "schema"] as const)
                .filter((k) => has[k])
                .map((k) => (
                  <button
                    key={k}
                    role="tab"
                    type="button"
                    id={`et-${type.id}-${k}`}
                    aria-selected={tab === k}
                    aria-controls={panelId}
                    onClick={() => setTab(k)}
                    onKeyDown={(e) => {
                      if (
                        (e.key === "ArrowRight" || e.key === "ArrowLeft") &&
                        has.example &&
                        has.schema
                      ) {
                        const next = tab === "example" ? "schema" : "example";
                        setTab(next);
                        document.getElementById(`et-${type.id}-${next}`)?.focus();
                      }
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
                    {k === "example" ? "Example payload" : "JSON Schema"}
                  </button>
                ))}
            </div>
            <div role="tabpanel" id={panelId} aria-labelledby={`et-${type.id}-${tab}`}>
              <CodeBlock
                label={`${type.name} ${tab === "example" ? "example payload" : "JSON Schema"}`}
                maxHeight="max-h-72"
              >
                {JSON.stringify(tab === "example" ? type.example : type.schema, null, 2)}
              </CodeBlock>
            </div>
          </div>
        ) : (
          <p className="mt-2 text-xs text-(--hl-subtle)">No schema or example published.</p>
        )}
      </Card>
    </li>
  );
}
