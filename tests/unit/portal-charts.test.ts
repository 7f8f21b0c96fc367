import { describe, expect, it } from "vitest";
import { isSparse, regularTicks } from "@/components/portal/charts";

describe("portal charts", () => {
  it("puts time ticks at a regular bucket interval, ending on the last bucket", () => {
    const hours = Array.from({ length: 25 }, (_, i) => i);
    const ticks = regularTicks(hours);
    expect(ticks.at(-1)).toBe(24);
    expect(ticks.length).toBeLessThanOrEqual(7);
    const gaps = new Set(ticks.slice(1).map((t, i) => t - ticks[i]!));
    expect([...gaps]).toEqual([4]);
    expect(regularTicks([1, 2, 3])).toEqual([1, 2, 3]);
  });

  it("calls a series sparse when a line would be a lonely dot or two", () => {
    expect(isSparse([null, null, 5, null, null])).toBe(true);
    expect(isSparse(Array.from({ length: 60 }, (_, i) => (i % 10 === 0 ? 1 : null)))).toBe(true);
    expect(isSparse(Array.from({ length: 24 }, (_, i) => i))).toBe(false);
    expect(isSparse([null, null])).toBe(false);
  });
});
