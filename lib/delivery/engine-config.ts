import { z } from "zod";
import { ConfigError } from "@/lib/config";

/**
 * Delivery-engine settings that lib/config.ts does not carry yet. Same conventions: read once
 * from the environment, a bad value throws a ConfigError naming the variable.
 * (To be folded into lib/config.ts; keep the variable names.)
 */
export interface EngineConfig {
  /** An endpoint that has only failed for this long is disabled. Default 5 days. */
  disableAfterSeconds: number;
  /** Consecutive failed attempts after which `endpoint.failing` is raised. */
  failingAlertAfter: number;
  /** A receiver's Retry-After is honoured up to this many seconds. */
  maxRetryAfterSeconds: number;
  /** Embedded driver: attempts in flight per process. */
  workerConcurrency: number;
  /** Embedded driver: attempts in flight per endpoint per process (rate_limit may lower it). */
  endpointConcurrency: number;
  /** Embedded driver: fallback poll when no NOTIFY arrives (retries, expired leases). */
  pollIntervalMs: number;
  /** Embedded driver: how long shutdown waits for in-flight attempts before releasing them. */
  shutdownGraceMs: number;
  operatorWebhookUrl: string | undefined;
  operatorWebhookSecret: string | undefined;
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

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const schema = z
  .object({
    HOOKLINE_DISABLE_AFTER_SECONDS: int(60, 365 * 86_400, 5 * 86_400),
    HOOKLINE_FAILING_ALERT_AFTER: int(1, 1_000_000, 5),
    HOOKLINE_MAX_RETRY_AFTER_SECONDS: int(1, 7 * 86_400, 6 * 3600),
    HOOKLINE_WORKER_CONCURRENCY: int(1, 1_000, 32),
    HOOKLINE_ENDPOINT_CONCURRENCY: int(1, 1_000, 8),
    HOOKLINE_POLL_INTERVAL_MS: int(50, 60_000, 2_000),
    HOOKLINE_SHUTDOWN_GRACE_MS: int(0, 120_000, 15_000),
    HOOKLINE_OPERATOR_WEBHOOK_URL: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
      message: "must be an http(s) URL",
    }),
    HOOKLINE_OPERATOR_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v), {
      message: "must be a whsec_... signing secret",
    }),
  })
  .refine((e) => !e.HOOKLINE_OPERATOR_WEBHOOK_URL || e.HOOKLINE_OPERATOR_WEBHOOK_SECRET, {
    message: "is required when HOOKLINE_OPERATOR_WEBHOOK_URL is set",
    path: ["HOOKLINE_OPERATOR_WEBHOOK_SECRET"],
  });

export function parseEngineConfig(env: Record<string, string | undefined>): EngineConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "configuration"), issue.message);
  }
  const e = result.data;
  return {
    disableAfterSeconds: e.HOOKLINE_DISABLE_AFTER_SECONDS,
    failingAlertAfter: e.HOOKLINE_FAILING_ALERT_AFTER,
    maxRetryAfterSeconds: e.HOOKLINE_MAX_RETRY_AFTER_SECONDS,
    workerConcurrency: e.HOOKLINE_WORKER_CONCURRENCY,
    endpointConcurrency: e.HOOKLINE_ENDPOINT_CONCURRENCY,
    pollIntervalMs: e.HOOKLINE_POLL_INTERVAL_MS,
    shutdownGraceMs: e.HOOKLINE_SHUTDOWN_GRACE_MS,
    operatorWebhookUrl: e.HOOKLINE_OPERATOR_WEBHOOK_URL,
    operatorWebhookSecret: e.HOOKLINE_OPERATOR_WEBHOOK_SECRET,
  };
}

let cached: EngineConfig | undefined;

export function getEngineConfig(): EngineConfig {
  cached ??= parseEngineConfig(process.env);
  return cached;
}

export function resetEngineConfigForTests(): void {
  cached = undefined;
}
