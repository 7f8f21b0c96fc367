import { describe, expect, it } from "vitest";
import { parseEngineConfig } from "@/lib/delivery/engine-config";

describe("engine config", () => {
  it("has defaults", () => {
    expect(parseEngineConfig({})).toEqual({
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
  });

  it("names the variable that is wrong", () => {
    expect(() => parseEngineConfig({ HOOKLINE_DISABLE_AFTER_SECONDS: "soon" })).toThrow(/^HOOKLINE_DISABLE_AFTER_SECONDS must be a whole number/);
    expect(() => parseEngineConfig({ HOOKLINE_OPERATOR_WEBHOOK_URL: "https://ops.example/hook" })).toThrow(/^HOOKLINE_OPERATOR_WEBHOOK_SECRET is required/);
    expect(() => parseEngineConfig({ HOOKLINE_OPERATOR_WEBHOOK_URL: "ftp://x", HOOKLINE_OPERATOR_WEBHOOK_SECRET: "whsec_abc" })).toThrow(/^HOOKLINE_OPERATOR_WEBHOOK_URL/);
  });
});
