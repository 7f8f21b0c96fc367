/**
 * One batch of a replay task, shared by both job drivers (the embedded runner's loop and the
 * Inngest function's `step.run("batch-N")`).
 *
 * Each batch is one transaction: lock the task row, take (or renew) its lease, read the next
 * deliveries after `resume_after`, reschedule them through the state machine
 * (`scheduleManualAttempts`, trigger `replay`), and advance the counts and `resume_after`. So a
 * crash between batches loses nothing and repeats nothing; a cancel (which locks the same row)
 * lands between two batches, and the counts say how far the task got.
 */
import type { PoolClient } from "pg";
import { withTransaction } from "@/lib/delivery/sql";
import { scheduleManualAttempts } from "@/lib/delivery/schedule-manual-attempts";
import { announceWork } from "@/lib/jobs/job-driver";
import { log } from "@/lib/log";
import { recordSkipped } from "@/lib/replays/skipped";
import { recordAuditSql } from "@/lib/replays/audit-sql";
import { getReplayConfig } from "@/lib/replays/replay-config";
import { encodeResumeAfter, nextReplayBatch } from "@/lib/replays/replay-filter";
import type { ReplayTaskStatus, StoredReplayFilter } from "@/lib/replays/schemas";

/** How long a batch's lease lasts; every batch renews it. An expired lease can be taken over. */
export const REPLAY_LEASE_SECONDS = 60;

export interface ReplayBatchResult {
  taskId: string;
  /** The task is final (completed, cancelled, failed) or gone: stop calling. */
  done: boolean;
  /** Another worker holds a live lease on the task: this call did nothing. */
  busy: boolean;
  status: ReplayTaskStatus | "not_found";
  /** Deliveries handled by this call. */
  batch: number;
  total: number;
  processed: number;
  replayed: number;
  failed: number;
}

interface TaskRow {
  id: string;
  app_id: string;
  status: ReplayTaskStatus;
  filter: StoredReplayFilter;
  total: number;
  processed: number;
  replayed: number;
  failed: number;
  resume_after: string | null;
  requested_by: string;
  cancel_requested_at: Date | null;
  leased_by: string | null;
  lease_expires_at: Date | null;
  created_at: Date;
}

const FINAL: readonly ReplayTaskStatus[] = ["completed", "cancelled", "failed"];

function resultOf(task: TaskRow, patch: Partial<ReplayBatchResult>): ReplayBatchResult {
  return {
    taskId: task.id,
    done: FINAL.includes(task.status),
    busy: false,
    status: task.status,
    batch: 0,
    total: task.total,
    processed: task.processed,
    replayed: task.replayed,
    failed: task.failed,
    ...patch,
  };
}

async function finish(
  client: PoolClient,
  task: TaskRow,
  status: "completed" | "cancelled" | "failed",
  error: string | null,
): Promise<void> {
  await client.query(
    `UPDATE replay_tasks SET status = $2, error = $3, finished_at = now(), started_at = COALESCE(started_at, now()),
       leased_by = NULL, lease_expires_at = NULL, updated_at = now()
     WHERE id = $1`,
    [task.id, status, error],
  );
  await recordAuditSql(client, {
    appId: task.app_id,
    actor: "system",
    action: "replay.finished",
    targetType: "replay_task",
    targetId: task.id,
    details: {
      requested_by: task.requested_by,
      outcome: status,
      total: task.total,
      processed: task.processed,
      replayed: task.replayed,
      failed: task.failed,
      ...(error ? { error } : {}),
    },
  });
}

export interface ProcessReplayBatchOptions {
  batchSize?: number;
  leaseSeconds?: number;
}

/**
 * Works one batch of the task as `workerId`. Safe to call for any task id at any time: final
 * tasks answer `done`, tasks leased by a live other worker answer `busy`.
 */
