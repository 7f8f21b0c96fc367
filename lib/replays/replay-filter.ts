/**
 * The deliveries a replay filter matches, as SQL: counted when a task is created, then read in
 * keyset batches by the runner. Date-range tasks walk (created_at, id) upwards on the
 * deliveries_app_id_created_at_id index and never look past the task's creation time, so
 * deliveries made after the request are not replayed; id-list tasks walk the ids in order.
 */
import type { Pool, PoolClient } from "pg";
import type { StoredReplayFilter } from "@/lib/replays/schemas";

export interface ReplayCandidate {
  id: string;
  created_at: Date;
  payload_expired: boolean;
}

interface Sql {
  where: string;
  params: unknown[];
}

/** The WHERE clause (alias `d`) for an app and a stored filter; `upperBound` caps created_at. */
function filterSql(appId: string, filter: StoredReplayFilter, upperBound: Date | null): Sql {
  const params: unknown[] = [appId];
  const add = (value: unknown) => `$${params.push(value)}`;
  const clauses = ["d.app_id = $1"];
  if (filter.delivery_ids) {
    clauses.push(`d.id = ANY(${add(filter.delivery_ids)}::text[])`);
  } else {
    if (filter.start_date) clauses.push(`d.created_at >= ${add(new Date(filter.start_date))}`);
    const end = filter.end_date ? new Date(filter.end_date) : null;
    const cap = end && upperBound ? (end < upperBound ? end : upperBound) : (end ?? upperBound);
    if (cap) clauses.push(`d.created_at <= ${add(cap)}`);
  }
  if (filter.endpoint_id) clauses.push(`d.endpoint_id = ${add(filter.endpoint_id)}`);
  if (filter.event_names) clauses.push(`d.event_name = ANY(${add(filter.event_names)}::text[])`);
  if (filter.status === "failed") clauses.push(`d.status = 'failed'`);
  // Retrying: a failed attempt behind it and another one scheduled (pending ones never failed).
  if (filter.status === "failed_or_retrying") clauses.push(`d.status IN ('failed', 'retrying')`);
  return { where: clauses.join(" AND "), params };
}

/** How many deliveries the filter matches now. */
export async function countReplayMatches(
  db: Pool | PoolClient,
  appId: string,
  filter: StoredReplayFilter,
  upperBound: Date | null,
): Promise<number> {
  const { where, params } = filterSql(appId, filter, upperBound);
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM deliveries d WHERE ${where}`,
    params,
  );
  return Number(rows[0]?.n ?? 0);
}

/** Ids in the filter that are not deliveries of this app (at most `limit` of them). */
export async function unknownDeliveryIds(
  db: Pool | PoolClient,
  appId: string,
  ids: readonly string[],
  limit = 20,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM unnest($2::text[]) AS u(id)
     WHERE NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = u.id AND d.app_id = $1)
     LIMIT $3`,
    [appId, ids, limit],
  );
  return rows.map((r) => r.id);
}

/** Keyset position: `<iso>|<id>` for date ranges, `<id>` for id lists. */
export function encodeResumeAfter(filter: StoredReplayFilter, row: ReplayCandidate): string {
  return filter.delivery_ids ? row.id : `${row.created_at.toISOString()}|${row.id}`;
}

/** The next batch after `resumeAfter`, in keyset order. */
export async function nextReplayBatch(
  client: PoolClient,
  input: {
    appId: string;
    filter: StoredReplayFilter;
    upperBound: Date;
    resumeAfter: string | null;
    limit: number;
  },
): Promise<ReplayCandidate[]> {
  const { where, params } = filterSql(input.appId, input.filter, input.upperBound);
  const add = (value: unknown) => `$${params.push(value)}`;
  let keyset = "";
  let order: string;
  if (input.filter.delivery_ids) {
    if (input.resumeAfter !== null) keyset = ` AND d.id > ${add(input.resumeAfter)}`;
    order = "d.id";
  } else {
    if (input.resumeAfter !== null) {
      const split = input.resumeAfter.indexOf("|");
      const at = new Date(input.resumeAfter.slice(0, split));
      const id = input.resumeAfter.slice(split + 1);
      keyset = ` AND (d.created_at, d.id) > (${add(at)}::timestamptz, ${add(id)}::text)`;
    }
    order = "d.created_at, d.id";
  }
  const { rows } = await client.query<ReplayCandidate>(
    `SELECT d.id, d.created_at, (ev.payload_expired_at IS NOT NULL) AS payload_expired
     FROM deliveries d JOIN events ev ON ev.id = d.event_id
     WHERE ${where}${keyset}
     ORDER BY ${order}
     LIMIT ${add(input.limit)}`,
    params,
  );
  return rows;
}
