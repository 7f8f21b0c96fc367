import path from "node:path";
import { z } from "zod";
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from "@/lib/delivery/retry-schedule";

/**
 * Hookline's configuration: read once from the environment and validated. A bad value stops
 * start-up with one line that names the variable (`ConfigError.message`).
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

const TRUE = ["1", "true", "yes", "on"];
const FALSE = ["0", "false", "no", "off", ""];

const booleanVar = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const s = (v ?? "").trim().toLowerCase();
    if (TRUE.includes(s)) return true;
    if (FALSE.includes(s)) return false;
    ctx.addIssue({ code: "custom", message: `must be true or false (got "${v}")` });
    return z.NEVER;
  });

/** A whole number in [min, max]; unset or empty means `fallback`. */
const wholeNumber = (min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({
          code: "custom",
          message: `must be a whole number from ${min} to ${max} (got "${v}")`,
        });
        return z.NEVER;
      }
      return n;
    });

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() ? v.trim() : undefined));

const DAY = 86_400;

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return undefined;
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: "is not a valid URL (expected postgresql://user:pass@host:port/db)",
        });
        return z.NEVER;
      }
      if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") {
        ctx.addIssue({
          code: "custom",
          message: `must be a postgresql:// URL (got "${url.protocol}//...")`,
        });
        return z.NEVER;
      }
      return v;
    }),
  PORT: wholeNumber(1, 65535, 3000),
  HOOKLINE_HOST: z.string().optional().default("0.0.0.0"),
  HOOKLINE_DATA_DIR: z.string().optional().default(".hookline"),
  HOOKLINE_SECRET: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      if (v.length < 32) {
        ctx.addIssue({
          code: "custom",
          message: `must be at least 32 characters (got ${v.length})`,
        });
        return z.NEVER;
      }
      return v;
    }),
  HOOKLINE_JOBS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "embedded").trim() || "embedded";
      if (s === "embedded" || s === "inngest") return s;
      ctx.addIssue({ code: "custom", message: `must be "embedded" or "inngest" (got "${v}")` });
      return z.NEVER;
    }),
  HOOKLINE_ALLOW_PRIVATE_TARGETS: booleanVar,
  HOOKLINE_RETRY_SCHEDULE: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === "") return [...DEFAULT_RETRY_SCHEDULE];
      try {
        return parseRetrySchedule(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  HOOKLINE_MAX_BODY_BYTES: wholeNumber(1024, 64 * 1024 * 1024, 1024 * 1024),
  HOOKLINE_MAX_HEAP_MB: wholeNumber(128, 65_536, 224),
  HOOKLINE_LOG_LEVEL: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = (v ?? "info").trim().toLowerCase() || "info";
      if (["debug", "info", "warn", "error"].includes(s))
        return s as "debug" | "info" | "warn" | "error";
      ctx.addIssue({ code: "custom", message: `must be debug, info, warn or error (got "${v}")` });
      return z.NEVER;
    }),
  HOOKLINE_SESSION_TTL_SECONDS: wholeNumber(60, DAY, 3600),
  HOOKLINE_PUBLIC_URL: optionalText.transform((v, ctx) => {
    if (v === undefined) return undefined;
    const url = URL.canParse(v) ? new URL(v) : null;
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search || url.hash) {
      ctx.addIssue({
        code: "custom",
        message: `must be the http(s) URL browsers reach Hookline at, e.g. https://hooks.example.com (got "${v}")`,
      });
      return z.NEVER;
    }
    return url.href.replace(/\/+$/, "");
  }),
  HOOKLINE_TRUST_PROXY: booleanVar,
  HOOKLINE_DB_STATEMENT_TIMEOUT_MS: wholeNumber(100, 600_000, 15_000),
  HOOKLINE_DB_ACQUIRE_TIMEOUT_MS: wholeNumber(100, 120_000, 5_000),
  // Delivery engine
  HOOKLINE_DISABLE_AFTER_SECONDS: wholeNumber(60, 365 * DAY, 5 * DAY),
  HOOKLINE_FAILING_ALERT_AFTER: wholeNumber(1, 1_000_000, 5),
  HOOKLINE_MAX_RETRY_AFTER_SECONDS: wholeNumber(1, 7 * DAY, 6 * 3600),
  HOOKLINE_WORKER_CONCURRENCY: wholeNumber(1, 1_000, 32),
  HOOKLINE_ENDPOINT_CONCURRENCY: wholeNumber(1, 1_000, 8),
  HOOKLINE_POLL_INTERVAL_MS: wholeNumber(50, 60_000, 2_000),
  HOOKLINE_SHUTDOWN_GRACE_MS: wholeNumber(0, 120_000, 15_000),
  HOOKLINE_OPERATOR_WEBHOOK_URL: optionalText.refine(
    (v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v),
    {
      message: "must be an http(s) URL",
    },
  ),
  HOOKLINE_OPERATOR_WEBHOOK_SECRET: optionalText.refine(
    (v) => v === undefined || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(v),
    {
      message: "must be a whsec_... signing secret",
    },
  ),
  // Replay and retention
  HOOKLINE_REPLAY_MAX_RANGE_DAYS: wholeNumber(1, 366, 14),
  HOOKLINE_REPLAY_MAX_DELIVERIES: wholeNumber(1, 10_000_000, 100_000),
  HOOKLINE_REPLAY_BATCH_SIZE: wholeNumber(1, 10_000, 500),
  HOOKLINE_REPLAY_BATCH_PAUSE_MS: wholeNumber(0, 60_000, 0),
  HOOKLINE_PAYLOAD_RETENTION_DAYS: wholeNumber(1, 3650, 30),
  HOOKLINE_LOG_RETENTION_DAYS: wholeNumber(0, 36_500, 90),
  HOOKLINE_RETENTION_INTERVAL_SECONDS: wholeNumber(60, 7 * DAY, 3600),
});

