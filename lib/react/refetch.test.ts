import { describe, expect, it } from "vitest";
import { deliveryRefetchInterval } from "./hooks";

describe("deliveryRefetchInterval: the open delivery stays live while in flight", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  it("polls a pending delivery every 1.5 s", () => {
    expect(deliveryRefetchInterval({ status: "pending", next_attempt_at: null }, now)).toBe(1_500);
  });
  it("looks again just after a retrying delivery's next attempt is due", () => {
    expect(
      deliveryRefetchInterval({ status: "retrying", next_attempt_at: "2026-01-01T00:00:03Z" }, now),
    ).toBe(3_750);
    expect(
      deliveryRefetchInterval({ status: "retrying", next_attempt_at: "2026-01-01T00:00:00Z" }, now),
    ).toBe(1_000);
    expect(
      deliveryRefetchInterval({ status: "retrying", next_attempt_at: "2026-01-01T01:00:00Z" }, now),
    ).toBe(10_000);
  });
  it("stops once the delivery has settled", () => {
    expect(deliveryRefetchInterval({ status: "success", next_attempt_at: null }, now)).toBe(false);
    expect(deliveryRefetchInterval({ status: "failed", next_attempt_at: null }, now)).toBe(false);
  });
});
