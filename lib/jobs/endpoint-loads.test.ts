import { describe, expect, it } from "vitest";
import { createEndpointLoads, RATE_WINDOW_MS } from "@/lib/jobs/endpoint-loads";

describe("endpoint loads", () => {
  it("counts running and queued claims and gives the rest of the claim limit as slots", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 2, claimLimit: 4 });
    for (let i = 0; i < 3; i++) loads.queue("ep_a", null);
    expect(loads.slots(0).get("ep_a")).toBe(1);
    loads.start("ep_a", 0);
    loads.start("ep_a", 0);
    expect(loads.of("ep_a")).toEqual({ running: 2, queued: 1, startsInWindow: 2 });
    // Two running: the third waits for a running slot.
    expect(loads.canStart("ep_a", 0)).toBe(false);
    loads.finish("ep_a");
    expect(loads.canStart("ep_a", 0)).toBe(true);
    expect(loads.slots(0).get("ep_a")).toBe(2);
  });

  it("forgets an idle endpoint once its rate window is over", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 2, claimLimit: 4 });
    loads.queue("ep_a", null);
    loads.start("ep_a", 1_000);
    loads.finish("ep_a");
    expect([...loads.slots(1_000).keys()]).toEqual(["ep_a"]);
    expect([...loads.slots(1_000 + RATE_WINDOW_MS).keys()]).toEqual([]);
  });

  it("holds a rate-limited endpoint to its starts per rolling second", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 10, claimLimit: 20 });
    for (let i = 0; i < 3; i++) loads.queue("ep_r", 2);
    expect(loads.slots(0).get("ep_r")).toBe(-1); // 2 per second, 3 already queued
    loads.start("ep_r", 0);
    loads.start("ep_r", 400);
    loads.finish("ep_r");
    loads.finish("ep_r");
    expect(loads.canStart("ep_r", 500)).toBe(false);
    expect(loads.nextRateSlotAt()).toBe(RATE_WINDOW_MS);
    expect(loads.canStart("ep_r", RATE_WINDOW_MS)).toBe(true);
    expect(loads.nextRateSlotAt()).toBeNull(); // one start left in the window, one free
  });

  it("gives up a dropped claim's place and never counts below zero", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 1, claimLimit: 2 });
    loads.queue("ep_a", null);
    loads.drop("ep_a");
    loads.drop("ep_a");
    loads.finish("ep_a");
    expect(loads.of("ep_a")).toMatchObject({ running: 0, queued: 0 });
    expect(loads.slots(0).has("ep_a")).toBe(false);
  });
});
