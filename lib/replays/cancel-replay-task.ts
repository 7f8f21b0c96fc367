import type { App, ReplayTask } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { replayTaskNotFound } from "@/lib/replays/get-replay-task";

/**
 * `POST /replays/{id}/cancel`: stops a queued or running task. The task row is locked, so this
 * waits for a batch in progress to commit and lands between two batches: the task is cancelled
 * at once, its counts say how far it got, and what was already replayed stays replayed (the
 * next batch call sees the final status and stops). A finished task: 409.
 */
export async function cancelReplayTask(
  app: Pick<App, "id">,
  id: string,
  actor: string,
): Promise<ReplayTask> {
  return getDb().prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM replay_tasks WHERE id = ${id} AND app_id = ${app.id} FOR UPDATE`;
    if (!locked) throw replayTaskNotFound(id);
    const task = await tx.replayTask.findUniqueOrThrow({ where: { id } });
    if (task.status !== "queued" && task.status !== "running") {
      throw apiErrors.conflict(`Replay task ${id} is already ${task.status}`, {
        task_id: id,
        status: task.status,
      });
    }
    const now = new Date();
    const cancelled = await tx.replayTask.update({
      where: { id },
      data: {
        status: "cancelled",
        cancelRequestedAt: now,
        finishedAt: now,
        startedAt: task.startedAt ?? now,
        leasedBy: null,
        leaseExpiresAt: null,
      },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "replay.cancelled",
      targetType: "replay_task",
      targetId: id,
      details: {
        requested_by: task.requestedBy,
        status_before: task.status,
        outcome: "cancelled",
        total: task.total,
        processed: task.processed,
        replayed: task.replayed,
        failed: task.failed,
      },
    });
    return cancelled;
  });
}
