import type { PoolClient } from "pg";
import { getDb } from "@/lib/db/client";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

/** LISTEN/NOTIFY channel that wakes embedded workers when deliveries become due. */
export const DELIVERIES_DUE_CHANNEL = "hookline_deliveries_due";

/**
 * Queues a wake-up for embedded workers. Inside a transaction Postgres sends it on commit (and
 * drops it on rollback), so workers never look for rows they cannot see yet. Harmless when no
 * one listens (the Inngest driver). For the rarer paths (replays, manual attempts); triggers use
 * announceDeliveriesDue.
 */
export async function notifyDeliveriesDue(client: PoolClient): Promise<void> {
  await client.query("SELECT pg_notify($1, '')", [DELIVERIES_DUE_CHANNEL]);
}

/**
 * A NOTIFY holds a database-wide lock from its commit until the commit is flushed, so one per
 * trigger made concurrent triggers queue behind each other's WAL flushes (the largest wait in
 * the throughput benchmark). Workers in other processes hear at most one per this interval.
 */
const NOTIFY_INTERVAL_MS = 50;

interface WakeupState {
  localWorkers: Set<() => void>;
  lastNotifyAt: number;
  timer?: NodeJS.Timeout;
}
// One per process: the trigger routes and the driver (instrumentation) are bundled apart.
const holder = processSingleton<{ __hooklineWakeup?: WakeupState }>("jobs/wakeup", () => ({}));
const state: WakeupState = (holder.__hooklineWakeup ??= { localWorkers: new Set(), lastNotifyAt: 0 });

/** The embedded driver of this process registers its wake-up; returns the unregistration. */
export function onDeliveriesDueHere(wake: () => void): () => void {
  state.localWorkers.add(wake);
  return () => state.localWorkers.delete(wake);
}

/**
 * After committed work became due (a trigger, a replay, a manual attempt): wakes this process's workers at once and the
 * others by a NOTIFY sent within NOTIFY_INTERVAL_MS (several triggers share one).
 */
export function announceDeliveriesDue(): void {
  for (const wake of state.localWorkers) wake();
  if (state.timer) return;
  state.timer = setTimeout(
    () => {
      state.timer = undefined;
      state.lastNotifyAt = Date.now();
      getDb()
        .pool.query("SELECT pg_notify($1, '')", [DELIVERIES_DUE_CHANNEL])
        .catch((err: unknown) => log.warn("could not notify workers; they will find the work by polling", { error: (err as Error).message }));
    },
    Math.max(0, state.lastNotifyAt + NOTIFY_INTERVAL_MS - Date.now()),
  );
}