export interface Config {
  nodeEnv: string;
  /** Set when Hookline uses an external PostgreSQL; unset means the embedded one. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Absolute path of the data directory (embedded database, generated secret, lock). */
  dataDir: string;
  /** Unset only before the launcher generated one into the data directory. */
  secret: string | undefined;
  jobs: "embedded" | "inngest";
  allowPrivateTargets: boolean;
  /** Delays in seconds before retry 1, 2, ...; the last one repeats. */
  retrySchedule: number[];
  maxBodyBytes: number;
  /**
   * The web server's V8 old-space limit. What it retains under load is ~60 MB; without a limit V8
   * defers major collections and lets garbage grow the heap (and RSS) by hundreds of MB.
   */
  maxHeapMb: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Portal sessions slide forward by this much on use (capped at 24 h from the exchange). */
  sessionTtlSeconds: number;
  /** Where browsers reach Hookline (links it hands out, e.g. Svix `appPortalAccess`); no trailing slash. */
  publicUrl: string | undefined;
  /** Use X-Forwarded-For/-Host/-Proto (only behind a reverse proxy that sets them). Default off. */
  trustProxy: boolean;
  /** No database statement (server-side and client-side read) runs longer than this. */
  dbStatementTimeoutMs: number;
  /** Waiting for a pooled database connection gives up after this long. */
  dbAcquireTimeoutMs: number;
  engine: EngineConfig;
  replay: ReplayConfig;
  retention: RetentionConfig;
}

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

export interface ReplayConfig {
  /** A bulk replay's date range may span at most this many days. */
  maxRangeDays: number;
  /** A bulk replay may match at most this many deliveries. */
  maxDeliveries: number;
  /** Deliveries rescheduled per batch (one transaction each). */
  batchSize: number;
  /** Pause between a task's batches, to spread a large replay out (and let a cancel land). */
  batchPauseMs: number;
}

export interface RetentionConfig {
  /** Event payloads and attempt response bodies older than this are removed. */
  payloadRetentionDays: number;
  /**
   * Deliveries and attempts older than this leave the log, a whole week at a time
   * (lib/delivery-log/partitions.ts); 0 keeps them for good.
   */
  logRetentionDays: number;
  /** How often the retention job runs. */
  retentionIntervalMs: number;
}

