/**
 * The Inngest job driver (HOOKLINE_JOBS=inngest): announced work becomes Inngest events, which
 * start the functions served at /api/inngest (inngest/functions). If sending fails the work is
 * still committed and the reconciler (inngest/functions/reconcile.ts) starts it later; the error
 * is only logged.
 */
import { deliveryScheduled, eventTriggered, inngest, replayRequested } from "@/inngest/client";
import { getDb } from "@/lib/db/client";
import type { AnnouncedWork, JobDriver } from "@/lib/jobs/job-driver";
import { log } from "@/lib/log";

const SEND_CHUNK = 500;

async function send(what: string, events: Parameters<typeof inngest.send>[0]): Promise<boolean> {
  try {
    await inngest.send(events);
    return true;
  } catch (err) {
    log.warn(`could not send ${what}; the reconciler will pick the work up`, {
      error: (err as Error).message,
    });
    return false;
  }
}

/** Starts one delivery run per delivery, in chunks; returns how many were sent. */
export async function sendDeliveryEvents(
  deliveries: readonly { deliveryId: string; endpointId: string }[],
  idPrefix?: string,
): Promise<number> {
  let sent = 0;
  for (let i = 0; i < deliveries.length; i += SEND_CHUNK) {
    const chunk = deliveries.slice(i, i + SEND_CHUNK);
    const ok = await send(
      "webhook/delivery.scheduled",
      chunk.map((d) =>
        deliveryScheduled.create(
          { delivery_id: d.deliveryId, endpoint_id: d.endpointId },
          idPrefix ? { id: `${idPrefix}-${d.deliveryId}` } : undefined,
        ),
      ),
    );
    if (ok) sent += chunk.length;
  }
  return sent;
}

export function createInngestDriver(): JobDriver {
  return {
    kind: "inngest",
    async announce(work: AnnouncedWork) {
      if (work.events?.length) {
        await send(
          "webhook/event.triggered",
          work.events.map((e) =>
            eventTriggered.create(
              { event_id: e.eventId, app_id: e.appId },
              { id: `trigger-${e.eventId}` },
            ),
          ),
        );
      }
      if (work.deliveries?.length) {
        const { rows } = await getDb().pool.query<{ id: string; endpoint_id: string }>(
          "SELECT id, endpoint_id FROM deliveries WHERE id = ANY($1::text[])",
          [work.deliveries],
        );
        await sendDeliveryEvents(
          rows.map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id })),
        );
      }
      if (work.replayTask) {
        await send(
          "webhook/replay.requested",
          replayRequested.create(
            { task_id: work.replayTask.id, app_id: work.replayTask.appId },
            { id: `replay-${work.replayTask.id}` },
          ),
        );
      }
    },
    status: () => ({ driver: "inngest", status: "serving", details: { path: "/api/inngest" } }),
    stop: () => Promise.resolve(),
  };
}
