/**
 * The delivery state machine, written down once. Status changes happen only in this folder's
 * verb-noun modules (enqueue-deliveries, claim-deliveries, record-attempt, record-successes,
 * cancel-deliveries, schedule-manual-attempts, fan-out-events, skip-delivery); everything else reads.
 *
 *   pending ──attempt ok──▶ success
 *      │  └──attempt failed, retries left──▶ retrying ──▶ (attempt again) …
 *      │  └──attempt failed, none left / 410 / endpoint gone──▶ failed
 *      └──endpoint disabled or deleted before an attempt, or skipped by hand (FIFO)──▶ cancelled
 *   success | failed | cancelled ──scheduleManualAttempts──▶ pending (same id = same webhook-id)
 *
 * The log (`deliveries`) is the truth the API reads. Work still to do lives apart, in the narrow
 * `delivery_queue`: a row per open delivery (pending or retrying), inserted with the delivery and
 * deleted in the statement that makes it final. A worker leases a queue row for one attempt; an
 * expired lease (a crashed worker) makes it claimable again, so a crash can only repeat an
 * in-flight attempt, with the same `webhook-id`. Queue rows of FIFO endpoints carry their place in
 * line and are claimed one at a time, in order (fifo-order.ts).
 */
export type DeliveryStatus = "pending" | "retrying" | "success" | "failed" | "cancelled";
export type AttemptTrigger = "auto" | "manual" | "replay" | "test";

/** Statuses with a queue row (an attempt still to come). */
export const OPEN_STATUSES_SQL = "('pending', 'retrying')";

/** Extra lease time beyond the endpoint timeout, for loading, signing and recording. */
export const LEASE_MARGIN_SECONDS = 15;

/** No live lease on queue row `q`. */
export const leaseIsFree = (q: string) =>
  `(${q}.lease_expires_at IS NULL OR ${q}.lease_expires_at < now())`;

/** Queue row `q` may be claimed now: due, and no live lease. */
export const isDue = (q: string) => `${q}.run_at <= now() AND ${leaseIsFree(q)}`;

/** Queue row `q` is being attempted right now. */
export const isInFlight = (q: string) =>
  `(${q}.lease_expires_at IS NOT NULL AND ${q}.lease_expires_at >= now())`;
