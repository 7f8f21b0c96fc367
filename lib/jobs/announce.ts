/**
 * Tells the configured job driver that work exists, after the rows are committed.
 * Embedded: the workers are woken (this process's directly, others by a NOTIFY; the fallback
 * poll would find the rows anyway).
 * Inngest: events start the functions. If sending fails the rows are still committed and the
 * reconciler (inngest/functions/reconcile.ts) starts them later; the error is only logged.
 */
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { deliveryScheduled, eventTriggered, inngest } from "@/inngest/client";
import { announceDeliveriesDue } from "@/lib/jobs/wakeup";

const SEND_CHUNK = 500;

/** After a trigger committed its event and deliveries. */
export async function announceEventTriggered(event: { eventId: string; appId: string }): Promise<void> {
  if (getConfig().jobs !== "inngest") return announceDeliveriesDue();
  try {
    await inngest.send(eventTriggered.create({ event_id: event.eventId, app_id: event.appId }, { id: `trigger-${event.eventId}` }));
  } catch (err) {
    log.warn("could not send webhook/event.triggered; the reconciler will pick the deliveries up", {
      event_id: event.eventId,
      error: (err as Error).message,
    });
  }
}

/** After deliveries were made due outside a trigger (manual attempts, replays). */
export async function announceDueDeliveries(deliveryIds: readonly string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  if (getConfig().jobs !== "inngest") return announceDeliveriesDue();
  const { rows } = await getDb().pool.query<{ id: string; endpoint_id: string }>(
    "SELECT id, endpoint_id FROM deliveries WHERE id = ANY($1::text[])",
    [deliveryIds],
  );
  await sendDeliveryEvents(rows.map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id })));
}

/** Starts one Inngest delivery run per delivery, in chunks; failures are logged, not thrown. */
export async function sendDeliveryEvents(deliveries: readonly { deliveryId: string; endpointId: string }[]): Promise<number> {
  let sent = 0;
  for (let i = 0; i < deliveries.length; i += SEND_CHUNK) {
    const chunk = deliveries.slice(i, i + SEND_CHUNK);
    try {
      await inngest.send(chunk.map((d) => deliveryScheduled.create({ delivery_id: d.deliveryId, endpoint_id: d.endpointId })));
      sent += chunk.length;
    } catch (err) {
      log.warn("could not send webhook/delivery.scheduled; the reconciler will retry", { count: chunk.length, error: (err as Error).message });
    }
  }
  return sent;
}
