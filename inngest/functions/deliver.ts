import { deliveryScheduled, inngest } from "@/inngest/client";
import { attemptDeliveryStep } from "@/lib/jobs/inngest-steps";

/** Plenty for any retry budget; bounds the loop if a delivery keeps being postponed. */
export const MAX_ATTEMPT_STEPS = 60;
/** Attempts in flight per endpoint across all runs. */
export const ENDPOINT_CONCURRENCY = 10;

/**
 * One delivery, start to finish: `attempt-N` steps (lease, POST, record through the state
 * machine) with `backoff-N` sleeps between them on the retry schedule the state machine set.
 * Concurrency is keyed by endpoint so one slow receiver cannot take every worker.
 */
export const deliverWebhook = inngest.createFunction(
  {
    id: "deliver-webhook",
    name: "Deliver a webhook",
    triggers: [deliveryScheduled],
    // Step errors (database unavailable) are retried by Inngest; HTTP failures are not errors.
    retries: 10,
    concurrency: [{ key: "event.data.endpoint_id", limit: ENDPOINT_CONCURRENCY }],
  },
  async ({ event, step, runId }) => {
    const deliveryId = event.data.delivery_id;
    for (let n = 1; n <= MAX_ATTEMPT_STEPS; n++) {
      const outcome = await step.run(`attempt-${n}`, () => attemptDeliveryStep(deliveryId, runId));
      if (outcome.done) {
        if (outcome.nextInLine) {
          const next = outcome.nextInLine;
          await step.sendEvent(
            "start-next-in-line",
            deliveryScheduled.create(
              { delivery_id: next.deliveryId, endpoint_id: next.endpointId },
              { id: `next-in-line-${next.deliveryId}-after-${deliveryId}` },
            ),
          );
        }
        return { delivery_id: deliveryId, status: outcome.status, steps: n };
      }
      await step.sleep(`backoff-${n}`, `${outcome.waitSeconds}s`);
    }
    return { delivery_id: deliveryId, status: "gave_up", steps: MAX_ATTEMPT_STEPS };
  },
);
