/**
 * Runs the payload retention purge in the server process: shortly after start, then every
 * HOOKLINE_RETENTION_INTERVAL_SECONDS (default hourly). Several instances may run it at once;
 * the batches skip rows another instance holds.
 */
import { log as rootLog, type Logger } from "@/lib/log";
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

  const run = (): Promise<void> => {
    current ??= (async () => {
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
      } finally {
        current = undefined;
      }
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
    await current;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  return { stop, runNow: run };
}
