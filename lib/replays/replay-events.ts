/**
 * How a new replay task reaches its job driver. Embedded: the in-process runners are woken (and
 * every runner polls, so other instances find it too). Inngest: a `webhook/replay.requested`
 * event starts inngest/functions/replay-task.ts; if sending fails the task stays queued and the
 * reconcile cron there starts it later.
 */
import { eventType } from "inngest";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { getConfig } from "@/lib/config";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const replayRequested = eventType("webhook/replay.requested", {
  schema: z.object({ task_id: z.string(), app_id: z.string() }),
});

type Waker = () => void;
const wakers = processSingleton("replays/replay-events", () => new Set<Waker>());

/** Runners in this process register here to hear about new tasks at once. */
export function onReplayTaskQueued(waker: Waker): () => void {
  wakers.add(waker);
  return () => wakers.delete(waker);
}

/** After a task was committed. Never throws: the task is safe in the database either way. */
export async function announceReplayTask(task: { id: string; appId: string }): Promise<void> {
  for (const wake of wakers) wake();
  if (getConfig().jobs !== "inngest") return;
  try {
    await inngest.send(replayRequested.create({ task_id: task.id, app_id: task.appId }, { id: `replay-${task.id}` }));
  } catch (err) {
    log.warn("could not send webhook/replay.requested; the reconciler will start the task", { task_id: task.id, error: (err as Error).message });
  }
}
