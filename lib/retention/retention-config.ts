import { z } from "zod";
import { ConfigError } from "@/lib/config";

/**
 * Payload retention settings. Same conventions as lib/config.ts (to be folded into it; keep the
 * variable names): read once, a bad value throws a ConfigError naming the variable.
 */
export interface RetentionConfig {
  /** Event payloads and attempt response bodies older than this are removed. Default 30. */
  payloadRetentionDays: number;
  /** How often the retention job runs. Default hourly. */
  retentionIntervalMs: number;
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
  HOOKLINE_PAYLOAD_RETENTION_DAYS: int(1, 3650, 30),
  HOOKLINE_RETENTION_INTERVAL_SECONDS: int(60, 7 * 86_400, 3600),
});

export function parseRetentionConfig(env: Record<string, string | undefined>): RetentionConfig {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "configuration"), issue.message);
  }
  return {
    payloadRetentionDays: result.data.HOOKLINE_PAYLOAD_RETENTION_DAYS,
    retentionIntervalMs: result.data.HOOKLINE_RETENTION_INTERVAL_SECONDS * 1000,
  };
}

let cached: RetentionConfig | undefined;

export function getRetentionConfig(): RetentionConfig {
  cached ??= parseRetentionConfig(process.env);
  return cached;
}

export function resetRetentionConfigForTests(): void {
  cached = undefined;
}
