/**
 * The delivery log's page as SQL: the ids of one page of an app's deliveries, newest first by
 * (created_at, id), under every filter of the list, including the event searches Prisma cannot
 * express (a payload condition is a jsonpath predicate, `payload @@ path`).
 *
 * A payload search is a semi-join of the deliveries to the app's matching events. The planner
 * picks the side from its estimate of the condition (it evaluates the jsonpath over the column's
 * statistics sample): a selective `customer.id = "cus_123"` reads the matching events from the
 * GIN (jsonb_path_ops) index and joins their deliveries by event_id; an unselective `amount > 0`
 * walks the newest deliveries and checks each one's event until the page is full.
 * BENCHMARKS.md ("Find any event") has the figures at 1,000,000 deliveries.
 */
import type { DeliveryStatus } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
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

export async function selectDeliveryPageIds(
  appId: string,
  filters: DeliveryPageFilters,
  page: { after?: Keyset; offset: number; take: number },
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
    where.push(`d.event_id = (SELECT e.id FROM events e WHERE e.app_id = $1 AND e.idempotency_key = ${param(filters.idempotency_key)})`);
  }
  // An expired payload is NULL, and NULL @@ anything is not true: it never matches.
  if (filters.payload) {
    where.push(`d.event_id IN (SELECT e.id FROM events e WHERE e.app_id = $1 AND e.payload @@ ${param(filterToJsonPath(filters.payload))}::jsonpath)`);
  }
  if (page.after) where.push(`(d.created_at, d.id) < (${param(page.after.createdAt)}, ${param(page.after.id)})`);
  const { rows } = await getDb().pool.query<{ id: string }>(
    `SELECT d.id FROM deliveries d WHERE ${where.join(" AND ")}
     ORDER BY d.created_at DESC, d.id DESC LIMIT ${param(page.take)} OFFSET ${param(page.offset)}`,
    params,
  );
  return rows.map((r) => r.id);
}
