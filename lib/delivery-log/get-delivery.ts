import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { findDeliveryAhead } from "@/lib/delivery/fifo-order";
import { readDeliveryAttempts } from "@/lib/delivery-log/attempt-log";
import { getRetentionConfig } from "@/lib/retention/retention-config";
import { serializeDeliveryDetail } from "@/lib/delivery-log/serialize";
import type { DeliveryDetail } from "@/lib/delivery-log/schemas";
import { DAY_MS } from "@/lib/delivery-log/date-range";
import { apiErrors } from "@/lib/http/errors";

/** More attempts than this (a delivery replayed over and over) shows the most recent ones. */
export const MAX_ATTEMPTS_SHOWN = 500;

export const deliveryNotFound = (id: string) => apiErrors.notFound(`Delivery "${id}"`);

/**
 * One delivery with its event payload (or `payload_expired`), its endpoint (deleted ones too)
 * and every attempt, oldest first. Another app's delivery is the same 404 as an unknown id.
 */
export async function getDelivery(app: Pick<App, "id">, id: string): Promise<DeliveryDetail> {
  const { prisma } = getDb();
  const delivery = await prisma.delivery.findFirst({
    where: { id, appId: app.id },
    include: {
      endpoint: {
        select: {
          id: true,
          url: true,
          description: true,
          isActive: true,
          disabledReason: true,
          deletedAt: true,
          ordering: true,
        },
      },
    },
  });
  if (!delivery) throw deliveryNotFound(id);
  // No foreign key ties the partitioned log to its events (lib/delivery-log/partitions.ts).
  const [event, attempts] = await Promise.all([
    prisma.event.findUnique({
      where: { id: delivery.eventId },
      select: { payload: true, payloadText: true, payloadExpiredAt: true, createdAt: true },
    }),
    readDeliveryAttempts(delivery.id, MAX_ATTEMPTS_SHOWN),
  ]);
  if (!event) throw deliveryNotFound(id);
  attempts.reverse();
  const cutoff = new Date(Date.now() - getRetentionConfig().payloadRetentionDays * DAY_MS);
  const open = delivery.status === "pending" || delivery.status === "retrying";
  const ahead =
    open && delivery.endpoint.ordering === "fifo"
      ? await findDeliveryAhead(delivery.id)
      : undefined;
  return serializeDeliveryDetail(
    { ...delivery, event, attempts },
    cutoff,
    ahead === undefined ? null : { delivery_id: ahead },
  );
}
