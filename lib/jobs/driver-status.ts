import { getConfig } from "@/lib/config";
import { processSingleton } from "@/lib/runtime/process-singleton";

/**
 * What the job driver reports to /api/health. The driver in use registers itself here when it
 * starts; until then the configured driver is reported as not started.
 */
export interface JobDriverStatus {
  driver: "embedded" | "inngest";
  status: "not_started" | "running" | "stopping" | "stopped" | "serving";
  details?: Record<string, unknown>;
}

type StatusSource = () => JobDriverStatus;
const holder = processSingleton<{ __hooklineJobStatus?: StatusSource }>("jobs/driver-status", () => ({}));

export function registerJobDriverStatus(source: StatusSource | undefined): void {
  holder.__hooklineJobStatus = source;
}

export function getJobDriverStatus(): JobDriverStatus {
  return holder.__hooklineJobStatus?.() ?? { driver: getConfig().jobs, status: "not_started" };
}
