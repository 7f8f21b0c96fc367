/**
 * The console's Settings page: what this server runs with, read-only, each value with where it
 * comes from (the environment variable, or the default when it is not set). Secrets are never
 * shown, only whether they are set.
 */
import { getConfig } from "@/lib/config";

export interface Setting {
  group: string;
  label: string;
  env: string;
  value: string;
  source: "environment" | "default";
}

export function readSettings(env: Record<string, string | undefined> = process.env): Setting[] {
  const c = getConfig();
  const from = (name: string): Setting["source"] => (env[name] ? "environment" : "default");
  const s = (group: string, label: string, name: string, value: unknown): Setting => ({
    group,
    label,
    env: name,
    value: value === undefined || value === null || value === "" ? "not set" : String(value),
    source: from(name),
  });
  const secret = (group: string, label: string, name: string, set: boolean): Setting => ({
    group,
    label,
    env: name,
    value: set ? "set (hidden)" : "not set",
    source: from(name),
  });
  return [
    s("Server", "Public URL", "HOOKLINE_PUBLIC_URL", c.publicUrl),
    s("Server", "Port", "PORT", c.port),
    s("Server", "Trust proxy headers", "HOOKLINE_TRUST_PROXY", c.trustProxy),
    s("Server", "Job driver", "HOOKLINE_JOBS", c.jobs),
    // `npm start` passes its own (generated into the data directory) when the environment has none.
    { ...secret("Server", "Master secret", "HOOKLINE_SECRET", !!c.secret), source: "environment" },
    s("Database", "Database", "DATABASE_URL", c.databaseUrl ? "external PostgreSQL" : "embedded"),
    s(
      "Database",
      "Statement timeout (ms)",
      "HOOKLINE_DB_STATEMENT_TIMEOUT_MS",
      c.dbStatementTimeoutMs,
    ),
    s("Delivery", "Retry schedule (s)", "HOOKLINE_RETRY_SCHEDULE", c.retrySchedule.join(", ")),
    s(
      "Delivery",
      "Private targets allowed",
      "HOOKLINE_ALLOW_PRIVATE_TARGETS",
      c.allowPrivateTargets,
    ),
    s(
      "Delivery",
      "Disable a failing endpoint after (s)",
      "HOOKLINE_DISABLE_AFTER_SECONDS",
      c.engine.disableAfterSeconds,
    ),
    s("Operational webhook", "URL", "HOOKLINE_OPERATOR_WEBHOOK_URL", c.engine.operatorWebhookUrl),
    secret(
      "Operational webhook",
      "Signing secret",
      "HOOKLINE_OPERATOR_WEBHOOK_SECRET",
      !!c.engine.operatorWebhookSecret,
    ),
    s(
      "Retention",
      "Payloads kept (days)",
      "HOOKLINE_PAYLOAD_RETENTION_DAYS",
      c.retention.payloadRetentionDays,
    ),
    s(
      "Retention",
      "Delivery log kept (days, 0 for good)",
      "HOOKLINE_LOG_RETENTION_DAYS",
      c.retention.logRetentionDays,
    ),
    s("Portal", "Session lifetime (s)", "HOOKLINE_SESSION_TTL_SECONDS", c.sessionTtlSeconds),
  ];
}
