/**
 * The embedded job driver: workers inside the server process, behind the JobDriver interface.
 *
 * Three loops, each sleeping on a WakeSignal until work is announced (by this process directly,
 * by others through NOTIFY on WORK_CHANNEL) or its fallback poll comes round:
 * - fan-out: turns accepted events into deliveries, many events per statement;
 * - deliveries: claims due queue rows in batches (FOR UPDATE SKIP LOCKED plus a lease, so any
 *   number of processes can share one database and each attempt is made once) into a small ready
 *   queue, from which attempts start as slots free up. The poll also finds expired leases of
 *   crashed workers. Concurrency is bounded overall and per endpoint; an endpoint's `rate_limit`
 *   (deliveries per second) is enforced per process over a rolling second;
 * - replay tasks (lib/replays/replay-runner.ts).
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import { listenToChannel } from "@/lib/db/listen-channel";
import { runClaimedAttempt } from "@/lib/delivery/attempt";
import {
  claimDueDeliveries,
  claimsOf,
  dropOrphanedQueueRows,
  releaseClaims,
} from "@/lib/delivery/claim-deliveries";
import { createEventCache, type ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import {
  fanOutQueuedEvents,
  type FanOutLease,
  type MadeDelivery,
} from "@/lib/delivery/fan-out-events";
import { createDeliveryAgents, type DeliveryAgents } from "@/lib/delivery/http-client";
import { createOutcomeBatcher } from "@/lib/delivery/record-successes";
import { createEndpointLoads } from "@/lib/jobs/endpoint-loads";
import { pickFreshLeases } from "@/lib/jobs/fresh-leases";
import { createReadyQueue } from "@/lib/jobs/ready-queue";
import {
  kindsOf,
  notifyOtherProcesses,
  WORK_CHANNEL,
  type AnnouncedWork,
  type JobDriver,
  type JobDriverStatus,
  type WorkKind,
} from "@/lib/jobs/job-driver";
import { claimLeftRows, createClaimGate } from "@/lib/jobs/claim-gate";
import { createWakeSignal } from "@/lib/jobs/wake-signal";
import { log as rootLog, type Logger } from "@/lib/log";
import { sendPendingOperationalEvents } from "@/lib/operational-events/dispatch";
import { startReplayRunner, type ReplayRunner } from "@/lib/replays/replay-runner";

export interface EmbeddedDriverOptions {
  /** Unique per process; recorded as `leased_by`. */
  workerId?: string;
  /** Attempts in flight at once. */
  concurrency?: number;
  /** Claimed deliveries waiting for a slot, at most (default: `batchSize`, at least `concurrency`). */
  prefetch?: number;
  endpointConcurrency?: number;
  pollIntervalMs?: number;
  shutdownGraceMs?: number;
  /** Rows claimed per query at most. */
  batchSize?: number;
  /** Events fanned out per statement at most. */
  fanOutBatch?: number;
  /** Endpoints of one event fanned out per statement at most (the rest in the next ones). */
  fanOutChunk?: number;
  /** Run the replay-task runner too (default true); its options. */
  replays?: false | { batchPauseMs?: number; pollIntervalMs?: number };
  log?: Logger;
}

export interface EmbeddedDriver extends JobDriver {
  readonly kind: "embedded";
  readonly workerId: string;
  /** Stops claiming, releases queued claims, waits up to the grace period for in-flight attempts, releases the rest. */
  stop(): Promise<void>;
  /** Look for due deliveries now. */
  wake(): void;
}

const SWEEP_EVERY_MS = 30_000;
const ERROR_BACKOFF_MS = 1_000;
const COALESCE_MS = 2;
const NOTIFIED_CLAIM_GAP_MS = 25;
/**
 * A fan-out statement does at most this many endpoints of one event (~70 ms); a big event's later
 * chunks go through their own lane, so other apps' new events never wait behind them.
 */
const FAN_OUT_CHUNK = 1_000;
/** The first chunk of a new event is smaller: other apps' new events share its statement. */
const FIRST_FAN_OUT_CHUNK = 250;
/**
 * Claims an app with nothing in the ready queue may take beyond the queue's capacity: its first
 * deliveries start at the next free slot instead of after the busy apps' queued claims.
 */
