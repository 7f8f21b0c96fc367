import { describe, expect, it } from "vitest";
import { decideAfterAttempt, type NextStepInput } from "@/lib/delivery/next-step";

const now = new Date("2026-01-01T00:00:00Z");
const healthy = { active: true, consecutiveFailures: 1, failingSince: now };

function input(overrides: Partial<NextStepInput>): NextStepInput {
  return {
    ok: false,
    statusCode: 500,
    retryAfterSeconds: null,
    trigger: "auto",
    attemptNumber: 1,
    maxRetries: 5,
    endpoint: healthy,
    now,
    schedule: [60, 300, 900, 3600],
    disableAfterSeconds: 5 * 86_400,
    failingAlertAfter: 5,
    maxRetryAfterSeconds: 21_600,
    random: () => 0.5, // no jitter
    ...overrides,
  };
}

const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);

describe("decideAfterAttempt", () => {
  it("a 2xx is a success", () => {
    expect(decideAfterAttempt(input({ ok: true, statusCode: 200, endpoint: null }))).toMatchObject({
      status: "success",
      nextAttemptAt: null,
    });
  });

  it("follows the schedule, the last step repeating, until max_retries retries are spent", () => {
    expect(decideAfterAttempt(input({ attemptNumber: 1 })).nextAttemptAt).toEqual(at(60));
    expect(decideAfterAttempt(input({ attemptNumber: 2 })).nextAttemptAt).toEqual(at(300));
    expect(decideAfterAttempt(input({ attemptNumber: 4 })).nextAttemptAt).toEqual(at(3600));
    expect(decideAfterAttempt(input({ attemptNumber: 5 })).nextAttemptAt).toEqual(at(3600));
    expect(decideAfterAttempt(input({ attemptNumber: 6 }))).toMatchObject({
      status: "failed",
      exhausted: true,
      nextAttemptAt: null,
    });
    expect(decideAfterAttempt(input({ attemptNumber: 1, maxRetries: 0 }))).toMatchObject({
      status: "failed",
      exhausted: true,
    });
  });

  it("jitters by up to ±20%", () => {
    expect(decideAfterAttempt(input({ random: () => 0 })).nextAttemptAt).toEqual(at(48));
    expect(decideAfterAttempt(input({ random: () => 0.999999 })).nextAttemptAt).toEqual(at(72));
  });

  it("Retry-After on 429/503 postpones (capped) but never brings a retry forward", () => {
    expect(
      decideAfterAttempt(input({ statusCode: 429, retryAfterSeconds: 600 })).nextAttemptAt,
    ).toEqual(at(600));
    expect(
      decideAfterAttempt(input({ statusCode: 503, retryAfterSeconds: 5 })).nextAttemptAt,
    ).toEqual(at(60));
    expect(
      decideAfterAttempt(input({ statusCode: 429, retryAfterSeconds: 10 ** 9 })).nextAttemptAt,
    ).toEqual(at(21_600));
    expect(
      decideAfterAttempt(input({ statusCode: 500, retryAfterSeconds: 600 })).nextAttemptAt,
    ).toEqual(at(60));
  });

  it("410 fails the delivery and disables the endpoint, whatever the retries left", () => {
    const step = decideAfterAttempt(input({ statusCode: 410 }));
    expect(step).toMatchObject({
      status: "failed",
      exhausted: false,
      disableEndpoint: { kind: "gone" },
    });
  });

  it("an endpoint failing for the whole window is disabled", () => {
    const longAgo = new Date(now.getTime() - 5 * 86_400 * 1000);
    const step = decideAfterAttempt(
      input({ endpoint: { active: true, consecutiveFailures: 80, failingSince: longAgo } }),
    );
    expect(step.status).toBe("failed");
    expect(step.disableEndpoint).toEqual({
      kind: "failing",
      reason: `Failing continuously since ${longAgo.toISOString()} (80 deliveries failed in a row)`,
    });
  });

  it("stops retrying once the endpoint was disabled or deleted", () => {
    expect(decideAfterAttempt(input({ endpoint: { ...healthy, active: false } }))).toMatchObject({
      status: "failed",
      exhausted: false,
      disableEndpoint: null,
    });
  });

  it("raises endpoint.failing exactly when the streak reaches the threshold", () => {
    expect(
      decideAfterAttempt(input({ endpoint: { ...healthy, consecutiveFailures: 4 } })).failingAlert,
    ).toBe(false);
    expect(
      decideAfterAttempt(input({ endpoint: { ...healthy, consecutiveFailures: 5 } })).failingAlert,
    ).toBe(true);
    expect(
      decideAfterAttempt(input({ endpoint: { ...healthy, consecutiveFailures: 6 } })).failingAlert,
    ).toBe(false);
    // A retry of a delivery already in the streak leaves the count at the threshold: no second alert.
    expect(
      decideAfterAttempt(
        input({ endpoint: { ...healthy, consecutiveFailures: 5, countedThisFailure: false } }),
      ).failingAlert,
    ).toBe(false);
  });

  it("test sends are never retried; manual attempts past the budget fail without exhausting again", () => {
    expect(decideAfterAttempt(input({ trigger: "test", endpoint: null }))).toMatchObject({
      status: "failed",
      exhausted: false,
    });
    expect(decideAfterAttempt(input({ trigger: "replay", attemptNumber: 9 }))).toMatchObject({
      status: "failed",
      exhausted: false,
    });
    expect(
      decideAfterAttempt(input({ trigger: "manual", attemptNumber: 2, maxRetries: 5 })).status,
    ).toBe("retrying");
  });
});
