/**
 * The retry policy as a pure function: given one attempt's outcome and the endpoint's health,
 * what happens next. The state machine applies the decision; nothing here touches the database.
 */
import { nextRetryDelaySeconds, retriesRemaining } from "@/lib/delivery/retry-schedule";

import type { AttemptTrigger } from "@/lib/delivery/states";
export type { AttemptTrigger };

export interface EndpointHealth {
  /** False once disabled or deleted (possibly while this attempt was in flight). */
  active: boolean;
  /** After counting this attempt. */
  /** Deliveries that failed in a row (a delivery retried within the streak counts once). */
  consecutiveFailures: number;
  /** False when this failure did not add to the streak (its delivery was already counted in it). */
  countedThisFailure?: boolean;
  failingSince: Date | null;
}

export interface NextStepInput {
  ok: boolean;
  statusCode: number | null;
  retryAfterSeconds: number | null;
  trigger: AttemptTrigger;
  /** 1-based number of the attempt just made. */
  attemptNumber: number;
  maxRetries: number;
  /** Null for successes and test attempts, which do not touch endpoint health. */
  endpoint: EndpointHealth | null;
  now: Date;
  schedule: readonly number[];
  disableAfterSeconds: number;
  failingAlertAfter: number;
  maxRetryAfterSeconds: number;
  random?: () => number;
}

export interface NextStep {
  status: "success" | "retrying" | "failed";
  nextAttemptAt: Date | null;
  /** Why the delivery ended `failed` when it was not simply out of retries. */
  failureReason: string | null;
  disableEndpoint: { kind: "gone" | "failing"; reason: string } | null;
  /** Raise `delivery.exhausted`: scheduled retries ran out. */
  exhausted: boolean;
  /** Raise `endpoint.failing`: this attempt made the failure streak reach the threshold. */
  failingAlert: boolean;
}

// Retry-After is a request to back off; only these statuses carry that meaning for webhooks.
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export function decideAfterAttempt(input: NextStepInput): NextStep {
  const base: NextStep = {
    status: "failed",
    nextAttemptAt: null,
    failureReason: null,
    disableEndpoint: null,
    exhausted: false,
    failingAlert: false,
  };
  if (input.ok) return { ...base, status: "success" };
  if (input.trigger === "test")
    return { ...base, failureReason: "test deliveries are not retried" };

  const endpoint = input.endpoint;
  const failingAlert =
    endpoint !== null &&
    endpoint.countedThisFailure !== false &&
    endpoint.consecutiveFailures === input.failingAlertAfter;

  if (input.statusCode === 410) {
    return {
      ...base,
      failingAlert,
      failureReason: "the receiver answered 410 Gone",
      disableEndpoint: {
        kind: "gone",
        reason: "The receiver answered 410 Gone: it asked for no more deliveries",
      },
    };
  }
  if (endpoint && !endpoint.active) {
    return { ...base, failingAlert, failureReason: "the endpoint was disabled or deleted" };
  }
  if (
    endpoint?.failingSince &&
    input.now.getTime() - endpoint.failingSince.getTime() >= input.disableAfterSeconds * 1000
  ) {
    const reason = `Failing continuously since ${endpoint.failingSince.toISOString()} (${endpoint.consecutiveFailures} deliveries failed in a row)`;
    return {
      ...base,
      failingAlert,
      failureReason: "the endpoint was disabled for failing too long",
      disableEndpoint: { kind: "failing", reason },
    };
  }
  if (retriesRemaining(input.attemptNumber, input.maxRetries) > 0) {
    const delay = nextRetryDelaySeconds({
      schedule: input.schedule,
      retryNumber: input.attemptNumber,
      retryAfterSeconds:
        input.statusCode !== null && RETRY_AFTER_STATUSES.has(input.statusCode)
          ? input.retryAfterSeconds
          : null,
      maxRetryAfterSeconds: input.maxRetryAfterSeconds,
      random: input.random,
    });
    return {
      ...base,
      status: "retrying",
      failingAlert,
      nextAttemptAt: new Date(input.now.getTime() + delay * 1000),
    };
  }
  // A manual or replayed attempt past the budget just fails again; only the schedule "exhausts".
  return { ...base, failingAlert, exhausted: input.trigger === "auto" };
}