export async function processReplayTaskBatch(
  taskId: string,
  workerId: string,
  options: ProcessReplayBatchOptions = {},
): Promise<ReplayBatchResult> {
  const batchSize = options.batchSize ?? getReplayConfig().batchSize;
  const leaseSeconds = options.leaseSeconds ?? REPLAY_LEASE_SECONDS;
  let scheduled: string[] = [];
  const result = await withTransaction(async (client): Promise<ReplayBatchResult> => {
    const { rows } = await client.query<TaskRow & { lease_live: boolean }>(
      `SELECT *, (lease_expires_at IS NOT NULL AND lease_expires_at > now()) AS lease_live FROM replay_tasks WHERE id = $1 FOR UPDATE`,
      [taskId],
    );
    const task = rows[0];
    if (!task) {
      return {
        taskId,
        done: true,
        busy: false,
        status: "not_found",
        batch: 0,
        total: 0,
        processed: 0,
        replayed: 0,
        failed: 0,
      };
    }
    if (FINAL.includes(task.status)) return resultOf(task, {});
    if (task.lease_live && task.leased_by !== workerId) return resultOf(task, { busy: true });
    if (task.cancel_requested_at) {
      await finish(client, task, "cancelled", null);
      return resultOf(task, { status: "cancelled", done: true });
    }

    const batch = await nextReplayBatch(client, {
      appId: task.app_id,
      filter: task.filter,
      upperBound: task.created_at,
      resumeAfter: task.resume_after,
      limit: batchSize,
    });
    const replayable = batch.filter((d) => !d.payload_expired).map((d) => d.id);
    const outcome = await scheduleManualAttempts(replayable, "replay", client);
    scheduled = outcome.scheduled;
    await recordSkipped(client, task, [
      ...batch
        .filter((d) => d.payload_expired)
        .map((d) => ({ id: d.id, reason: "payload_expired" as const })),
      ...outcome.skipped,
    ]);
    const last = batch[batch.length - 1];
    const counts = {
      processed: task.processed + batch.length,
      replayed: task.replayed + outcome.scheduled.length,
      failed: task.failed + outcome.skipped.length + (batch.length - replayable.length),
    };
    const complete = batch.length < batchSize;
    await client.query(
      `UPDATE replay_tasks SET status = 'running', processed = $2, replayed = $3, failed = $4, resume_after = $5,
         started_at = COALESCE(started_at, now()), leased_by = $6, lease_expires_at = now() + make_interval(secs => $7), updated_at = now()
       WHERE id = $1`,
      [
        task.id,
        counts.processed,
        counts.replayed,
        counts.failed,
        last ? encodeResumeAfter(task.filter, last) : task.resume_after,
        workerId,
        leaseSeconds,
      ],
    );
    const updated: TaskRow = { ...task, ...counts, status: "running" };
    if (complete) {
      await finish(client, updated, "completed", null);
      return resultOf(updated, { status: "completed", done: true, batch: batch.length });
    }
    return resultOf(updated, { batch: batch.length });
  });
  if (scheduled.length > 0) {
    await announceWork({ deliveries: scheduled }).catch((err: unknown) =>
      log.warn("could not announce replayed deliveries; the reconciler will pick them up", {
        task_id: taskId,
        error: (err as Error).message,
      }),
    );
  }
  return result;
}

/**
 * Marks a task failed after an error its driver could not get past (the Inngest function's
 * `onFailure`, or repeated errors in the runner). A no-op for final tasks.
 */
export async function failReplayTask(taskId: string, error: string): Promise<void> {
  await withTransaction(async (client) => {
    const { rows } = await client.query<TaskRow>(
      "SELECT * FROM replay_tasks WHERE id = $1 FOR UPDATE",
      [taskId],
    );
    const task = rows[0];
    if (!task || FINAL.includes(task.status)) return;
    await finish(client, task, "failed", error.slice(0, 1000));
  });
}

/** Gives a task's lease back (a runner stopping between batches), so another worker resumes it at once. */
export async function releaseReplayLease(taskId: string, workerId: string): Promise<void> {
  await withTransaction(async (client) => {
    await client.query(
      "UPDATE replay_tasks SET leased_by = NULL, lease_expires_at = NULL, updated_at = now() WHERE id = $1 AND leased_by = $2",
      [taskId, workerId],
    );
  });
}
