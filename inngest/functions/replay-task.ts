/**
 * Bulk replay with the Inngest driver (HOOKLINE_JOBS=inngest). The same batch function as the
 * embedded runner (lib/replays/process-replay-batch.ts), one `step.run("batch-N")` per batch, so
 * each batch is memoised and a retried or resumed run carries on where it stopped. Cancelling
 * is done in the database (the cancel route marks the task cancelled under the row lock); the
 * next batch sees it and the loop ends, with the counts saying how far it got.
 */
import { cron } from "inngest";
import { inngest, replayRequested } from "@/inngest/client";
import { getDb } from "@/lib/db/client";
import { failReplayTask, processReplayTaskBatch } from "@/lib/replays/process-replay-batch";
import { getReplayConfig } from "@/lib/replays/replay-config";

/** Enough steps for HOOKLINE_REPLAY_MAX_DELIVERIES at the batch size, with room; Inngest caps steps per run. */
function maxBatches(): number {
  const config = getReplayConfig();
  return Math.ceil(config.maxDeliveries / config.batchSize) + 10;
}

/** The lease holder for a task's Inngest run: stable across retries of the same run. */
export const inngestReplayHolder = (taskId: string) => `inngest:replay:${taskId}`;

export const replayTask = inngest.createFunction(
  {
    id: "replay-task",
    name: "Replay task",
    triggers: [replayRequested],
    // One run per task at a time, whatever the number of events that name it (the lease guards the rest).
    concurrency: { key: "event.data.task_id", limit: 1 },
    retries: 5,
    onFailure: async ({ event, error }) => {
      const taskId = (event.data as { event?: { data?: { task_id?: string } } }).event?.data
        ?.task_id;
      if (taskId) await failReplayTask(taskId, error.message);
    },
  },
  async ({ event, step }) => {
    const taskId = event.data.task_id;
    const limit = maxBatches();
    for (let n = 1; n <= limit; n++) {
      const result = await step.run(`batch-${n}`, () =>
        processReplayTaskBatch(taskId, inngestReplayHolder(taskId)),
      );
      if (result.done)
        return {
          task_id: taskId,
          status: result.status,
          batches: n,
          processed: result.processed,
          replayed: result.replayed,
          failed: result.failed,
        };
      if (result.busy) {
        // Another worker (an embedded runner, or a previous run whose lease has not expired) holds it.
        await step.sleep(`wait-for-lease-${n}`, "30s");
      }
    }
    await step.run("give-up", () =>
      failReplayTask(taskId, `stopped after ${limit} batches without finishing`),
    );
    return { task_id: taskId, status: "failed", batches: limit };
  },
);

/**
 * Safety net: a task whose `webhook/replay.requested` event was never sent (Inngest unreachable
 * when it was created), or whose run died with its lease expired, is started again.
 */
export const replayTaskReconcile = inngest.createFunction(
  { id: "replay-task-reconcile", name: "Replay task reconcile", triggers: [cron("*/5 * * * *")] },
  async ({ step }) => {
    const stuck = await step.run("find-stuck-tasks", async () => {
      const { rows } = await getDb().pool.query<{ id: string; app_id: string }>(
        `SELECT id, app_id FROM replay_tasks
         WHERE status IN ('queued', 'running') AND (lease_expires_at IS NULL OR lease_expires_at < now())
           AND updated_at < now() - interval '2 minutes'
         ORDER BY created_at LIMIT 100`,
      );
      return rows;
    });
    if (stuck.length > 0) {
      await step.sendEvent(
        "restart-stuck-tasks",
        stuck.map((t) => replayRequested.create({ task_id: t.id, app_id: t.app_id })),
      );
    }
    return { restarted: stuck.length };
  },
);

export const replayFunctions = [replayTask, replayTaskReconcile];
