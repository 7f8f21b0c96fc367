import { deliveryScheduled, eventTriggered, inngest } from "@/inngest/client";
import { fanOutEventStep } from "@/lib/jobs/inngest-steps";

const SEND_CHUNK = 500;

/**
 * `webhook/event.triggered` -> the event's deliveries (created here, by the same fan-out as the
 * embedded driver's) -> one `webhook/delivery.scheduled` per delivery.
 */
export const fanOutEvent = inngest.createFunction(
  {
    id: "fan-out-event",
    name: "Fan out a triggered event",
    triggers: [eventTriggered],
    retries: 5,
  },
  async ({ event, step }) => {
    const deliveries = await step.run("fan-out", () => fanOutEventStep(event.data.event_id));
    for (let i = 0; i < deliveries.length; i += SEND_CHUNK) {
      const chunk = deliveries.slice(i, i + SEND_CHUNK);
      await step.sendEvent(
        `schedule-${i / SEND_CHUNK}`,
        chunk.map((d) =>
          deliveryScheduled.create(
            { delivery_id: d.deliveryId, endpoint_id: d.endpointId },
            { id: `first-${d.deliveryId}` },
          ),
        ),
      );
    }
    return { event_id: event.data.event_id, deliveries: deliveries.length };
  },
);
