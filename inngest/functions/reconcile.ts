import { cron } from "inngest";
import { deliveryScheduled, eventTriggered, inngest } from "@/inngest/client";
import { findStalledFanOuts } from "@/lib/delivery/fan-out-events";
import { findOverdueDeliveries } from "@/lib/jobs/inngest-steps";
import { sendPendingOperationalEvents } from "@/lib/operational-events/dispatch";

/** A due delivery with no run for this long is restarted. */
export const OVERDUE_GRACE_SECONDS = 120;
const BATCH = 1_000;

/**
 * The safety net of the Inngest driver: the trigger commits its event before it sends
 * `webhook/event.triggered`, so a failed send (or a lost run) leaves an event not fanned out, or
 * deliveries due with nobody working on them. Every five minutes they get a run again. Also sends
 * pending operational events.
 */
export const reconcileDeliveries = inngest.createFunction(
  {
    id: "reconcile-deliveries",
    name: "Restart overdue deliveries",
    triggers: [cron("*/5 * * * *")],
    retries: 2,
  },
  async ({ step }) => {
    const stalled = await step.run("find-stalled-fan-outs", () =>
      findStalledFanOuts(OVERDUE_GRACE_SECONDS, BATCH),
    );
    if (stalled.length > 0) {
      await step.sendEvent(
        "restart-fan-outs",
        stalled.map((e) =>
          eventTriggered.create(
            { event_id: e.eventId, app_id: e.appId },
            { id: `stalled-${e.eventId}` },
          ),
        ),
      );
    }
    const overdue = await step.run("find-overdue", () =>
      findOverdueDeliveries(OVERDUE_GRACE_SECONDS, BATCH),
    );
    if (overdue.length > 0) {
      await step.sendEvent(
        "restart-overdue",
        overdue.map((d) =>
          deliveryScheduled.create(
            { delivery_id: d.deliveryId, endpoint_id: d.endpointId },
            { id: `overdue-${d.deliveryId}-${d.attempt}` },
          ),
        ),
      );
    }
    const operational = await step.run("send-operational-events", () =>
      sendPendingOperationalEvents(),
    );
    return {
      fan_outs_restarted: stalled.length,
      restarted: overdue.length,
      operational_events_sent: operational.sent,
    };
  },
);
