/**
 * The Inngest client and the events Hookline's functions listen to. Used only with
 * HOOKLINE_JOBS=inngest; the functions are served at /api/inngest.
 */
import { eventType, Inngest } from "inngest";
import { z } from "zod";

export const inngest = new Inngest({ id: "hookline" });

/** Sent after a trigger commits: fan the event out to its endpoints and start a run per delivery. */
export const eventTriggered = eventType("webhook/event.triggered", {
  schema: z.object({ event_id: z.string(), app_id: z.string() }),
});

/** One delivery is due (new, replayed, or found overdue by the reconciler). */
export const deliveryScheduled = eventType("webhook/delivery.scheduled", {
  schema: z.object({ delivery_id: z.string(), endpoint_id: z.string() }),
});

/** A replay task was queued: work it batch by batch (inngest/functions/replay-task.ts). */
export const replayRequested = eventType("webhook/replay.requested", {
  schema: z.object({ task_id: z.string(), app_id: z.string() }),
});
