import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, requirePublicUrl } from "@/lib/config";

describe("parseConfig", () => {
  it("has working defaults on a bare environment", () => {
    const config = parseConfig({}, "/srv/hookline");
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      dataDir: path.resolve("/srv/hookline/.hookline"),
      secret: undefined,
      jobs: "embedded",
      allowPrivateTargets: false,
      retrySchedule: [60, 300, 900, 3600],
      maxBodyBytes: 1024 * 1024,
      maxHeapMb: 224,
    });
    expect(parseConfig({ HOOKLINE_MAX_HEAP_MB: "512" }, "/srv").maxHeapMb).toBe(512);
    expect(() => parseConfig({ HOOKLINE_MAX_HEAP_MB: "64" }, "/srv")).toThrow(
      /HOOKLINE_MAX_HEAP_MB/,
    );
  });

  it("reads every variable", () => {
    const config = parseConfig({
      DATABASE_URL: "postgresql://u:p@db:5432/hookline",
      PORT: "8080",
      HOOKLINE_DATA_DIR: "/var/lib/hookline",
      HOOKLINE_SECRET: "s".repeat(40),
      HOOKLINE_JOBS: "inngest",
      HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
      HOOKLINE_RETRY_SCHEDULE: "5, 10,20",
    });
    expect(config).toMatchObject({
      databaseUrl: "postgresql://u:p@db:5432/hookline",
      port: 8080,
      dataDir: "/var/lib/hookline",
      jobs: "inngest",
      allowPrivateTargets: true,
      retrySchedule: [5, 10, 20],
    });
  });

  it("carries the engine, replay, retention and session settings with their defaults", () => {
    const config = parseConfig({});
    expect(config.engine).toEqual({
      disableAfterSeconds: 432_000,
      failingAlertAfter: 5,
      maxRetryAfterSeconds: 21_600,
      workerConcurrency: 32,
      endpointConcurrency: 8,
      pollIntervalMs: 2_000,
      shutdownGraceMs: 15_000,
      operatorWebhookUrl: undefined,
      operatorWebhookSecret: undefined,
    });
    expect(config.replay).toEqual({
      maxRangeDays: 14,
      maxDeliveries: 100_000,
      batchSize: 500,
      batchPauseMs: 0,
    });
    expect(config.retention).toEqual({
      payloadRetentionDays: 30,
      logRetentionDays: 90,
      retentionIntervalMs: 3_600_000,
    });
    expect(config.sessionTtlSeconds).toBe(3600);
    // Issue 13: proxy headers untrusted, database time limits on by default.
    expect({
      trustProxy: config.trustProxy,
      statement: config.dbStatementTimeoutMs,
      acquire: config.dbAcquireTimeoutMs,
    }).toEqual({
      trustProxy: false,
      statement: 15_000,
      acquire: 5_000,
    });
    const set = parseConfig({
      HOOKLINE_TRUST_PROXY: "true",
      HOOKLINE_DB_STATEMENT_TIMEOUT_MS: "2000",
      HOOKLINE_DB_ACQUIRE_TIMEOUT_MS: "500",
    });
    expect([set.trustProxy, set.dbStatementTimeoutMs, set.dbAcquireTimeoutMs]).toEqual([
      true,
      2_000,
      500,
    ]);
    expect(() =>
      parseConfig({ HOOKLINE_OPERATOR_WEBHOOK_URL: "https://ops.example/hook" }),
    ).toThrow(/^HOOKLINE_OPERATOR_WEBHOOK_SECRET is required/);
  });

  it.each([
    [{ PORT: "http" }, "PORT"],
    [{ HOOKLINE_DISABLE_AFTER_SECONDS: "soon" }, "HOOKLINE_DISABLE_AFTER_SECONDS"],
    [
      { HOOKLINE_OPERATOR_WEBHOOK_URL: "ftp://x", HOOKLINE_OPERATOR_WEBHOOK_SECRET: "whsec_abc" },
      "HOOKLINE_OPERATOR_WEBHOOK_URL",
    ],
    [{ HOOKLINE_REPLAY_MAX_RANGE_DAYS: "0" }, "HOOKLINE_REPLAY_MAX_RANGE_DAYS"],
    [{ HOOKLINE_PAYLOAD_RETENTION_DAYS: "forever" }, "HOOKLINE_PAYLOAD_RETENTION_DAYS"],
    [{ HOOKLINE_LOG_RETENTION_DAYS: "-1" }, "HOOKLINE_LOG_RETENTION_DAYS"],
    // The log may not leave before the payloads it shows.
    [
      { HOOKLINE_LOG_RETENTION_DAYS: "20", HOOKLINE_PAYLOAD_RETENTION_DAYS: "30" },
      "HOOKLINE_LOG_RETENTION_DAYS",
    ],
    [{ HOOKLINE_SESSION_TTL_SECONDS: "5" }, "HOOKLINE_SESSION_TTL_SECONDS"],
    [{ HOOKLINE_TRUST_PROXY: "maybe" }, "HOOKLINE_TRUST_PROXY"],
    [{ HOOKLINE_DB_STATEMENT_TIMEOUT_MS: "0" }, "HOOKLINE_DB_STATEMENT_TIMEOUT_MS"],
    [{ HOOKLINE_DB_ACQUIRE_TIMEOUT_MS: "forever" }, "HOOKLINE_DB_ACQUIRE_TIMEOUT_MS"],
    [{ HOOKLINE_WORKER_CONCURRENCY: "1e9" }, "HOOKLINE_WORKER_CONCURRENCY"],
    [{ PORT: "0" }, "PORT"],
    [{ HOOKLINE_JOBS: "bullmq" }, "HOOKLINE_JOBS"],
    [{ HOOKLINE_SECRET: "too-short" }, "HOOKLINE_SECRET"],
    [{ HOOKLINE_ALLOW_PRIVATE_TARGETS: "sometimes" }, "HOOKLINE_ALLOW_PRIVATE_TARGETS"],
    [{ HOOKLINE_RETRY_SCHEDULE: "1,-5" }, "HOOKLINE_RETRY_SCHEDULE"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL"],
    [{ HOOKLINE_MAX_BODY_BYTES: "10" }, "HOOKLINE_MAX_BODY_BYTES"],
    [{ HOOKLINE_LOG_LEVEL: "loud" }, "HOOKLINE_LOG_LEVEL"],
  ])("names the variable in error for %o", (env, variable) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message.startsWith(`${variable} `)).toBe(true);
    expect((error as ConfigError).message).not.toContain("\n");
  });

  it("requires HOOKLINE_SECRET with an external database in production only", () => {
    const external = { DATABASE_URL: "postgresql://u:p@db/h" };
    expect(() => parseConfig({ ...external, NODE_ENV: "production" })).toThrow(
      /HOOKLINE_SECRET is required/,
    );
    expect(parseConfig({ ...external, NODE_ENV: "development" }).secret).toBeUndefined();
    expect(parseConfig({ NODE_ENV: "production" }).secret).toBeUndefined(); // embedded: generated into the data dir
  });

  it("reads HOOKLINE_PUBLIC_URL without its trailing slash, refuses a non-http(s) one, and names it when required but unset", () => {
    expect(parseConfig({ HOOKLINE_PUBLIC_URL: "https://hooks.example.com/" }).publicUrl).toBe(
      "https://hooks.example.com",
    );
    expect(parseConfig({}).publicUrl).toBeUndefined();
    for (const bad of ["hooks.example.com", "ftp://x", "https://x/?a=1"]) {
      expect(() => parseConfig({ HOOKLINE_PUBLIC_URL: bad })).toThrow(/^HOOKLINE_PUBLIC_URL /);
    }
    expect(() => requirePublicUrl(parseConfig({}))).toThrow(/^HOOKLINE_PUBLIC_URL is not set/);
  });
});

describe("log retention", () => {
  it("defaults to 90 days, and takes 0 (keep for good) or any period from the payloads' on", () => {
    expect(parseConfig({}).retention.logRetentionDays).toBe(90);
    expect(parseConfig({ HOOKLINE_LOG_RETENTION_DAYS: "0" }).retention.logRetentionDays).toBe(0);
    expect(
      parseConfig({ HOOKLINE_LOG_RETENTION_DAYS: "30", HOOKLINE_PAYLOAD_RETENTION_DAYS: "30" })
        .retention.logRetentionDays,
    ).toBe(30);
  });
});
