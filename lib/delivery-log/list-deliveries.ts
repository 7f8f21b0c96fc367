import type { App, Delivery, Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { checkEndpointFilter } from "@/lib/delivery-log/date-range";
import type { ListDeliveriesQuery } from "@/lib/delivery-log/schemas";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/** The input without the parsing: what the frontend API passes too. */
export type ListDeliveriesInput = Omit<ListDeliveriesQuery, "limit" | "offset"> & { limit: number; offset?: number };

function httpStatusWhere(value: string | undefined): Prisma.DeliveryWhereInput {
  if (value === undefined) return {};
  if (value.endsWith("xx")) {
    const base = Number(value[0]) * 100;
    return { lastStatusCode: { gte: base, lte: base + 99 } };
  }
  return { lastStatusCode: Number(value) };
}

/**
 * The delivery log of an app, newest first by (created_at, id). The keyset cursor stays stable
 * while new deliveries arrive (they sort before it); it is bound to the app and the filters, so
 * a cursor from another query is refused (400). `offset` skips rows after the cursor; offset
 * pages stay stable under new arrivals when the caller pins `end_date`.
 */
export async function listDeliveries(app: Pick<App, "id">, input: ListDeliveriesInput): Promise<{ data: Delivery[]; nextCursor: string | null }> {
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
  };
  const after = decodeCursor(input.cursor, scope);
  const createdAt: Prisma.DateTimeFilter = {};
  if (input.start_date) createdAt.gte = input.start_date;
  if (input.end_date) createdAt.lte = input.end_date;
  const rows = await getDb().prisma.delivery.findMany({
    where: {
      appId: app.id,
      ...(input.status && { status: input.status }),
      ...(input.event_name && { eventName: input.event_name }),
      ...(input.endpoint_id && { endpointId: input.endpoint_id }),
      ...(Object.keys(createdAt).length > 0 && { createdAt }),
      ...httpStatusWhere(input.http_status),
      ...afterKeyset(after),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: input.offset ?? 0,
    take: input.limit + 1,
  });
  return pageOf(rows, input.limit, scope);
}
