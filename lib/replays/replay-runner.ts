/**
 * The embedded driver for replay tasks: a loop in the server process that claims one queued or
 * running task at a time with a lease (FOR UPDATE SKIP LOCKED, so several instances share the
 * work; an expired lease of a crashed instance is taken over and the task resumes from
 * `resume_after`), then works it batch by batch with `processReplayTaskBatch` until it is done,
 * cancelled, or the runner stops (the lease is then given back). It runs inside the embedded job
 * driver, which wakes it when a task is announced (in this process directly, from others by NOTIFY).
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import { getDb } from "@/lib/db/client";
import { log as rootLog, type Logger } from "@/lib/log";
import {
  failReplayTask,
  processReplayTaskBatch,
  releaseReplayLease,
  REPLAY_LEASE_SECONDS,
} from "@/lib/replays/process-replay-batch";
import { createWakeSignal } from "@/lib/jobs/wake-signal";

export interface ReplayRunnerOptions {
  /** Recorded as the task's `leased_by`; unique per process. */
  workerId?: string;
  /** Aborting it stops the runner like `stop()`. */
  signal?: AbortSignal;
  /** Fallback poll for tasks queued by other instances and expired leases. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Deliveries per batch (default HOOKLINE_REPLAY_BATCH_SIZE). */
  batchSize?: number;
  /** Pause between two batches of a task, to leave the database room for deliveries. Default 0. */
  batchPauseMs?: number;
  log?: Logger;
}

export interface ReplayRunner {
  readonly workerId: string;
  /** Finishes the batch in progress, gives the lease back and stops. */
  stop(): Promise<void>;
  /** Look for work now. */
  wake(): void;
}

const ERROR_BACKOFF_MS = 1_000;
/** A task whose batches keep throwing is marked failed after this many in a row. */
const MAX_CONSECUTIVE_ERRORS = 5;

/** Leases the oldest claimable task (queued or running, lease free or expired). */
export async function claimReplayTask(
  workerId: string,
  leaseSeconds = REPLAY_LEASE_SECONDS,
): Promise<string | null> {
  const { rows } = await getDb().pool.query<{ id: string }>(
    `UPDATE replay_tasks SET leased_by = $1, lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
     WHERE id = (
       SELECT id FROM replay_tasks
       WHERE status IN ('queued', 'running') AND (lease_expires_at IS NULL OR lease_expires_at < now())
       ORDER BY created_at
       LIMIT 1
       FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [workerId, leaseSeconds],
  );
  return rows[0]?.id ?? null;
}

export function startReplayRunner(options: ReplayRunnerOptions = {}): ReplayRunner {
  const workerId =
    options.workerId ?? `replay:${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const log = (options.log ?? rootLog).child({ component: "replay-runner", worker_id: workerId });
  let running = true;

  const signal = createWakeSignal();
  const wake = () => signal.wake();
  const sleep = (ms: number) => signal.sleep(ms);

  const workTask = async (taskId: string) => {
    let errors = 0;
    while (running) {
      try {
        const result = await processReplayTaskBatch(taskId, workerId, {
          batchSize: options.batchSize,
        });
        errors = 0;
        if (result.done || result.busy) {
          if (result.done)
            log.info("replay task finished", {
              task_id: taskId,
              status: result.status,
              processed: result.processed,
              replayed: result.replayed,
              failed: result.failed,
            });
          return;
        }
      } catch (err) {
        errors++;
        log.warn("replay batch failed", {
          task_id: taskId,
          attempt: errors,
          error: (err as Error).message,
        });
        if (errors >= MAX_CONSECUTIVE_ERRORS) {
          await failReplayTask(
            taskId,
            `gave up after ${errors} failed batches: ${(err as Error).message}`,
          ).catch(() => {});
          return;
        }
        await sleep(ERROR_BACKOFF_MS * errors);
        signal.clear();
      }
      if (options.batchPauseMs) await new Promise((r) => setTimeout(r, options.batchPauseMs));
    }
    // Stopped between batches: let another instance carry on now rather than after the lease.
    await releaseReplayLease(taskId, workerId).catch(() => {});
  };

  const loop = async () => {
    while (running) {
      signal.clear();
      let taskId: string | null = null;
      try {
        taskId = await claimReplayTask(workerId);
      } catch (err) {
        log.warn("claiming replay tasks failed", { error: (err as Error).message });
        await sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (taskId) {
        await workTask(taskId);
        continue; // maybe more tasks are waiting
      }
      await sleep(pollIntervalMs);
    }
  };

  const loopDone = loop().catch((err: unknown) =>
    log.error("replay runner crashed", { error: (err as Error).message }),
  );
  log.info("replay runner started", { poll_interval_ms: pollIntervalMs });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      running = false;
      signal.close();
      await loopDone;
      log.info("replay runner stopped");
    })();
    return stopping;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();

  return { workerId, stop, wake };
}
