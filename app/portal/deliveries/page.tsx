"use client";

import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import {
  useWebhookDeliveryFeed,
  useWebhookEndpoints,
  useWebhookEventCatalog,
  type DeliveriesParams,
  type DeliveryStatus,
  type DeliverySummary,
} from "@/lib/react";
import { atEditedDate, sortFieldErrors, under } from "@/lib/portal/field-errors";
import {
  formatDateTime,
  formatNumber,
  formatRelative,
  isoToLocalInput,
  localInputToIso,
} from "@/lib/portal/format";
import { usePortal } from "@/components/portal/portal-shell";
import {
  DELIVERY_STATUS_OPTIONS,
  DeliveryDrawer,
  statusLabel,
  DeliveryStatusBadge,
  DeletedEndpoint,
  HttpCode,
} from "@/components/portal/delivery-bits";
import {
  DELIVERY_SEARCH_PARAMS,
  DeliverySearch,
  deliverySearchFrom,
} from "@/components/portal/delivery-search";
import {
  Button,
  CopyButton,
  cx,
  EmptyState,
  ErrorState,
  focusRing,
  LoadingBlock,
  PageHeader,
  SelectField,
  TextField,
} from "@/components/portal/ui";

const FILTER_LABELS = {
  status: "Status",
  event_name: "Event",
  endpoint_id: "Endpoint",
  start_date: "From",
  end_date: "To",
};
const DRAWER_ENTRY = "hooklineDeliveryDrawer";
const FILTERS = ["status", "event_name", "endpoint_id", "start_date", "end_date"] as const;

