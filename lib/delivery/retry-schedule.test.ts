import { describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_SCHEDULE,
  nextRetryDelaySeconds,
  parseRetrySchedule,
  retriesRemaining,
} from "@/lib/delivery/retry-schedule";

describe("parseRetrySchedule", () => {
  it("parses comma-separated seconds", () => {
    expect(parseRetrySchedule("60,300, 900 ,3600")).toEqual([60, 300, 900, 3600]);
    expect(parseRetrySchedule("5")).toEqual([5]);
  });

  it.each([
    ["", /empty/],
    ["60,,300", /item 2 \(""\)/],
    ["60,abc", /item 2 \("abc"\)/],
    ["0", /item 1 \("0"\)/],
    ["-5", /item 1 \("-5"\)/],
    ["1.5", /item 1 \("1.5"\)/],
    ["60,1e3", /item 2 \("1e3"\)/],
  ])("rejects %j", (text, message) => {
    expect(() => parseRetrySchedule(text)).toThrow(message);
  });
});

describe("nextRetryDelaySeconds", () => {
  const exact = { jitter: 0 };

  it("follows the schedule and repeats the last step", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((retryNumber) =>
      nextRetryDelaySeconds({ schedule: DEFAULT_RETRY_SCHEDULE, retryNumber, ...exact }),
    );
    expect(delays).toEqual([60, 300, 900, 3600, 3600, 3600]);
  });

  it("applies jitter within ±jitter", () => {
    const at = (random: number) =>
      nextRetryDelaySeconds({ schedule: [100], retryNumber: 1, jitter: 0.2, random: () => random });
    expect(at(0)).toBe(80);
    expect(at(0.5)).toBe(100);
    expect(at(0.999999)).toBe(120);
    for (let i = 0; i < 200; i++) {
      const delay = nextRetryDelaySeconds({ schedule: [100], retryNumber: 1 });
      expect(delay).toBeGreaterThanOrEqual(80);
      expect(delay).toBeLessThanOrEqual(120);
    }
  });

  it("never returns less than one second", () => {
    expect(
      nextRetryDelaySeconds({ schedule: [1], retryNumber: 1, jitter: 0.9, random: () => 0 }),
    ).toBe(1);
  });

  it("lets Retry-After postpone but never hasten, capped", () => {
    const base = { schedule: [60], retryNumber: 1, ...exact };
    expect(nextRetryDelaySeconds({ ...base, retryAfterSeconds: 600 })).toBe(600);
    expect(nextRetryDelaySeconds({ ...base, retryAfterSeconds: 5 })).toBe(60);
    expect(nextRetryDelaySeconds({ ...base, retryAfterSeconds: null })).toBe(60);
    expect(nextRetryDelaySeconds({ ...base, retryAfterSeconds: 10_000_000 })).toBe(86_400);
    expect(
      nextRetryDelaySeconds({ ...base, retryAfterSeconds: 10_000, maxRetryAfterSeconds: 3600 }),
    ).toBe(3600);
  });

  it("rejects bad input", () => {
    expect(() => nextRetryDelaySeconds({ schedule: [], retryNumber: 1 })).toThrow(/empty/);
    expect(() => nextRetryDelaySeconds({ schedule: [60], retryNumber: 0 })).toThrow(/retryNumber/);
    expect(() => nextRetryDelaySeconds({ schedule: [60], retryNumber: 1, jitter: 1 })).toThrow(
      /jitter/,
    );
  });
});

describe("retriesRemaining", () => {
  it("counts retries after the initial attempt", () => {
    expect(retriesRemaining(0, 4)).toBe(4);
    expect(retriesRemaining(1, 4)).toBe(4);
    expect(retriesRemaining(2, 4)).toBe(3);
    expect(retriesRemaining(5, 4)).toBe(0);
    expect(retriesRemaining(9, 4)).toBe(0);
    expect(retriesRemaining(1, 0)).toBe(0);
  });
});
