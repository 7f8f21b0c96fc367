/**
 * "Find anything across apps": deliveries by delivery id, event id, idempotency key, endpoint URL
 * (part of it) or a payload condition (the filter language's text form), in every app at once,
 * the newest 50. Each kind is a bounded walk of an index, whatever the number of deliveries:
 * - ids and idempotency keys: the primary key, `deliveries(event_id)`, `events(idempotency_key)`;
 * - endpoint URL: the (at most 500) endpoints whose URL matches, then each one's newest 50
 *   deliveries from `deliveries(endpoint_id, created_at, id)`, merged;
 * - payload: the matching events, at most MATCHING_EVENTS_LIMIT of them (`=` conditions come from
 *   the GIN `jsonb_path_ops` index), and their deliveries sorted; when more events match, each
 *   app's newest matching events that have deliveries, walked from `events(app_id, created_at,
 *   id)` until 50 are found, and their deliveries.
 * `npm run bench:log` times each at 1,000,000 deliveries (BENCHMARKS.md, "Console: find").
 */
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { filterText } from "@/lib/filters/filter-input";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import { apiErrors } from "@/lib/http/errors";
import { validateBody } from "@/lib/http/parse";

export const FIND_KINDS = [
  "delivery_id",
  "event_id",
  "idempotency_key",
  "endpoint_url",
  "payload",
] as const;
export type FindKind = (typeof FIND_KINDS)[number];

export const findQuery = z.strictObject({
  kind: z.enum(FIND_KINDS),
  q: z.string().trim().min(1, "is required").max(1000),
});

export interface FoundDelivery {
  id: string;
  app_id: string;
  app_slug: string;
  app_name: string;
  event_id: string;
  event_name: string;
  endpoint_id: string;
  endpoint_url: string;
  status: string;
  last_status_code: number | null;
  created_at: string;
}

const LIMIT = 50;
/** Endpoints whose URL matches that are looked at (each gives its newest LIMIT deliveries). */
export const MATCHING_ENDPOINTS_LIMIT = 500;
/** Up to this many matching events, a payload search sorts their deliveries; past it, it walks each app's events. */
export const MATCHING_EVENTS_LIMIT = 2_000;

const SELECT_FOUND = `SELECT d.id, d.app_id, a.slug AS app_slug, a.name AS app_name, d.event_id, d.event_name,
            d.endpoint_id, ep.url AS endpoint_url, d.status, d.last_status_code, d.created_at
       FROM found d
       JOIN apps a ON a.id = d.app_id
       JOIN endpoints ep ON ep.id = d.endpoint_id
      ORDER BY d.created_at DESC, d.id DESC`;

/** `found`: at most LIMIT deliveries, newest first; each query below gives them. */
function newest(from: string): string {
  return `WITH found AS MATERIALIZED (SELECT d.* FROM ${from} ORDER BY d.created_at DESC, d.id DESC LIMIT ${LIMIT}) ${SELECT_FOUND}`;
}

/** The payload search's SQL and parameter, after asking how many events match. */
async function payloadSearch(path: string): Promise<[string, unknown[]]> {
  const { rows } = await getDb().pool.query<{ id: string }>(
    "SELECT id FROM events WHERE payload @@ $1::jsonpath LIMIT $2",
    [path, MATCHING_EVENTS_LIMIT + 1],
  );
  if (rows.length <= MATCHING_EVENTS_LIMIT)
    return [newest("deliveries d WHERE d.event_id = ANY($1::text[])"), [rows.map((r) => r.id)]];
  // Many match: each app's newest matching events that were delivered, from the (app_id,
  // created_at, id) index, until LIMIT are found. The planner estimates a jsonpath condition as
  // rare and would fetch every match from the GIN index then sort them (470 ms for `amount > 0`
  // at 110,000 deliveries); behind a CASE it is estimated as common, so the index is walked.
  return [
    newest(`apps a
      CROSS JOIN LATERAL (
        SELECT e.id FROM events e
         WHERE e.app_id = a.id AND CASE WHEN e.payload @@ $1::jsonpath THEN true ELSE false END
           AND EXISTS (SELECT 1 FROM deliveries x WHERE x.event_id = e.id)
         ORDER BY e.created_at DESC, e.id DESC LIMIT ${LIMIT}) e
      JOIN deliveries d ON d.event_id = e.id`),
    [path],
  ];
}

export async function findAcrossApps(
  input: z.input<typeof findQuery>,
): Promise<{ data: FoundDelivery[] }> {
  const { kind, q } = validateBody(findQuery, input);
  let sql: string;
  let params: unknown[];
  switch (kind) {
    case "delivery_id":
      [sql, params] = [newest("deliveries d WHERE d.id = $1"), [q]];
      break;
    case "event_id":
      [sql, params] = [newest("deliveries d WHERE d.event_id = $1"), [q]];
      break;
    case "idempotency_key":
      [sql, params] = [
        newest(
          "deliveries d WHERE d.event_id IN (SELECT id FROM events WHERE idempotency_key = $1)",
        ),
        [q],
      ];
      break;
    case "endpoint_url":
      // One top-LIMIT per endpoint, merged: never all of a busy endpoint's deliveries sorted.
      [sql, params] = [
        newest(`(SELECT id FROM endpoints WHERE url ILIKE $1 ESCAPE '\\' LIMIT ${MATCHING_ENDPOINTS_LIMIT}) m
          CROSS JOIN LATERAL (SELECT * FROM deliveries d WHERE d.endpoint_id = m.id
                               ORDER BY d.created_at DESC, d.id DESC LIMIT ${LIMIT}) d`),
        [`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`],
      ];
      break;
    case "payload": {
      const filter = filterText.safeParse(q);
      if (!filter.success)
        throw apiErrors.invalidParameter([
          { field: "q", message: filter.error.issues[0]?.message ?? "is not a payload condition" },
        ]);
      [sql, params] = await payloadSearch(filterToJsonPath(filter.data));
      break;
    }
  }
  const { rows } = await getDb().pool.query<
    Omit<FoundDelivery, "created_at"> & { created_at: Date }
  >(sql, params);
  return { data: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
}
