/**
 * The delivery log's page as SQL: the ids of one page of an app's deliveries, newest first by
 * (created_at, id), under every filter of the list, including the event searches Prisma cannot
 * express (a payload condition is a jsonpath predicate, `payload @@ path`).
 *
 * A payload search picks its plan explicitly, since the planner's estimate of a jsonpath condition
 * comes from a sample of all apps' payloads and can be off by orders of magnitude for one app:
 * it first asks for the app's matching events, at most MATCHING_EVENTS_LIMIT of them (a selective
 * `customer.id = "cus_123"` comes from the GIN jsonb_path_ops index) and, when there are that
 * few, sorts their deliveries; when there are more (`amount > 0`), it walks the newest deliveries
 * and checks each one's payload until the page is full.
 *
 * Either way it looks at the newest day first, then the newest week, month, and the rest, and
 * stops at the first window that fills the page: a search whose matches grow with the log reads
 * one day's worth of them, not all. The windows are exact because a delivery's `created_at` is its
 * event's (fan-out copies it), so the events of a window are the ones whose deliveries are in it.
 * BENCHMARKS.md ("Find any event", "The log at 1 M and 10 M deliveries") has the figures.
 */
import type { DeliveryStatus } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { DAY_MS } from "@/lib/delivery-log/date-range";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import type { PayloadFilter } from "@/lib/filters/payload-filter";
import type { Keyset } from "@/lib/http/pagination";

export interface DeliveryPageFilters {
  status?: DeliveryStatus;
  event_name?: string;
  endpoint_id?: string;
  start_date?: Date;
  end_date?: Date;
  /** `503`, or a class: `5xx`. */
  http_status?: string;
  event_id?: string;
  idempotency_key?: string;
  payload?: PayloadFilter;
}

/** Up to this many matching events, a payload search collects their deliveries; past it, it walks the log. */
export const MATCHING_EVENTS_LIMIT = 2_000;

/** How far back from the page's newest possible row a payload search looks, widening until the page is full. */
export const SEARCH_WINDOWS_MS = [DAY_MS, 7 * DAY_MS, 31 * DAY_MS] as const;

/** Events (and so deliveries: they share `created_at`) from `from` on, until `until`. */
interface Window {
  from: Date;
  until?: Date;
}

/**
 * The app's events matching `path` in the window when there are at most MATCHING_EVENTS_LIMIT of
 * them (the GIN index finds `==` conditions without reading other payloads), or null when there
 * are more.
 */
async function matchingEventIds(
  appId: string,
  path: string,
  window: Window | null,
): Promise<string[] | null> {
  const { rows } = await getDb().pool.query<{ id: string }>(
    `SELECT id FROM events WHERE app_id = $1 AND payload @@ $2::jsonpath
       AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at <= $5)
     LIMIT $3`,
    [appId, path, MATCHING_EVENTS_LIMIT + 1, window?.from ?? null, window?.until ?? null],
  );
  return rows.length > MATCHING_EVENTS_LIMIT ? null : rows.map((r) => r.id);
}

export async function selectDeliveryPageIds(
  appId: string,
  filters: DeliveryPageFilters,
  page: { after?: Keyset; offset: number; take: number },
): Promise<string[]> {
  if (!filters.payload || filters.event_id || filters.idempotency_key)
    return selectInWindow(appId, filters, page, null);
  // The newest row the page may hold; the windows reach back from it.
  const until = [page.after?.createdAt, filters.end_date].reduce<Date | undefined>(
    (min, d) => (d && (!min || d < min) ? d : min),
    undefined,
  );
  const newest = until?.getTime() ?? Date.now();
  for (const width of SEARCH_WINDOWS_MS) {
    const from = new Date(newest - width);
    if (filters.start_date && from <= filters.start_date) break;
    const ids = await selectInWindow(appId, filters, page, { from, until });
    if (ids.length === page.take) return ids;
  }
  return selectInWindow(appId, filters, page, null);
}

async function selectInWindow(
  appId: string,
  filters: DeliveryPageFilters,
  page: { after?: Keyset; offset: number; take: number },
  window: Window | null,
): Promise<string[]> {
  const params: unknown[] = [appId];
  const param = (value: unknown) => `$${params.push(value)}`;
  const where = ["d.app_id = $1"];
  if (filters.status) where.push(`d.status = ${param(filters.status)}::delivery_status`);
  if (filters.event_name) where.push(`d.event_name = ${param(filters.event_name)}`);
  if (filters.endpoint_id) where.push(`d.endpoint_id = ${param(filters.endpoint_id)}`);
  if (filters.start_date) where.push(`d.created_at >= ${param(filters.start_date)}`);
  if (filters.end_date) where.push(`d.created_at <= ${param(filters.end_date)}`);
  if (filters.http_status?.endsWith("xx")) {
    const base = Number(filters.http_status[0]) * 100;
    where.push(`d.last_status_code BETWEEN ${param(base)} AND ${param(base + 99)}`);
  } else if (filters.http_status) {
    where.push(`d.last_status_code = ${param(Number(filters.http_status))}`);
  }
  if (filters.event_id) where.push(`d.event_id = ${param(filters.event_id)}`);
  if (filters.idempotency_key) {
    where.push(
      `d.event_id = (SELECT e.id FROM events e WHERE e.app_id = $1 AND e.idempotency_key = ${param(filters.idempotency_key)})`,
    );
  }
  // An expired payload is NULL, and NULL @@ anything is not true: it never matches.
  let byMatchingEvents = false;
  if (filters.payload) {
    const path = filterToJsonPath(filters.payload);
    const matching =
      filters.event_id || filters.idempotency_key
        ? null
        : await matchingEventIds(appId, path, window);
    if (matching?.length === 0) return [];
    byMatchingEvents = matching !== null;
    // A scalar subquery is never turned into a join: the planner walks the deliveries in page
    // order (or by the event filter) and checks each one's payload, stopping when the page is full.
    where.push(
      matching
        ? `d.event_id = ANY(${param(matching)}::text[])`
        : `(SELECT e.payload FROM events e WHERE e.id = d.event_id AND e.app_id = $1) @@ ${param(path)}::jsonpath`,
    );
  }
  if (window) where.push(`d.created_at >= ${param(window.from)}`);
  if (page.after)
    where.push(`(d.created_at, d.id) < (${param(page.after.createdAt)}, ${param(page.after.id)})`);
  const order = `ORDER BY created_at DESC, id DESC LIMIT ${param(page.take)} OFFSET ${param(page.offset)}`;
  const { rows } = await getDb().pool.query<{ id: string }>(
    byMatchingEvents
      ? // Materialized: the few matching events' deliveries by event_id, then sorted; never a walk
        // of the whole log in the hope that the matches are recent.
        `WITH matching AS MATERIALIZED (SELECT d.id, d.created_at FROM deliveries d WHERE ${where.join(" AND ")}) SELECT id FROM matching ${order}`
      : `SELECT d.id FROM deliveries d WHERE ${where.join(" AND ")} ${order}`,
    params,
  );
  return rows.map((r) => r.id);
}
