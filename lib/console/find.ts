/**
 * "Find anything across apps": deliveries by delivery id, event id, idempotency key, endpoint URL
 * (part of it) or a payload condition (the filter language's text form), in every app at once.
 * Each kind is one indexed lookup: the primary key, `deliveries(event_id)`,
 * `events(idempotency_key)`, the few endpoints whose URL matches then
 * `deliveries(endpoint_id, created_at)`, and the GIN `jsonb_path_ops` index on payloads (for
 * `=` conditions). A payload or URL search looks at up to 500 matching events or endpoints, and
 * answers the newest 50 of their deliveries.
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
/** Events (or endpoints) matched before their deliveries are sorted: bounds the work. */
const CANDIDATES = 500;

export async function findAcrossApps(
  input: z.input<typeof findQuery>,
): Promise<{ data: FoundDelivery[] }> {
  const { kind, q } = validateBody(findQuery, input);
  let where: string;
  let param: unknown;
  switch (kind) {
    case "delivery_id":
      where = "d.id = $1";
      param = q;
      break;
    case "event_id":
      where = "d.event_id = $1";
      param = q;
      break;
    case "idempotency_key":
      where = "d.event_id = ANY(ARRAY(SELECT id FROM events WHERE idempotency_key = $1))";
      param = q;
      break;
    case "endpoint_url":
      where = `d.endpoint_id = ANY(ARRAY(SELECT id FROM endpoints WHERE url ILIKE $1 ESCAPE '\\' LIMIT ${CANDIDATES}))`;
      param = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      break;
    case "payload": {
      const filter = filterText.safeParse(q);
      if (!filter.success)
        throw apiErrors.invalidParameter([
          { field: "q", message: filter.error.issues[0]?.message ?? "is not a payload condition" },
        ]);
      where = `d.event_id = ANY(ARRAY(SELECT id FROM events WHERE payload @@ $1::jsonpath LIMIT ${CANDIDATES}))`;
      param = filterToJsonPath(filter.data);
      break;
    }
  }
  const { rows } = await getDb().pool.query<
    Omit<FoundDelivery, "created_at"> & { created_at: Date }
  >(
    `SELECT d.id, d.app_id, a.slug AS app_slug, a.name AS app_name, d.event_id, d.event_name,
            d.endpoint_id, ep.url AS endpoint_url, d.status, d.last_status_code, d.created_at
       FROM (SELECT * FROM deliveries d WHERE ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT ${LIMIT}) d
       JOIN apps a ON a.id = d.app_id
       JOIN endpoints ep ON ep.id = d.endpoint_id
      ORDER BY d.created_at DESC, d.id DESC`,
    [param],
  );
  return { data: rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() })) };
}
