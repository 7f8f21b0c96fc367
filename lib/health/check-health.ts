import { getDb } from "@/lib/db/client";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { log } from "@/lib/log";
import { getJobDriverStatus, type JobDriverStatus } from "@/lib/jobs/job-driver";

export interface HealthReport {
  status: "ok" | "degraded";
  version: string;
  database: { status: "up" | "down"; embedded: boolean; latency_ms?: number; error?: string };
  jobs: JobDriverStatus;
}

const CHECK_TIMEOUT_MS = 2_000;

export async function checkHealth(): Promise<HealthReport> {
  const started = performance.now();
  let database: HealthReport["database"];
  const embedded = process.env.HOOKLINE_EMBEDDED_DB === "1";
  try {
    await Promise.race([
      getDb().pool.query("SELECT 1"),
      new Promise((_, reject) =>
        setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    database = { status: "up", embedded, latency_ms: Math.round(performance.now() - started) };
  } catch (err) {
    // The report is public: say what kind of failure it is, keep hosts and paths in the log.
    log.warn("health check: database down", { error: (err as Error).message });
    const error = isDatabaseUnavailable(err)
      ? "database unreachable"
      : (err as Error).message.startsWith("no answer")
        ? (err as Error).message
        : "database query failed";
    database = { status: "down", embedded, error };
  }
  return {
    status: database.status === "up" ? "ok" : "degraded",
    version: process.env.npm_package_version ?? "0.1.0",
    database,
    jobs: publicJobStatus(getJobDriverStatus()),
  };
}

/** Details that identify the machine (host names, process ids) stay out of the public report. */
const PRIVATE_DETAIL = /(^|_)(worker_id|host|hostname|pid)$/;

function publicJobStatus(status: JobDriverStatus): JobDriverStatus {
  if (!status.details) return status;
  return {
    ...status,
    details: Object.fromEntries(
      Object.entries(status.details).filter(([key]) => !PRIVATE_DETAIL.test(key)),
    ),
  };
}
