import type { App, Delivery, DeliveryStatus } from "@/generated/prisma/client";
import { listDeliveries } from "@/lib/delivery-log/list-deliveries";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";

/**
 * Seed 004's per-endpoint delivery history: the delivery log filtered to one live endpoint of
 * the app (a deleted or foreign endpoint is the usual 404), newest first, by cursor.
 */
export async function listWebhookDeliveries(
  app: Pick<App, "id">,
  endpointId: string,
  query: { status?: DeliveryStatus; limit: number; cursor?: string },
): Promise<{ data: Delivery[]; nextCursor: string | null }> {
  const endpoint = await getEndpoint(app, endpointId);
  return listDeliveries(app, {
    endpoint_id: endpoint.id,
    status: query.status,
    limit: query.limit,
    cursor: query.cursor,
  });
}
