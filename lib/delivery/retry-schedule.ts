/** Delays (seconds) before retries 1, 2, 3, 4; later retries repeat the last step. */
export const DEFAULT_RETRY_SCHEDULE: readonly number[] = [60, 300, 900, 3600];

/** Parses "60, 300, 900" into seconds. Throws naming the offending item. */
export function parseRetrySchedule(text: string): number[] {
  if (text.trim() === "") throw new Error("Retry schedule is empty");
  return text.split(",").map((item, index) => {
    const trimmed = item.trim();
    const seconds = Number(trimmed);
    if (!/^\d+$/.test(trimmed) || !Number.isSafeInteger(seconds) || seconds <= 0) {
      throw new Error(
        `Retry schedule item ${index + 1} ("${trimmed}") is not a positive whole number of seconds`,
      );
    }
    return seconds;
  });
}

export interface NextRetryDelayInput {
  schedule: readonly number[];
  /** 1-based: the retry about to be scheduled (1 = first retry after the initial attempt). */
  retryNumber: number;
  /** Fraction of the delay to randomise by, either way (0.2 = ±20%), so retries do not stampede. */
  jitter?: number;
  random?: () => number;
  /** The receiver's Retry-After, if it sent one. */
  retryAfterSeconds?: number | null;
  /** A Retry-After beyond this is clamped, so a receiver cannot park a delivery forever. */
  maxRetryAfterSeconds?: number;
}

/** Whole seconds to wait before the given retry. Always at least 1. */
export function nextRetryDelaySeconds({
  schedule,
  retryNumber,
  jitter = 0.2,
  random = Math.random,
  retryAfterSeconds = null,
  maxRetryAfterSeconds = 86_400,
}: NextRetryDelayInput): number {
  if (schedule.length === 0) throw new Error("Retry schedule is empty");
  if (!Number.isInteger(retryNumber) || retryNumber < 1) {
    throw new Error(`retryNumber must be a positive integer, got ${retryNumber}`);
  }
  if (!(jitter >= 0 && jitter < 1)) throw new Error(`jitter must be in [0, 1), got ${jitter}`);

  const base = schedule[Math.min(retryNumber, schedule.length) - 1]!;
  const jittered = Math.max(1, Math.round(base * (1 + jitter * (2 * random() - 1))));

  if (retryAfterSeconds != null && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0) {
    // Retry-After can only postpone; it never makes us retry sooner than the schedule says.
    const requested = Math.ceil(Math.min(retryAfterSeconds, maxRetryAfterSeconds));
    return Math.max(jittered, requested);
  }
  return jittered;
}

/**
 * Retries still allowed after `attemptCount` attempts (the initial attempt included) when at
 * most `maxRetries` retries follow the initial attempt.
 */
export function retriesRemaining(attemptCount: number, maxRetries: number): number {
  const retriesUsed = Math.max(0, attemptCount - 1);
  return Math.max(0, maxRetries - retriesUsed);
}
