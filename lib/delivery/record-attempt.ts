/**
 * Recording an attempt made under a lease and moving the delivery on: success (batched with
 * others when the worker has a batcher), a retry on the schedule, or failed — with endpoint
 * health, automatic disabling and operational events in the same transaction for failures.
 */
import type { PoolClient } from "pg";
import { getConfig } from "@/lib/config";
import {
  attemptErrorOf,
  notRecorded,
  recorded,
  recordInOneStatement,
  writeAttemptSql,
  type AttemptRecordInput,
  type AttemptTransition,
  type OutcomeBatcher,
  type RecordOutcome,
} from "@/lib/delivery/attempt-outcome";
import { disableEndpointInTransaction } from "@/lib/delivery/cancel-deliveries";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { decideAfterAttempt, type EndpointHealth } from "@/lib/delivery/next-step";
import { withTransaction } from "@/lib/delivery/sql";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import {
  attemptResultLabel,
  recordAttemptMetrics,
  recordDeliveriesCancelled,
} from "@/lib/metrics/delivery-metrics";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";
import { recordOperationalEvent } from "@/lib/operational-events/record";

export type { AttemptRecordInput, AttemptTransition, OutcomeBatcher };

class LeaseLostError extends Error {
  constructor() {
    super("lease lost");
  }
}

/** Returns what happened; `recorded: false` if the lease was no longer ours (nothing written). */
export async function recordAttemptOutcome(
  claim: ClaimedDelivery,
  attempt: AttemptRecordInput,
  options: { batch?: OutcomeBatcher } = {},
): Promise<AttemptTransition> {
  const { result } = attempt;
  // Successes and test sends need no endpoint health first: one statement, no transaction.
  const outcome =
    result.ok && claim.trigger !== "test" && options.batch
      ? await options.batch.record(claim, attempt)
      : result.ok || claim.trigger === "test"
        ? await recordInOneStatement(claim, attempt)
        : await withTransaction((client) => recordFailure(client, claim, attempt)).catch(
            (err: unknown) => {
              if (err instanceof LeaseLostError) return notRecorded(claim);
              throw err;
            },
          );
  const { transition } = outcome;
  if (!transition.recorded) {
    log.warn("attempt outcome dropped: the lease was lost", {
      delivery_id: claim.deliveryId,
      leased_by: claim.leasedBy,
    });
    return transition;
  }
  recordAttemptMetrics({
    result: attemptResultLabel(result.ok, result.status, result.errorCode),
    durationMs: result.durationMs,
    finalStatus: transition.final ? transition.status : null,
    retryScheduled: transition.status === "retrying",
  });
  recordDeliveriesCancelled(outcome.cancelled);
  if (outcome.operationalEvents > 0) kickOperationalEventDispatch();
  return transition;
}

async function recordFailure(
  client: PoolClient,
  claim: ClaimedDelivery,
  attempt: AttemptRecordInput,
): Promise<RecordOutcome> {
  const { result } = attempt;
  const engine = getEngineConfig();
  const now = new Date();
  const attemptNumber = claim.attemptCount + 1;
  // "In a row" counts deliveries: a delivery already failing in this streak is not counted again.
  // The streak starts at its earliest attempt, not the first one recorded: outcomes are written
  // as requests end, so one attempted earlier can be recorded later, and must not count twice.
  const updated = await client.query<{
    is_active: boolean;
    deleted_at: Date | null;
    consecutive_failures: number;
    failing_since: Date | null;
  }>(
    `UPDATE endpoints SET
       consecutive_failures = consecutive_failures + CASE WHEN $3::timestamptz IS NULL OR failing_since IS NULL OR $3 < failing_since THEN 1 ELSE 0 END,
       failing_since = LEAST(failing_since, $2)
     WHERE id = $1 RETURNING is_active, deleted_at, consecutive_failures, failing_since`,
    [claim.endpointId, attempt.attemptedAt, claim.lastFailedAt],
  );
  const e = updated.rows[0];
  const health: EndpointHealth = e
    ? {
        active: e.is_active && e.deleted_at === null,
        consecutiveFailures: e.consecutive_failures,
        failingSince: e.failing_since,
        countedThisFailure:
          claim.lastFailedAt === null ||
          e.failing_since === null ||
          claim.lastFailedAt < e.failing_since,
      }
    : { active: false, consecutiveFailures: 0, failingSince: null };
  const next = decideAfterAttempt({
    ok: false,
    statusCode: result.status,
    retryAfterSeconds: result.retryAfterSeconds,
    trigger: claim.trigger,
    attemptNumber,
    maxRetries: claim.maxRetries,
    endpoint: health,
    now,
    schedule: getConfig().retrySchedule,
    disableAfterSeconds: engine.disableAfterSeconds,
    failingAlertAfter: engine.failingAlertAfter,
    maxRetryAfterSeconds: engine.maxRetryAfterSeconds,
  });
  const attemptError = attemptErrorOf(result);
  const lastError =
    next.status === "failed" && next.failureReason && !next.exhausted
      ? `${attemptError}; ${next.failureReason}`
      : attemptError;
  const attemptId = newId("atm");
  const { rows } = await client.query<{ recorded: number }>(
    writeAttemptSql(claim, attempt, {
      status: next.status,
      nextAttemptAt: next.nextAttemptAt,
      lastError,
      attemptId,
      now,
      inLogRow: false,
    }),
  );
  // Lease lost: undo the health update too (the transaction rolls back on throw).
  if (rows[0]?.recorded !== 1) throw new LeaseLostError();

  const outcome = recorded(claim, next.status, attemptId, { nextAttemptAt: next.nextAttemptAt });
  if (next.disableEndpoint) {
    const disabled = await disableEndpointInTransaction(client, {
      appId: claim.appId,
      endpointId: claim.endpointId,
      reason: next.disableEndpoint.reason,
      kind: next.disableEndpoint.kind,
    });
    outcome.transition.endpointDisabled = disabled.disabled;
    outcome.cancelled += disabled.cancelledDeliveries;
    if (disabled.disabled) outcome.operationalEvents++;
  }
  if (next.failingAlert) {
    await recordOperationalEvent(client, {
      type: "endpoint.failing",
      appId: claim.appId,
      endpointId: claim.endpointId,
      data: {
        consecutive_failures: health.consecutiveFailures,
        failing_since: health.failingSince?.toISOString() ?? null,
        last_status_code: result.status,
        last_error: attemptError,
      },
    });
    outcome.operationalEvents++;
  }
  if (next.exhausted) {
    await recordOperationalEvent(client, {
      type: "delivery.exhausted",
      appId: claim.appId,
      endpointId: claim.endpointId,
      deliveryId: claim.deliveryId,
      data: {
        event_id: claim.event.id,
        event_name: claim.event.name,
        attempts: attemptNumber,
        last_status_code: result.status,
        last_error: attemptError,
      },
    });
    outcome.operationalEvents++;
  }
  return outcome;
}
