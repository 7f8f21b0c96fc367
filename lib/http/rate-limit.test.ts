/** The ticket-exchange limiter on an injected clock: the limit, the window reset, the clean-up. */
import { describe, expect, it } from "vitest";
import { FixedWindowLimiter } from "@/lib/http/rate-limit";

const T0 = 1_000_000;

describe("FixedWindowLimiter", () => {
  it("allows `limit` hits a window, then says how long to wait, then starts a new window", () => {
    const limiter = new FixedWindowLimiter(3, 60_000);
    expect([1, 2, 3].map(() => limiter.hit("a", T0))).toEqual([0, 0, 0]);
    expect(limiter.hit("a", T0 + 1_000)).toBe(59);
    expect(limiter.hit("a", T0 + 59_001)).toBe(1);
    // Other keys have windows of their own.
    expect(limiter.hit("b", T0 + 59_001)).toBe(0);
    // The window ends 60 s after its first hit, not after the last one.
    expect(limiter.hit("a", T0 + 60_000)).toBe(0);
    expect(limiter.hit("a", T0 + 60_001)).toBe(0);
    expect(limiter.hit("a", T0 + 60_002)).toBe(0);
    expect(limiter.hit("a", T0 + 60_003)).toBe(60);
  });

  it("drops expired windows once it holds more than 10,000 keys, and keeps live ones", () => {
    const limiter = new FixedWindowLimiter(1, 60_000);
    for (let i = 0; i <= 10_000; i++) limiter.hit(`old-${i}`, T0);
    limiter.hit("live", T0 + 30_000);
    expect(limiter.size).toBe(10_002);
    // The next hit after the old windows ended sweeps them.
    expect(limiter.hit("new", T0 + 60_000)).toBe(0);
    expect(limiter.size).toBe(2);
    // The live window survived the sweep with its count.
    expect(limiter.hit("live", T0 + 60_001)).toBe(30);
  });
});
