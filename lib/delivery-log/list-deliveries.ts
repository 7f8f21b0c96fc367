import type { App, Delivery } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { checkEndpointFilter } from "@/lib/delivery-log/date-range";
import type { ListDeliveriesQuery } from "@/lib/delivery-log/schemas";
import { selectDeliveryPageIds } from "@/lib/delivery-log/select-delivery-page";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import { decodeCursor, pageOf } from "@/lib/http/pagination";

/** The input without the parsing: what the frontend API passes too. */
export type ListDeliveriesInput = Omit<ListDeliveriesQuery, "limit" | "offset"> & {
  limit: number;
  offset?: number;
};

/**
 * The delivery log of an app, newest first by (created_at, id). The keyset cursor stays stable
 * while new deliveries arrive (they sort before it); it is bound to the app and the filters, so
 * a cursor from another query is refused (400). `offset` skips rows after the cursor; offset
 * pages stay stable under new arrivals when the caller pins `end_date`.
 */
export async function listDeliveries(
  app: Pick<App, "id">,
  input: ListDeliveriesInput,
): Promise<{ data: Delivery[]; nextCursor: string | null }> {
  await checkEndpointFilter(app, input.endpoint_id);
  const scope = {
    list: "deliveries",
    app: app.id,
    status: input.status ?? null,
    event_name: input.event_name ?? null,
    endpoint_id: input.endpoint_id ?? null,
    start_date: input.start_date?.toISOString() ?? null,
    end_date: input.end_date?.toISOString() ?? null,
    http_status: input.http_status ?? null,
    // Searches join the scope only when given, so cursors of plain lists keep their fingerprint.
    event_id: input.event_id,
    idempotency_key: input.idempotency_key,
    payload: input.payload && filterToJsonPath(input.payload),
  };
  const after = decodeCursor(input.cursor, scope);
  const ids = await selectDeliveryPageIds(app.id, input, {
    after,
    offset: input.offset ?? 0,
    take: input.limit + 1,
  });
  const byId = new Map(
    (await getDb().prisma.delivery.findMany({ where: { id: { in: ids } } })).map((d) => [d.id, d]),
  );
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  return pageOf(rows, input.limit, scope);
}
