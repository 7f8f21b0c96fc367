import { deliveryScheduled, eventTriggered, inngest } from "@/inngest/client";
import { listPendingDeliveriesOfEvent } from "@/lib/jobs/inngest-steps";

const SEND_CHUNK = 500;

/**
 * `webhook/event.triggered` -> one `webhook/delivery.scheduled` per delivery. The deliveries
 * already exist (the trigger created them with the event); this only starts their runs.
 */
export const fanOutEvent = inngest.createFunction(
  { id: "fan-out-event", name: "Fan out a triggered event", triggers: [eventTriggered], retries: 5 },
  async ({ event, step }) => {
    const deliveries = await step.run("list-deliveries", () => listPendingDeliveriesOfEvent(event.data.event_id));
    for (let i = 0; i < deliveries.length; i += SEND_CHUNK) {
      const chunk = deliveries.slice(i, i + SEND_CHUNK);
      await step.sendEvent(
        `schedule-${i / SEND_CHUNK}`,
        chunk.map((d) => deliveryScheduled.create({ delivery_id: d.deliveryId, endpoint_id: d.endpointId }, { id: `first-${d.deliveryId}` })),
      );
    }
    return { event_id: event.data.event_id, deliveries: deliveries.length };
  },
);
