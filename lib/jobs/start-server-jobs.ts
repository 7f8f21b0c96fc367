/**
 * Called once per server process from instrumentation.ts: chooses the job driver (the one place
 * that does) and starts the background work.
 * - embedded driver: fan-out, delivery workers and the replay-task runner, in this process;
 * - inngest driver: nothing runs here (functions are served at /api/inngest); announced work
 *   becomes Inngest events;
 * - either way: the payload retention runner and the cache invalidation listener.
 * On SIGTERM/SIGINT (or when the launcher dies) everything stops gracefully before Next exits.
 */
import { startCacheInvalidation } from "@/lib/cache/lookup-cache";
import { getConfig } from "@/lib/config";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { encryptPlaintextEndpointHeaders } from "@/lib/endpoints/stored-headers";
import { createInngestDriver } from "@/lib/jobs/inngest-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";
import { log } from "@/lib/log";
import { startRetentionRunner } from "@/lib/retention/retention-runner";
import { watchLauncher } from "@/lib/runtime/launcher-watch";
import { processSingleton } from "@/lib/runtime/process-singleton";

interface Stoppable {
  stop(): Promise<void>;
}

const holder = processSingleton<{ __hooklineBackgroundJobs?: Stoppable[] }>(
  "jobs/start-server-jobs",
  () => ({}),
);

export function startServerJobs(): void {
  if (holder.__hooklineBackgroundJobs) return; // dev server reloads
  const driver =
    getConfig().jobs === "inngest"
      ? createInngestDriver()
      : startEmbeddedDriver({ replays: { batchPauseMs: getConfig().replay.batchPauseMs } });
  setJobDriver(driver);
  const running: Stoppable[] = [driver, startRetentionRunner(), startCacheInvalidation()];
  holder.__hooklineBackgroundJobs = running;
  stopBeforeExit(() => Promise.allSettled(running.map((job) => job.stop())).then(() => undefined));
  // Rows from before header encryption are read as plaintext meanwhile, so this need not block.
  void encryptPlaintextEndpointHeaders().then(
    (count) => count && log.info("encrypted plaintext endpoint headers", { endpoints: count }),
    (err: unknown) => log.warn("could not encrypt plaintext endpoint headers yet", { err }),
  );
  // A launcher killed outright cannot stop us: notice and shut down the same graceful way.
  watchLauncher(() => process.kill(process.pid, "SIGTERM"));
}

/**
 * Next's own SIGTERM/SIGINT handler closes the server and exits at once, which would cut
 * in-flight attempts short. Run ours first: take the listeners already registered, stop the
 * jobs (in-flight work finishes or is released), then hand the signal to them. Without any
 * (e.g. NEXT_MANUAL_SIG_HANDLE set) exit ourselves.
 */
function stopBeforeExit(stop: () => Promise<void>): void {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const previous = process.listeners(signal);
    process.removeAllListeners(signal);
    process.once(signal, () => {
      log.info("stopping background jobs", { signal });
      void stop().finally(() => {
        if (previous.length === 0) process.exit(signal === "SIGTERM" ? 143 : 130);
        for (const listener of previous) (listener as NodeJS.SignalsListener)(signal);
      });
    });
  }
}
