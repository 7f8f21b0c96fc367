import type { App, Delivery, DeliveryStatus } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/**
 * Seed 004's per-endpoint delivery history, newest first, by keyset. Kept to this one query
 * until the deliveries log domain exists; it should then call that instead.
 */
export async function listWebhookDeliveries(
  app: Pick<App, "id">,
  endpointId: string,
  query: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<{ data: Delivery[]; nextCursor: string | null }> {
  const endpoint = await getEndpoint(app, endpointId);
  const scope = { list: "webhook_deliveries", endpoint: endpoint.id, status: query.status ?? null };
  const rows = await getDb().prisma.delivery.findMany({
    where: {
      appId: endpoint.appId,
      endpointId: endpoint.id,
      ...(query.status && { status: query.status }),
      ...afterKeyset(decodeCursor(query.cursor, scope)),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
