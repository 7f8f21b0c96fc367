/**
 * Runs retention in the server process: shortly after start, then every
 * HOOKLINE_RETENTION_INTERVAL_SECONDS (default hourly). Each run creates the delivery log's week
 * partitions ahead, purges expired payloads, retires the log's weeks past
 * HOOKLINE_LOG_RETENTION_DAYS (lib/delivery-log/partitions.ts) and then the events they leave
 * behind (lib/retention/delete-expired-events.ts). The partitions ahead are also made right at
 * start. Several instances may run it at once: payload batches skip rows another instance holds,
 * and partition changes take one advisory lock.
 */
import { log as rootLog, type Logger } from "@/lib/log";
import { dropExpiredLogPartitions, ensureLogPartitions } from "@/lib/delivery-log/partitions";
import { deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { purgeExpiredPayloads } from "@/lib/retention/purge-expired-payloads";
import { getRetentionConfig } from "@/lib/retention/retention-config";

export interface RetentionRunnerOptions {
  intervalMs?: number;
  /** Delay before the first run (default 60 s, so start-up is not slowed). */
  initialDelayMs?: number;
  batchSize?: number;
  signal?: AbortSignal;
  log?: Logger;
}

export interface RetentionRunner {
  /** Waits for a run in progress to stop at its next batch boundary. */
  stop(): Promise<void>;
  /** Runs a purge now (if none is running) and resolves when it is done. */
  runNow(): Promise<void>;
}

export function startRetentionRunner(options: RetentionRunnerOptions = {}): RetentionRunner {
  const intervalMs = options.intervalMs ?? getRetentionConfig().retentionIntervalMs;
  const log = (options.log ?? rootLog).child({ component: "retention" });
  const abort = new AbortController();
  let current: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const ensurePartitions = async () => {
    try {
      const made = await ensureLogPartitions();
      if (made.created.length > 0)
        log.info("delivery log partitions created", {
          partitions: made.created,
          moved_rows: made.moved,
        });
    } catch (err) {
      log.warn("creating the delivery log's partitions failed; the next run tries again", {
        error: (err as Error).message,
      });
    }
  };
  const dropExpiredDays = async () => {
    try {
      const started = Date.now();
      const result = await dropExpiredLogPartitions({
        retentionDays: getRetentionConfig().logRetentionDays,
        signal: abort.signal,
      });
      if (result.dropped.length > 0 || result.held.length > 0 || result.deletedFromDefault > 0)
        log.info("delivery log partitions past retention removed", {
          dropped: result.dropped,
          held_for_queued_deliveries: result.held,
          rows_deleted: result.deletedFromDefault,
          duration_ms: Date.now() - started,
        });
    } catch (err) {
      log.warn("removing the delivery log's expired partitions failed; the next run tries again", {
        error: (err as Error).message,
      });
    }
  };
  const deleteEvents = async () => {
    try {
      const started = Date.now();
      const result = await deleteExpiredEvents({
        retentionDays: getRetentionConfig().logRetentionDays,
        batchSize: options.batchSize,
        signal: abort.signal,
      });
      if (result.deleted > 0)
        log.info("events past retention deleted", {
          events: result.deleted,
          kept_for_the_log: result.kept,
          duration_ms: Date.now() - started,
        });
    } catch (err) {
      log.warn("deleting expired events failed; the next run tries again", {
        error: (err as Error).message,
      });
    }
  };

  // The partitions ahead exist before the first delivery of a new week; each run tops them up.
  const starting = ensurePartitions();
  const run = (): Promise<void> => {
    current ??= (async () => {
      await starting;
      await ensurePartitions();
      try {
        const started = Date.now();
        const result = await purgeExpiredPayloads({
          batchSize: options.batchSize,
          signal: abort.signal,
        });
        if (result.eventsExpired > 0 || result.attemptBodiesRemoved > 0) {
          log.info("expired payloads removed", {
            cutoff: result.cutoff.toISOString(),
            events: result.eventsExpired,
            attempt_bodies: result.attemptBodiesRemoved,
            duration_ms: Date.now() - started,
          });
        }
      } catch (err) {
        log.warn("payload retention run failed; it will run again", {
          error: (err as Error).message,
        });
      }
      await dropExpiredDays();
      await deleteEvents();
      current = undefined;
    })();
    return current;
  };
  const schedule = (ms: number) => {
    if (abort.signal.aborted) return;
    timer = setTimeout(() => void run().finally(() => schedule(intervalMs)), ms);
    timer.unref();
  };
  schedule(options.initialDelayMs ?? 60_000);

  const stop = async () => {
    abort.abort();
    clearTimeout(timer);
    await starting;
    await current;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  return { stop, runNow: run };
}
