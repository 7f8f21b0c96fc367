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
 * one day's worth of them, not all. Each wider window asks only for the matching events of the
 * time it adds and keeps those found before, so the event side reads each payload once at most;
 * past MATCHING_EVENTS_LIMIT matches the window is walked. The windows are exact because a
 * delivery's `created_at` is its event's (fan-out copies it), so the events of a window are the
 * ones whose deliveries are in it.
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

/** Events created in [from, before), or up to `until` inclusive (a slice of the log's time). */
interface Slice {
  from: Date | null;
  before?: Date;
  until?: Date;
}

/**
 * The app's events matching `path` in the slice when there are at most `limit` of them (the GIN
 * index finds `==` conditions without reading other payloads), or null when there are more.
 */
async function matchingEventIds(
  appId: string,
  path: string,
  slice: Slice,
  limit: number,
): Promise<string[] | null> {
  const { rows } = await getDb().pool.query<{ id: string }>(
    `SELECT id FROM events WHERE app_id = $1 AND payload @@ $2::jsonpath
       AND ($4::timestamptz IS NULL OR created_at >= $4) AND ($5::timestamptz IS NULL OR created_at < $5)
       AND ($6::timestamptz IS NULL OR created_at <= $6)
     LIMIT $3`,
    [appId, path, limit + 1, slice.from, slice.before ?? null, slice.until ?? null],
  );
  return rows.length > limit ? null : rows.map((r) => r.id);
}

/** How a page's rows are checked against a payload filter: the matching events' ids, or each row's payload. */
type PayloadCheck = { events: string[] } | { walk: string } | null;

type Page = { after?: Keyset; offset: number; take: number };

export async function selectDeliveryPageIds(
  appId: string,
  filters: DeliveryPageFilters,
  page: Page,
): Promise<string[]> {
  if (!filters.payload) return selectPage(appId, filters, page, null, null);
  const path = filterToJsonPath(filters.payload);
  // Within one event's deliveries, each is checked against the payload.
  if (filters.event_id || filters.idempotency_key)
    return selectPage(appId, filters, page, { walk: path }, null);
  // The newest row the page may hold; the windows reach back from it. Each window reads only the
  // events of its new slice, so a search that finds nothing reads every payload once in all.
  const until = [page.after?.createdAt, filters.end_date].reduce<Date | undefined>(
    (min, d) => (d && (!min || d < min) ? d : min),
    undefined,
  );
  const newest = until?.getTime() ?? Date.now();
  const floor = filters.start_date ?? null;
  let matched: string[] | null = [];
  let before: Date | undefined;
  for (const width of [...SEARCH_WINDOWS_MS, Infinity]) {
    const edge = width === Infinity ? null : new Date(newest - width);
    const from = edge && (!floor || edge > floor) ? edge : floor;
    if (matched) {
      const found = await matchingEventIds(
        appId,
        path,
        { from, before, until },
        MATCHING_EVENTS_LIMIT - matched.length,
      );
      matched = found && [...matched, ...found];
    }
    const last = from === floor;
    if (matched?.length === 0) {
      if (last) return [];
    } else {
      const check: PayloadCheck = matched ? { events: matched } : { walk: path };
      const ids = await selectPage(appId, filters, page, check, last ? null : from);
      if (ids.length === page.take || last) return ids;
    }
    before = from ?? undefined;
  }
  return [];
}

async function selectPage(
  appId: string,
  filters: DeliveryPageFilters,
  page: Page,
  payload: PayloadCheck,
  from: Date | null,
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
  const byMatchingEvents = payload !== null && "events" in payload;
  if (payload)
    // A scalar subquery is never turned into a join: the planner walks the deliveries in page
    // order (or by the event filter) and checks each one's payload, stopping when the page is full.
    where.push(
      "events" in payload
        ? `d.event_id = ANY(${param(payload.events)}::text[])`
        : `(SELECT e.payload FROM events e WHERE e.id = d.event_id AND e.app_id = $1) @@ ${param(payload.walk)}::jsonpath`,
    );
  if (from) where.push(`d.created_at >= ${param(from)}`);
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