const NEWCOMER_CLAIM = 8;
/**
 * An endpoint may hold this many times its running slots in claims (running + queued). Only
 * `endpointConcurrency` attempts run at once; the rest is a short queue. Capping claims at the
 * running slots made a busy worker find every endpoint with due work full, and such a claim reads
 * the whole backlog past their rows to find nothing (7 ms a claim at 20,000 due, 10 endpoints).
 */
const ENDPOINT_QUEUE_FACTOR = 2;

export function startEmbeddedDriver(options: EmbeddedDriverOptions = {}): EmbeddedDriver {
  const engine = getEngineConfig();
  const workerId =
    options.workerId ?? `${os.hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  const concurrency = options.concurrency ?? engine.workerConcurrency;
  const batchSize = options.batchSize ?? 100;
  const fanOutBatch = options.fanOutBatch ?? 100;
  const fanOutChunk = options.fanOutChunk ?? FAN_OUT_CHUNK;
  // A full batch fits in the queue, so a claim (a few ms) overlaps the attempts it will feed.
  const prefetch = options.prefetch ?? Math.max(concurrency, batchSize);
  const endpointConcurrency = options.endpointConcurrency ?? engine.endpointConcurrency;
  const endpointClaimLimit = endpointConcurrency * ENDPOINT_QUEUE_FACTOR;
  const pollIntervalMs = options.pollIntervalMs ?? engine.pollIntervalMs;
  const shutdownGraceMs = options.shutdownGraceMs ?? engine.shutdownGraceMs;
  const log = (options.log ?? rootLog).child({ component: "delivery-worker", worker_id: workerId });
  const agents: DeliveryAgents = createDeliveryAgents();
  // Successes finishing together are recorded in one statement (group commit).
  const batch = createOutcomeBatcher();
  // Payloads of claimed deliveries, held once per event.
  const events = createEventCache();

  let state: JobDriverStatus["status"] = "running";
  const running = new Map<string, Promise<void>>();
  /** Attempts whose request is over and whose outcome is being written. */
  const recording = new Map<string, Promise<void>>();
  // Backpressure: while this many outcomes wait for the database, no new attempt starts.
  const maxRecording = Math.max(2 * concurrency, 64);
  const loads = createEndpointLoads({ endpointConcurrency, claimLimit: endpointClaimLimit });
  const ready = createReadyQueue(loads);
  const stats = {
    claimed: 0,
    /** Of the claims, those leased by the fan-out that made them. */
    leasedAtFanOut: 0,
    attempted: 0,
    cancelled: 0,
    released: 0,
    errors: 0,
    lastClaimAt: null as string | null,
  };
  let lastSweep = 0;
  /** Fan-out made deliveries for an app with nothing queued here: claim now, even saturated. */
  let newcomerWaiting = false;
  /** Due times of retries this process scheduled, so it wakes for them without polling. */
  let retryWakeTimes: number[] = [];

  // --- wake-ups ------------------------------------------------------------------------------
  const signal = createWakeSignal();
  // Anything but a finished attempt may bring rows a claim can find: it opens the gate.
  const gate = createClaimGate();
  const wake = () => {
    gate.open();
    signal.wake();
  };
  // Finished attempts free one slot each; coalescing their wake-ups lets one claim fill several.
  let soonTimer: NodeJS.Timeout | undefined;
  const wakeSoon = () => {
    if (!gate.isOpen) return;
    soonTimer ??= setTimeout(() => {
      soonTimer = undefined;
      signal.wake();
    }, COALESCE_MS);
  };
  // New work announced. With the queue low, look at once. With plenty queued, finishing attempts
  // will wake us soon anyway: look at most every NOTIFIED_CLAIM_GAP_MS (new work of an idle
  // endpoint waits that long at most). One claim per announcement made claims small and
  // frequent, and their fixed cost was half of the database's time under load.
  let lastClaimAt = 0;
  let notifiedTimer: NodeJS.Timeout | undefined;
  const wakeForNewWork = () => {
    gate.open();
    if (ready.length <= prefetch / 2) return wake();
    notifiedTimer ??= setTimeout(
      () => {
        notifiedTimer = undefined;
        wake();
      },
      Math.max(0, lastClaimAt + NOTIFIED_CLAIM_GAP_MS - Date.now()),
    );
  };

  // --- attempts ------------------------------------------------------------------------------
  /** Hands claims back unattempted (their endpoint load already given up). */
  const release = (claims: ClaimedDelivery[]) => {
    if (claims.length === 0) return Promise.resolve();
    gate.open();
    stats.released += claims.length;
    for (const claim of claims) events.release(claim.event.id);
    return releaseClaims(
      workerId,
      claims.map((c) => c.deliveryId),
    )
      .then(() => undefined)
      .catch((err: unknown) =>
        log.warn("could not release claims; their leases will expire", {
          error: (err as Error).message,
        }),
      );
  };

  // An attempt holds its slot (overall and its endpoint's) while its request is out; its outcome
  // is then written in the background, with the next group of successes, while the slot serves
  // another attempt. Holding slots through the write capped throughput at slots / write latency.
  const startAttempt = (claim: ClaimedDelivery) => {
    let slotHeld = true;
    const freeSlot = () => {
      if (!slotHeld) return;
      slotHeld = false;
      running.delete(claim.deliveryId);
      loads.finish(claim.endpointId);
    };
    const attempt: { done?: Promise<void> } = {};
    const onSent = () => {
      freeSlot();
      if (attempt.done) recording.set(claim.deliveryId, attempt.done);
      pump();
      if (ready.length <= prefetch / 2) wakeSoon();
    };
    const done = runClaimedAttempt(claim, { agents, batch, onSent })
      .then((run) => {
        if (run.kind === "cancelled") stats.cancelled++;
        else {
          stats.attempted++;
          const next = run.transition.nextAttemptAt;
          if (run.transition.status === "retrying" && next && retryWakeTimes.length < 10_000) {
            retryWakeTimes.push(next.getTime() + 20); // a little after, so the row is due by the database clock
          }
        }
      })
      .catch((err: unknown) => {
        // The lease stays; when it expires the delivery is claimed and attempted again.
        stats.errors++;
        log.error("attempt could not be recorded; it will be retried when the lease expires", {
          delivery_id: claim.deliveryId,
          error: (err as Error).message,
        });
      })
      .finally(() => {
        if (claim.fifo) gate.open(); // the next in its line may be claimed
        freeSlot();
        recording.delete(claim.deliveryId);
        events.release(claim.event.id);
        pump();
        if (ready.length <= prefetch / 2) wakeSoon();
      });
    attempt.done = done;
    // (onSent may already have run, without waiting for anything, e.g. no signing secret.)
    if (slotHeld) running.set(claim.deliveryId, done);
    else recording.set(claim.deliveryId, done);
  };

  /** Starts queued claims while slots are free (and their endpoint's rate allows). */
  let pumping = false;
  let pumpAgain = false;
  const pump = () => {
    // An attempt that finishes while being started calls back in here: run again after, not inside.
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        if (state !== "running" || ready.length === 0) return;
        const stale = ready.startWhatCan(
          Date.now(),
          () => running.size < concurrency && recording.size < maxRecording,
          startAttempt,
        );
        void release(stale);
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  };

  const enqueue = (claims: ClaimedDelivery[]) => {
    ready.add(claims, Date.now());
    pump();
  };

  // --- the loop ------------------------------------------------------------------------------
  const runLoop = async () => {
    while (state === "running") {
      signal.clear();
      pump();
      let moreWaiting = false;
      try {
        const newcomer = newcomerWaiting;
        newcomerWaiting = false;
        const capacity = Math.max(
          concurrency + prefetch - running.size - ready.length,
          newcomer ? NEWCOMER_CLAIM : 0,
        );
        // With every worker busy, wait until the queue is half empty: one claim of many rows
        // instead of one per finished attempt (a claim's fixed cost dominated the database's
        // time). With a worker idle, what is queued cannot start (its endpoints are at their
        // limits), so look for other work now.
        const saturated = running.size >= concurrency;
        if (capacity > 0 && (!saturated || ready.length <= prefetch / 2 || newcomer)) {
          const limit = Math.min(capacity, batchSize);
          lastClaimAt = Date.now();
          const claimOver = gate.startClaim();
          const endpointSlots = loads.slots(lastClaimAt);
          const claims = await claimDueDeliveries({
            workerId,
            limit,
            endpointSlots,
            defaultEndpointSlots: endpointClaimLimit,
            events,
          });
          if (claims.length > 0) {
            stats.claimed += claims.length;
            stats.lastClaimAt = new Date().toISOString();
            if (state === "running") enqueue(claims);
            else await release(claims); // stopping meanwhile
          }
          moreWaiting = claims.length === limit;
          claimOver(claimLeftRows(claims, limit, endpointSlots, endpointClaimLimit));
        }
        if (Date.now() - lastSweep > SWEEP_EVERY_MS) {
          lastSweep = Date.now();
          void sendPendingOperationalEvents().catch((err: unknown) =>
            log.warn("operational events sweep failed", { error: (err as Error).message }),
          );
          void dropOrphanedQueueRows().catch((err: unknown) =>
            log.warn("queue sweep failed", { error: (err as Error).message }),
          );
        }
      } catch (err) {
        stats.errors++;
        gate.open();
        log.warn("claiming due deliveries failed", { error: (err as Error).message });
        await signal.sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (moreWaiting) continue;
      if (state !== "running") break;
      // With the queue full, finishing attempts wake us when it runs low.
      const now = Date.now();
      let wait = channel.listening ? pollIntervalMs : Math.min(pollIntervalMs, 500);
      retryWakeTimes = retryWakeTimes.filter((at) => at > now);
      if (retryWakeTimes.length > 0) wait = Math.min(wait, Math.min(...retryWakeTimes) - now);
      const rateAt = loads.nextRateSlotAt();
      if (rateAt !== null) wait = Math.min(wait, Math.max(0, rateAt - now));
      await signal.sleep(wait);
      // Woken or timed out (poll, a retry coming due, a rate window): either may bring rows.
      gate.open();
    }
  };

  // --- fan-out -------------------------------------------------------------------------------
  // Two lanes (see FanOutLane): new events, and the later chunks of big ones.
  const fanOut = createWakeSignal();
  const fanOutContinuing = createWakeSignal();
  const fanOutStats = { events: 0, deliveries: 0, errors: 0 };
  const announceDeliveries = (made: readonly MadeDelivery[]) => {
    if (made.length === 0) return;
    const waiting = ready.apps();
    if (made.some((d) => !waiting.has(d.appId))) {
      newcomerWaiting = true;
      wake();
    } else wakeForNewWork();
    notifyOtherProcesses("deliveries");
  };
  const lease: FanOutLease = {
    holder: workerId,
    heldEventIds: () => events.ids(),
    pick: (made) =>
      state !== "running"
        ? []
        : pickFreshLeases(made, {
            capacity: concurrency + prefetch - running.size - ready.length,
            waitingApps: ready.apps(),
            newcomerShare: NEWCOMER_CLAIM,
            endpointSlots: loads.slots(Date.now()),
            defaultEndpointSlots: endpointClaimLimit,
          }),
  };
  const runFanOut = async (lane: "new" | "continuing") => {
    const own = lane === "new" ? fanOut : fanOutContinuing;
    const limit = lane === "new" ? fanOutBatch : 1;
    const chunk = lane === "new" ? Math.min(fanOutChunk, FIRST_FAN_OUT_CHUNK) : fanOutChunk;
    while (state === "running") {
      own.clear();
      let full = false;
      try {
        const result = await fanOutQueuedEvents({
          limit,
          endpointsPerEvent: chunk,
          lane,
          lease: lane === "new" ? lease : undefined,
        });
        fanOutStats.events += result.events;
        fanOutStats.deliveries += result.deliveries.length;
        if (result.leased.length > 0) {
          const claims = await claimsOf(result.leased, events);
          stats.claimed += claims.length;
          stats.leasedAtFanOut += claims.length;
          if (state === "running") enqueue(claims);
          else await release(claims);
        }
        const leased = new Set(result.leased.map((r) => r.id));
        announceDeliveries(result.deliveries.filter((d) => !leased.has(d.deliveryId)));
        if (result.unfinished > 0 && lane === "new") fanOutContinuing.wake();
        full = result.events === limit || (lane === "continuing" && result.unfinished > 0);
      } catch (err) {
        fanOutStats.errors++;
        log.warn("fan-out failed; the events stay queued", { error: (err as Error).message });
        await own.sleep(ERROR_BACKOFF_MS);
        continue;
      }
      if (!full)
        await own.sleep(channel.listening ? pollIntervalMs : Math.min(pollIntervalMs, 500));
    }
  };

  // --- announcements -------------------------------------------------------------------------
  const replays: ReplayRunner | null =
    options.replays === false
      ? null
      : startReplayRunner({
          batchPauseMs: options.replays?.batchPauseMs,
          pollIntervalMs: options.replays?.pollIntervalMs,
          log: options.log,
        });
  const wakeFor = (kind: WorkKind) => {
    if (kind === "events") fanOut.wake();
    else if (kind === "deliveries") wakeForNewWork();
    else replays?.wake();
  };
  // Once listening (again), look at once: anything committed while we were not was not announced.
  const channel = listenToChannel({
    channel: WORK_CHANNEL,
    onNotification: (payload) => wakeFor(payload as WorkKind),
    onListeningChange: (on) => {
      if (!on) return;
      wake();
      fanOut.wake();
      fanOutContinuing.wake();
      replays?.wake();
    },
    log,
  });
  const announce = async (work: AnnouncedWork) => {
    for (const kind of kindsOf(work)) {
      wakeFor(kind);
      notifyOtherProcesses(kind);
    }
  };

  const status = (): JobDriverStatus => ({
    driver: "embedded",
    status: state,
    details: {
      worker_id: workerId,
      listening: channel.listening,
      events_held: events.size,
      fanned_out_events: fanOutStats.events,
      fanned_out_deliveries: fanOutStats.deliveries,
      fan_out_errors: fanOutStats.errors,
      in_flight: running.size,
      recording: recording.size,
      queued: ready.length,
      concurrency,
      endpoint_concurrency: endpointConcurrency,
      claimed: stats.claimed,
      leased_at_fan_out: stats.leasedAtFanOut,
      attempted: stats.attempted,
      cancelled: stats.cancelled,
      released: stats.released,
      errors: stats.errors,
      last_claim_at: stats.lastClaimAt,
    },
  });

  const loopDone = runLoop().catch((err: unknown) =>
    log.error("delivery loop crashed", { error: (err as Error).message }),
  );
  const fanOutDone = Promise.all(
    (["new", "continuing"] as const).map((lane) =>
      runFanOut(lane).catch((err: unknown) =>
        log.error("fan-out loop crashed", { lane, error: (err as Error).message }),
      ),
    ),
  );
  log.info("delivery workers started", {
    concurrency,
    endpoint_concurrency: endpointConcurrency,
    poll_interval_ms: pollIntervalMs,
  });

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      state = "stopping";
      signal.close();
      fanOut.close();
      fanOutContinuing.close();
      clearTimeout(soonTimer);
      clearTimeout(notifiedTimer);
      await Promise.all([loopDone, fanOutDone, replays?.stop()]);
      // Queued claims were never started: hand them back at once.
      await release(ready.drain());
      const pending = [...running.values(), ...recording.values()];
      if (pending.length > 0) {
        log.info("waiting for in-flight attempts", {
          in_flight: pending.length,
          grace_ms: shutdownGraceMs,
        });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled(pending),
          new Promise((resolve) => (timer = setTimeout(resolve, shutdownGraceMs))),
        ]);
        clearTimeout(timer);
      }
      // Still running after the grace period: give them back so another worker retries them.
      const unfinished = [...running.keys()];
      if (unfinished.length > 0) {
        const released = await releaseClaims(workerId, unfinished).catch(() => 0);
        log.warn("released unfinished attempts", { released });
      }
      await channel.stop();
      // Immediate: attempts still running were released above; idle sockets would hold the process.
      await agents.destroy().catch(() => {});
      state = "stopped";
      log.info("delivery workers stopped", { attempted: stats.attempted });
    })();
    return stopping;
  };

  return { kind: "embedded", workerId, stop, status, wake, announce };
}