export default function DeliveriesPage() {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const { href } = usePortal();

  const filters = useMemo(() => {
    const f: DeliveriesParams = { limit: 25 };
    for (const name of [...FILTERS, ...DELIVERY_SEARCH_PARAMS]) {
      const v = searchParams.get(name);
      if (v) (f as Record<string, string>)[name] = v;
    }
    return f;
  }, [searchParams]);
  const activeCount = FILTERS.filter((n) => searchParams.get(n)).length;
  const search = deliverySearchFrom(searchParams);
  const active = activeCount > 0 || search !== null;
  const clearAll = Object.fromEntries(
    [...FILTERS, ...DELIVERY_SEARCH_PARAMS].map((n) => [n, null]),
  );
  const [showFilters, setShowFilters] = useState(false);

  // Filters live in the URL. The native History API updates it at once (Next syncs
  // useSearchParams from it), so quick successive changes build on each other.
  // An opened delivery is a history entry of its own, so Back closes the drawer.
  const setParams = useCallback(
    (patch: Record<string, string | null | undefined>, mode: "replace" | "push" = "replace") => {
      const params = new URLSearchParams(window.location.search);
      for (const [k, v] of Object.entries(patch)) {
        if (v) params.set(k, v);
        else params.delete(k);
      }
      const q = params.toString();
      const url = q ? `${pathname}?${q}` : pathname;
      if (mode === "push") window.history.pushState({ [DRAWER_ENTRY]: true }, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname],
  );
  const closeDrawer = useCallback(() => {
    // Opened here: step back to the entry without it (as Back does); opened by a link: drop it.
    if ((window.history.state as Record<string, unknown> | null)?.[DRAWER_ENTRY])
      window.history.back();
    else setParams({ delivery: null });
  }, [setParams]);

  const {
    deliveries,
    loading,
    error,
    hasMore,
    loadMore,
    loadingMore,
    newCount,
    moreNew,
    showNew,
    retry,
  } = useWebhookDeliveryFeed(filters);
  const { endpoints, loading: endpointsLoading, error: endpointsError } = useWebhookEndpoints();
  // The list holds every endpoint (the hook asks for 250): an id missing from it was deleted.
  const allEndpointsKnown = !endpointsLoading && !endpointsError && endpoints.length < 250;
  const { eventTypes } = useWebhookEventCatalog();
  const endpointUrl = useMemo(() => new Map(endpoints.map((e) => [e.id, e.url])), [endpoints]);
  // Which end of the date range was changed last: a reversed range is reported there.
  const [edited, setEdited] = useState<"start_date" | "end_date" | null>(null);
  const filterErrors = useMemo(() => {
    const sorted = sortFieldErrors(
      error,
      Object.fromEntries([...FILTERS, ...DELIVERY_SEARCH_PARAMS].map((n) => [n, under(n)])),
      FILTER_LABELS,
    );
    return { ...sorted, fields: atEditedDate(sorted.fields, edited, FILTER_LABELS) };
  }, [error, edited]);
  const filterError = Object.keys(filterErrors.fields).length > 0;
  const openId = searchParams.get("delivery");

  const replayHref = useMemo(() => {
    const p = new URLSearchParams();
    if (filters.endpoint_id) p.set("endpoint_id", filters.endpoint_id);
    if (filters.event_name) p.set("event_names", filters.event_name);
    if (filters.start_date) p.set("start_date", filters.start_date);
    if (filters.end_date) p.set("end_date", filters.end_date);
    const q = p.toString();
    return href(`/portal/replay${q ? `?${q}` : ""}`);
  }, [filters, href]);

  return (
    <>
      <PageHeader
        title="Deliveries"
        description="Every event sent to your endpoints, with each attempt's request and response."
        actions={
          <>
            <Button onClick={() => void showNew()}>Refresh</Button>
            <Link
              href={replayHref}
              className={cx(
                "inline-flex h-10 items-center rounded-md border border-(--hl-border-strong) bg-(--hl-surface) px-4 text-sm font-medium hover:bg-(--hl-surface-2)",
                focusRing,
              )}
            >
              Replay failed…
            </Link>
          </>
        }
      />

      <DeliverySearch
        key={search ? `${search.by}:${search.text}` : ""}
        value={search}
        serverError={search ? filterErrors.fields[search.by] : undefined}
        onSearch={(next) =>
          setParams({
            ...Object.fromEntries(DELIVERY_SEARCH_PARAMS.map((n) => [n, null])),
            ...(next && { [next.by]: next.text }),
          })
        }
      />
      {/* On narrow screens the filters fold away behind a button. */}
      <Button
        className="mb-3 sm:hidden"
        aria-expanded={showFilters}
        aria-controls="delivery-filters"
        onClick={() => setShowFilters((v) => !v)}
      >
        {showFilters ? "Hide filters" : `Filters${activeCount ? ` (${activeCount} on)` : ""}`}
      </Button>
      <form
        id="delivery-filters"
        role="search"
        aria-label="Filter deliveries"
        onSubmit={(e) => e.preventDefault()}
        className={cx(
          showFilters || filterError ? "grid" : "hidden",
          "mb-4 gap-3 rounded-lg border border-(--hl-border) bg-(--hl-surface) p-3 sm:grid sm:grid-cols-2 lg:grid-cols-[repeat(5,minmax(0,1fr))_auto] lg:items-start",
        )}
        data-testid="delivery-filters"
      >
        <SelectField
          label="Status"
          value={filters.status ?? ""}
          onChange={(e) => setParams({ status: e.target.value })}
          error={filterErrors.fields.status}
        >
          <option value="">Any status</option>
          {DELIVERY_STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Event"
          value={filters.event_name ?? ""}
          onChange={(e) => setParams({ event_name: e.target.value })}
          error={filterErrors.fields.event_name}
        >
          <option value="">Any event</option>
          {filters.event_name && !eventTypes.some((t) => t.name === filters.event_name) ? (
            <option value={filters.event_name}>{filters.event_name}</option>
          ) : null}
          {eventTypes.map((t) => (
            <option key={t.id} value={t.name}>
              {t.name}
            </option>
          ))}
        </SelectField>
        <SelectField
          label="Endpoint"
          value={filters.endpoint_id ?? ""}
          onChange={(e) => setParams({ endpoint_id: e.target.value })}
          error={filterErrors.fields.endpoint_id}
        >
          <option value="">Any endpoint</option>
          {filters.endpoint_id && !endpointUrl.has(filters.endpoint_id) ? (
            <option value={filters.endpoint_id}>
              {allEndpointsKnown
                ? `Deleted endpoint (${filters.endpoint_id})`
                : filters.endpoint_id}
            </option>
          ) : null}
          {endpoints.map((e) => (
            <option key={e.id} value={e.id}>
              {e.url}
            </option>
          ))}
        </SelectField>
        <TextField
          label="From"
          type="datetime-local"
          value={isoToLocalInput(filters.start_date)}
          onChange={(e) => {
            setEdited("start_date");
            setParams({ start_date: localInputToIso(e.target.value) });
          }}
          error={filterErrors.fields.start_date}
        />
        <TextField
          label="To"
          type="datetime-local"
          value={isoToLocalInput(filters.end_date)}
          onChange={(e) => {
            setEdited("end_date");
            setParams({ end_date: localInputToIso(e.target.value) });
          }}
          error={filterErrors.fields.end_date}
        />
        <div className="flex items-end lg:h-full lg:pt-6">
          <Button
            variant="ghost"
            disabled={!active}
            onClick={() => setParams(Object.fromEntries(FILTERS.map((n) => [n, null])))}
          >
            Clear
          </Button>
        </div>
      </form>

      {loading ? (
        <LoadingBlock label="Loading deliveries…" rows={5} />
      ) : filterError ? (
        <p className="rounded-lg border border-dashed border-(--hl-border-strong) px-4 py-8 text-center text-sm text-(--hl-muted)">
          Fix the filters above to see deliveries.
        </p>
      ) : error ? (
        <ErrorState error={error} title="Could not load deliveries" onRetry={() => void retry()} />
      ) : deliveries.length === 0 ? (
        active ? (
          <EmptyState
            title="No deliveries match these filters"
            action={<Button onClick={() => setParams(clearAll)}>Clear filters</Button>}
          />
        ) : (
          <EmptyState title="No deliveries yet">
            Deliveries appear here as soon as events are sent to your endpoints. Send a test event
            from an endpoint to see one.
          </EmptyState>
        )
      ) : (
        <>
          {filters.event_id ? (
            <EventAcrossEndpoints eventId={filters.event_id} deliveries={deliveries} />
          ) : null}
          {/* New deliveries wait behind this button: rows never move under the reader. */}
          <div aria-live="polite" className="mb-2 empty:hidden">
            {newCount > 0 ? (
              <Button size="sm" onClick={() => void showNew()} data-testid="show-new-deliveries">
                {formatNumber(newCount)}
                {moreNew ? "+" : ""} new {newCount === 1 && !moreNew ? "delivery" : "deliveries"} —
                show
              </Button>
            ) : null}
          </div>
          <div className="overflow-hidden rounded-lg border border-(--hl-border) bg-(--hl-surface)">
            <div
              className="hidden grid-cols-[7.5rem_minmax(0,1.2fr)_minmax(0,1.5fr)_4rem_4.5rem_8rem] gap-3 border-b border-(--hl-border) bg-(--hl-surface-2) px-4 py-2 text-xs font-medium text-(--hl-muted) md:grid"
              aria-hidden="true"
            >
              <span>Status</span>
              <span>Event</span>
              <span>Endpoint</span>
              <span>HTTP</span>
              <span>Attempts</span>
              <span>Created</span>
            </div>
            <ul
              aria-label="Deliveries"
              data-testid="delivery-list"
              className="divide-y divide-(--hl-border)"
            >
              {deliveries.map((d) => (
                <DeliveryRow
                  key={d.id}
                  delivery={d}
                  endpointUrl={endpointUrl.get(d.endpoint_id)}
                  deleted={allEndpointsKnown && !endpointUrl.has(d.endpoint_id)}
                  onOpen={() => setParams({ delivery: d.id }, "push")}
                />
              ))}
            </ul>
          </div>
          <div className="mt-4 flex items-center justify-between gap-3 text-sm text-(--hl-muted)">
            <span aria-live="polite">
              Showing {deliveries.length} {deliveries.length === 1 ? "delivery" : "deliveries"}
            </span>
            {hasMore ? (
              <Button onClick={() => void loadMore()} loading={loadingMore}>
                Load more
              </Button>
            ) : null}
          </div>
        </>
      )}

      <DeliveryDrawer
        deliveryId={openId}
        onClose={closeDrawer}
        endpointUrl={(id) => endpointUrl.get(id)}
      />
    </>
  );
}

function DeliveryRow({
  delivery: d,
  endpointUrl,
  deleted,
  onOpen,
}: {
  delivery: DeliverySummary;
  endpointUrl?: string;
  /** The endpoint is not among the app's (all loaded): it was deleted. */
  deleted: boolean;
  onOpen: () => void;
}) {
  return (
    <li data-testid="delivery-row" data-status={d.status as DeliveryStatus}>
      <button
        type="button"
        onClick={onOpen}
        className={cx(
          "grid w-full grid-cols-[auto_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 px-4 py-3 text-left text-sm hover:bg-(--hl-surface-2) md:grid-cols-[7.5rem_minmax(0,1.2fr)_minmax(0,1.5fr)_4rem_4.5rem_8rem]",
          focusRing,
          "focus-visible:-outline-offset-2",
        )}
      >
        <span>
          <DeliveryStatusBadge status={d.status} />
        </span>
        <span className="min-w-0">
          <code className="block font-mono text-[13px] break-all">{d.event_name}</code>
          <span
            className="block truncate font-mono text-xs text-(--hl-subtle)"
            data-testid="row-event-id"
          >
            {d.event_id}
          </span>
        </span>
        <span className="truncate text-xs text-(--hl-muted) max-md:col-span-3 max-md:row-start-2 md:text-sm">
          {endpointUrl ?? (deleted ? <DeletedEndpoint id={d.endpoint_id} /> : d.endpoint_id)}
        </span>
        <span className="max-md:col-start-3 max-md:row-start-1">
          <HttpCode code={d.last_status_code} />
        </span>
        <span className="text-xs text-(--hl-muted) max-md:sr-only">
          {d.attempt_count}
          <span className="sr-only"> {d.attempt_count === 1 ? "attempt" : "attempts"}</span>
        </span>
        <span
          className="text-xs text-(--hl-subtle) max-md:col-span-3 max-md:row-start-3"
          title={formatDateTime(d.created_at)}
        >
          {formatRelative(d.created_at)}
        </span>
        {/* The name is the visible text (WCAG 2.5.3), then what the button does. */}
        <span className="sr-only">, show details</span>
      </button>
    </li>
  );
}

/** One event (a search by event id): what it is and how each endpoint took it. */
function EventAcrossEndpoints({
  eventId,
  deliveries,
}: {
  eventId: string;
  deliveries: DeliverySummary[];
}) {
  const byStatus = new Map<DeliveryStatus, number>();
  for (const d of deliveries) byStatus.set(d.status, (byStatus.get(d.status) ?? 0) + 1);
  const endpoints = new Set(deliveries.map((d) => d.endpoint_id)).size;
  return (
    <section
      aria-labelledby="event-view-title"
      className="mb-4 rounded-lg border border-(--hl-border) bg-(--hl-surface) p-4"
      data-testid="event-view"
    >
      <div className="flex flex-wrap items-center gap-2">
        <h2 id="event-view-title" className="text-base font-semibold">
          Event <code className="font-mono text-sm">{eventId}</code>
        </h2>
        <CopyButton value={eventId} label="Copy event id" />
      </div>
      <p className="mt-1 text-sm text-(--hl-muted)">
        <code className="font-mono">{deliveries[0]?.event_name}</code> sent to{" "}
        <strong data-testid="event-view-endpoints">
          {formatNumber(endpoints)} {endpoints === 1 ? "endpoint" : "endpoints"}
        </strong>
        :{" "}
        {[...byStatus.entries()]
          .map(([status, n]) => `${formatNumber(n)} ${statusLabel(status).toLowerCase()}`)
          .join(", ")}
        . Open a row for its payload and attempts.
      </p>
    </section>
  );
}
