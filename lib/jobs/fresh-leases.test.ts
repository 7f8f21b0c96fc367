import { describe, expect, it } from "vitest";
import type { MadeDelivery } from "@/lib/delivery/fan-out-events";
import { pickFreshLeases, type FreshLeaseRoom } from "@/lib/jobs/fresh-leases";

const made = (id: string, appId: string, endpointId: string, more: Partial<MadeDelivery> = {}) =>
  ({ deliveryId: id, appId, endpointId, fifo: false, rateLimit: null, ...more }) as MadeDelivery;

const room = (over: Partial<FreshLeaseRoom> = {}): FreshLeaseRoom => ({
  capacity: 100,
  waitingApps: new Set(),
  newcomerShare: 2,
  endpointSlots: new Map(),
  defaultEndpointSlots: 10,
  ...over,
});

describe("pickFreshLeases", () => {
  it("leaves FIFO lines and rate-limited endpoints to the claim", () => {
    const picked = pickFreshLeases(
      [
        made("d1", "a", "ep_plain"),
        made("d2", "a", "ep_fifo", { fifo: true }),
        made("d3", "a", "ep_limited", { rateLimit: 5 }),
      ],
      room(),
    );
    expect(picked).toEqual(["d1"]);
  });

  it("keeps each endpoint within its free slots (known or default)", () => {
    const many = Array.from({ length: 6 }, (_, i) => made(`x${i}`, "a", "ep_busy"));
    const others = Array.from({ length: 6 }, (_, i) => made(`y${i}`, "a", "ep_new"));
    const picked = pickFreshLeases([...many, ...others], {
      ...room({ defaultEndpointSlots: 3 }),
      endpointSlots: new Map([["ep_busy", 1]]),
    });
    expect(picked.filter((id) => id.startsWith("x"))).toEqual(["x0"]);
    expect(picked.filter((id) => id.startsWith("y"))).toEqual(["y0", "y1", "y2"]);
  });

  it("takes turns across apps within the capacity", () => {
    const a = Array.from({ length: 5 }, (_, i) => made(`a${i}`, "a", `ep_a${i}`));
    const picked = pickFreshLeases([...a, made("b0", "b", "ep_b")], room({ capacity: 3 }));
    expect(picked).toEqual(["a0", "b0", "a1"]);
  });

  it("with no capacity, only apps with nothing waiting take their newcomer share", () => {
    const a = Array.from({ length: 3 }, (_, i) => made(`a${i}`, "a", `ep_a${i}`));
    const b = Array.from({ length: 3 }, (_, i) => made(`b${i}`, "b", `ep_b${i}`));
    const picked = pickFreshLeases(
      [...a, ...b],
      room({ capacity: 0, waitingApps: new Set(["a"]) }),
    );
    expect(picked).toEqual(["b0", "b1"]);
  });
});
