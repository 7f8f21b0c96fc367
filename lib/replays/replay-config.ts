import { z } from "zod";
import { ConfigError } from "@/lib/config";

/**
 * Replay limits. Same conventions as lib/config.ts (to be folded into it; keep the variable
 * names): read once, a bad value throws a ConfigError naming the variable.
 */
export interface ReplayConfig {
  /** A bulk replay's date range may span at most this many days. Default 14. */
  maxRangeDays: number;
  /** A bulk replay may match at most this many deliveries. Default 100,000. */
  maxDeliveries: number;
  /** Deliveries rescheduled per batch (one transaction each). Default 500. */
  batchSize: number;
}

const int = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number from ${min} to ${max} (got "${v}")` });
        return z.NEVER;
      }
      return n;
    });

const schema = z.object({
  HOOKLINE_REPLAY_MAX_RANGE_DAYS: int(1, 366, 14),
  HOOKLINE_REPLAY_MAX_DELIVERIES: int(1, 10_000_000, 100_000),
  HOOKLINE_REPLAY_BATCH_SIZE: int(1, 10_000, 500),
});

export function parseReplayConfig(env: Record<string, string | undefined>): ReplayConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "configuration"), issue.message);
  }
  return {
    maxRangeDays: result.data.HOOKLINE_REPLAY_MAX_RANGE_DAYS,
    maxDeliveries: result.data.HOOKLINE_REPLAY_MAX_DELIVERIES,
    batchSize: result.data.HOOKLINE_REPLAY_BATCH_SIZE,
  };
}

let cached: ReplayConfig | undefined;

export function getReplayConfig(): ReplayConfig {
  cached ??= parseReplayConfig(process.env);
  return cached;
}

export function resetReplayConfigForTests(): void {
  cached = undefined;
}