/** Parses and validates an environment. Throws `ConfigError` naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>, cwd = process.cwd()): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? "configuration"), issue.message);
  }
  const e = result.data;
  const nodeEnv = e.NODE_ENV ?? "development";
  if (e.DATABASE_URL && !e.HOOKLINE_SECRET && nodeEnv === "production") {
    throw new ConfigError(
      "HOOKLINE_SECRET",
      "is required when DATABASE_URL is set and NODE_ENV=production (32+ random characters, e.g. `openssl rand -base64 48`)",
    );
  }
  if (e.HOOKLINE_OPERATOR_WEBHOOK_URL && !e.HOOKLINE_OPERATOR_WEBHOOK_SECRET) {
    throw new ConfigError(
      "HOOKLINE_OPERATOR_WEBHOOK_SECRET",
      "is required when HOOKLINE_OPERATOR_WEBHOOK_URL is set",
    );
  }
  if (
    e.HOOKLINE_LOG_RETENTION_DAYS > 0 &&
    e.HOOKLINE_LOG_RETENTION_DAYS < e.HOOKLINE_PAYLOAD_RETENTION_DAYS
  ) {
    throw new ConfigError(
      "HOOKLINE_LOG_RETENTION_DAYS",
      `must be 0 (keep for good) or at least HOOKLINE_PAYLOAD_RETENTION_DAYS (${e.HOOKLINE_PAYLOAD_RETENTION_DAYS}): the log outlives the payloads it shows`,
    );
  }
  return {
    nodeEnv,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOOKLINE_HOST,
    dataDir: path.resolve(cwd, e.HOOKLINE_DATA_DIR),
    secret: e.HOOKLINE_SECRET,
    jobs: e.HOOKLINE_JOBS,
    allowPrivateTargets: e.HOOKLINE_ALLOW_PRIVATE_TARGETS,
    retrySchedule: e.HOOKLINE_RETRY_SCHEDULE,
    maxBodyBytes: e.HOOKLINE_MAX_BODY_BYTES,
    maxHeapMb: e.HOOKLINE_MAX_HEAP_MB,
    logLevel: e.HOOKLINE_LOG_LEVEL,
    sessionTtlSeconds: e.HOOKLINE_SESSION_TTL_SECONDS,
    publicUrl: e.HOOKLINE_PUBLIC_URL,
    trustProxy: e.HOOKLINE_TRUST_PROXY,
    dbStatementTimeoutMs: e.HOOKLINE_DB_STATEMENT_TIMEOUT_MS,
    dbAcquireTimeoutMs: e.HOOKLINE_DB_ACQUIRE_TIMEOUT_MS,
    engine: {
      disableAfterSeconds: e.HOOKLINE_DISABLE_AFTER_SECONDS,
      failingAlertAfter: e.HOOKLINE_FAILING_ALERT_AFTER,
      maxRetryAfterSeconds: e.HOOKLINE_MAX_RETRY_AFTER_SECONDS,
      workerConcurrency: e.HOOKLINE_WORKER_CONCURRENCY,
      endpointConcurrency: e.HOOKLINE_ENDPOINT_CONCURRENCY,
      pollIntervalMs: e.HOOKLINE_POLL_INTERVAL_MS,
      shutdownGraceMs: e.HOOKLINE_SHUTDOWN_GRACE_MS,
      operatorWebhookUrl: e.HOOKLINE_OPERATOR_WEBHOOK_URL,
      operatorWebhookSecret: e.HOOKLINE_OPERATOR_WEBHOOK_SECRET,
    },
    replay: {
      maxRangeDays: e.HOOKLINE_REPLAY_MAX_RANGE_DAYS,
      maxDeliveries: e.HOOKLINE_REPLAY_MAX_DELIVERIES,
      batchSize: e.HOOKLINE_REPLAY_BATCH_SIZE,
      batchPauseMs: e.HOOKLINE_REPLAY_BATCH_PAUSE_MS,
    },
    retention: {
      payloadRetentionDays: e.HOOKLINE_PAYLOAD_RETENTION_DAYS,
      logRetentionDays: e.HOOKLINE_LOG_RETENTION_DAYS,
      retentionIntervalMs: e.HOOKLINE_RETENTION_INTERVAL_SECONDS * 1000,
    },
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** For tests that change the environment between cases. */
export function resetConfigForTests(): void {
  cached = undefined;
}

/** Hookline's public base URL, for links handed to other systems; fails naming the setting. */
export function requirePublicUrl(config: Config = getConfig()): string {
  if (!config.publicUrl) {
    throw new ConfigError(
      "HOOKLINE_PUBLIC_URL",
      "is not set: set it to the URL browsers reach Hookline at (e.g. https://hooks.example.com) to hand out portal links",
    );
  }
  return config.publicUrl;
}

/** The secret for sessions and encryption at rest; the launcher guarantees it is set. */
export function requireSecret(config: Config = getConfig()): string {
  if (!config.secret) {
    throw new ConfigError(
      "HOOKLINE_SECRET",
      "is not set (start Hookline with `npm start`, which generates one)",
    );
  }
  return config.secret;
}
