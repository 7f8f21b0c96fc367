/**
 * The domain work behind the Inngest functions (inngest/functions/*): each export is one step's
 * body, built on the same state machine and attempt path as the embedded workers. Results are
 * plain JSON, as Inngest memoizes them.
 */
import { getDb } from "@/lib/db/client";
import { runClaimedAttempt } from "@/lib/delivery/attempt";
import { claimDelivery } from "@/lib/delivery/claim-deliveries";
import { fanOutQueuedEvents } from "@/lib/delivery/fan-out-events";
import { findClaimableFifoHead, notHeldBackSql } from "@/lib/delivery/fifo-order";
import { isDue } from "@/lib/delivery/states";

export type DeliveryStepOutcome =
  /** Nothing more for this run to do: final, or in someone else's hands. `nextInLine`: a FIFO
   * endpoint's next delivery, now at the head of its line, to start a run for. */
  | { done: true; status: string; reason?: string; nextInLine?: DeliveryRef }
  /** Sleep this long, then run the next attempt step. */
  | { done: false; status: string; waitSeconds: number };

const MIN_WAIT_SECONDS = 1;
/** A FIFO delivery behind another looks again this often (the head's end also starts the next run). */
export const BLOCKED_WAIT_SECONDS = 5;

function secondsUntil(at: Date | null): number {
  if (!at) return MIN_WAIT_SECONDS;
  return Math.max(MIN_WAIT_SECONDS, Math.ceil((at.getTime() - Date.now()) / 1000));
}

/**
 * One attempt step: lease the delivery for this run, attempt it, record it. A delivery that is
 * not due yet (e.g. a reconciler event arrived early) says how long to wait; one leased by
 * another run or worker, or already final, ends this run.
 */
export async function attemptDeliveryStep(
  deliveryId: string,
  runId: string,
): Promise<DeliveryStepOutcome> {
  const holder = `inngest:${runId}`;
  const claim = await claimDelivery(deliveryId, holder, { onlyIfDue: true });
  if (!claim.claimed) {
    switch (claim.reason) {
      case "not_due":
        return { done: false, status: "waiting", waitSeconds: secondsUntil(claim.nextAttemptAt) };
      case "final":
        return { done: true, status: claim.status, reason: "already final" };
      case "leased":
        return {
          done: true,
          status: "leased",
          reason: `in the hands of ${claim.leasedBy ?? "another worker"}`,
        };
      case "not_found":
        return { done: true, status: "not_found" };
      case "blocked":
        return { done: false, status: "blocked", waitSeconds: BLOCKED_WAIT_SECONDS };
    }
  }
  const run = await runClaimedAttempt(claim);
  if (run.kind === "cancelled")
    return {
      done: true,
      status: "cancelled",
      reason: run.reason,
      ...(await nextInLine(claim.endpointId)),
    };
  const { transition } = run;
  if (!transition.recorded) return { done: true, status: "lease_lost" };
  if (transition.final)
    return { done: true, status: transition.status, ...(await nextInLine(claim.endpointId)) };
  return {
    done: false,
    status: transition.status,
    waitSeconds: secondsUntil(transition.nextAttemptAt),
  };
}

export interface DeliveryRef {
  deliveryId: string;
  endpointId: string;
}

/** A FIFO endpoint's new head, once the delivery before it became final. */
async function nextInLine(endpointId: string): Promise<{ nextInLine?: DeliveryRef }> {
  const next = await findClaimableFifoHead(endpointId);
  return next ? { nextInLine: { deliveryId: next, endpointId } } : {};
}

/**
 * Fans one accepted event out (the fan-out step). A repeated step (the event was already fanned
 * out, by an earlier try or the reconciler) lists the event's deliveries still waiting instead,
 * so every one of them gets its run.
 */
export async function fanOutEventStep(eventId: string): Promise<DeliveryRef[]> {
  const result = await fanOutQueuedEvents({ limit: 1, eventIds: [eventId] });
  if (result.events > 0) return result.deliveries;
  const { rows } = await getDb().pool.query<{ id: string; endpoint_id: string }>(
    "SELECT id, endpoint_id FROM deliveries WHERE event_id = $1 AND status IN ('pending', 'retrying') ORDER BY id",
    [eventId],
  );
  return rows.map((r) => ({ deliveryId: r.id, endpointId: r.endpoint_id }));
}

/**
 * Deliveries due for longer than `graceSeconds` and not leased: their run never started (the
 * trigger's send failed, or the run was lost). FIFO deliveries behind others are left to wait. `attempt` makes the reconciler's event ids unique
 * per attempt, so Inngest de-duplicates repeated sweeps.
 */
export async function findOverdueDeliveries(
  graceSeconds: number,
  limit: number,
): Promise<(DeliveryRef & { attempt: number })[]> {
  const { rows } = await getDb().pool.query<{
    id: string;
    endpoint_id: string;
    attempt_count: number;
  }>(
    `SELECT d.id, d.endpoint_id, d.attempt_count FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id
     WHERE ${isDue("q")} AND q.run_at < now() - make_interval(secs => $1) AND ${notHeldBackSql("q")}
     ORDER BY q.run_at LIMIT $2`,
    [graceSeconds, limit],
  );
  return rows.map((r) => ({
    deliveryId: r.id,
    endpointId: r.endpoint_id,
    attempt: r.attempt_count,
  }));
}
