import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createDebouncer } from "./debounce";

describe("createDebouncer: a value settles once it stops changing", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("settles on the last value pushed, once, after the delay", () => {
    const settled: string[] = [];
    const d = createDebouncer<string>(350, (v) => settled.push(v));
    d.push("a");
    vi.advanceTimersByTime(200);
    d.push("ab");
    vi.advanceTimersByTime(349);
    expect(settled).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(settled).toEqual(["ab"]);
    vi.advanceTimersByTime(1_000);
    expect(settled).toEqual(["ab"]);
  });

  it("settles nothing once cancelled (the component went away or the value changed)", () => {
    const settled: number[] = [];
    const d = createDebouncer<number>(100, (v) => settled.push(v));
    d.push(1);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(settled).toEqual([]);
    d.push(2);
    vi.advanceTimersByTime(100);
    expect(settled).toEqual([2]);
  });
});
