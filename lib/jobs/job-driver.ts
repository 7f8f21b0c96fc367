/**
 * The job driver interface: how committed work reaches whatever runs it. Two implementations,
 * chosen once per process at start-up (lib/jobs/start-server-jobs.ts): the embedded workers
 * (lib/jobs/embedded-driver.ts) and Inngest (lib/jobs/inngest-driver.ts). Domain code only
 * calls `announceWork` after its rows are committed; it never imports a driver or the Inngest
 * client.
 *
 * With no driver registered in this process (the CLI, a test without workers) announcements
 * still reach embedded workers in other processes by NOTIFY.
 */
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

export interface AnnouncedWork {
  /** Events accepted (their fan-out is queued). */
  events?: readonly { eventId: string; appId: string }[];
  /** Deliveries made due outside a fan-out (replays, manual attempts). */
  deliveries?: readonly string[];
  /** A replay task was queued. */
  replayTask?: { id: string; appId: string };
}

export interface JobDriverStatus {
  driver: "embedded" | "inngest";
  status: "not_started" | "running" | "stopping" | "stopped" | "serving";
  details?: Record<string, unknown>;
}

export interface JobDriver {
  readonly kind: "embedded" | "inngest";
  /** Hands committed work to the driver. Never throws: the work is safe in the database and a sweep finds it. */
  announce(work: AnnouncedWork): Promise<void>;
  status(): JobDriverStatus;
  /** Stops what the driver runs in this process (in-flight work finishes or is given back). */
  stop(): Promise<void>;
}

/** The channel embedded workers LISTEN on; the payload names the kind of work. */
export const WORK_CHANNEL = "hookline_work";
export type WorkKind = "events" | "deliveries" | "replays";

interface Registry {
  driver?: JobDriver;
  notify: Map<WorkKind, { timer?: NodeJS.Timeout; lastAt: number }>;
}
// One per process, shared by Next's separately bundled entries (instrumentation and routes).
const registry = processSingleton<Registry>("jobs/job-driver", () => ({ notify: new Map() }));

/** Installs the process's driver (start-up) or removes it (`undefined`, at stop). */
export function setJobDriver(driver: JobDriver | undefined): void {
  registry.driver = driver;
}

export function getJobDriver(): JobDriver | undefined {
  return registry.driver;
}

/** After committing work: tells this process's driver, or other processes' workers. */
export async function announceWork(work: AnnouncedWork): Promise<void> {
  const driver = registry.driver;
  if (driver) return driver.announce(work);
  for (const kind of kindsOf(work)) notifyOtherProcesses(kind);
}

export function getJobDriverStatus(): JobDriverStatus {
  return registry.driver?.status() ?? { driver: getConfig().jobs, status: "not_started" };
}

export function kindsOf(work: AnnouncedWork): WorkKind[] {
  const kinds: WorkKind[] = [];
  if (work.events?.length) kinds.push("events");
  if (work.deliveries?.length) kinds.push("deliveries");
  if (work.replayTask) kinds.push("replays");
  return kinds;
}

/**
 * A NOTIFY holds a database-wide lock from its commit until the commit is flushed, so one per
 * trigger made concurrent triggers queue behind each other's WAL flushes. Other processes hear
 * at most one per kind per this interval (several announcements share one).
 */
const NOTIFY_INTERVAL_MS = 50;

export function notifyOtherProcesses(kind: WorkKind): void {
  let state = registry.notify.get(kind);
  if (!state) registry.notify.set(kind, (state = { lastAt: 0 }));
  if (state.timer) return;
  const s = state;
  s.timer = setTimeout(
    () => {
      s.timer = undefined;
      s.lastAt = Date.now();
      getDb()
        .pool.query("SELECT pg_notify($1, $2)", [WORK_CHANNEL, kind])
        .catch((err: unknown) =>
          log.warn("could not notify other workers; they will find the work by polling", {
            error: (err as Error).message,
          }),
        );
    },
    Math.max(0, s.lastAt + NOTIFY_INTERVAL_MS - Date.now()),
  );
  s.timer.unref?.();
}
