import { describe, expect, it } from "vitest";
import { claimLeftRows, createClaimGate } from "./claim-gate";

describe("claim gate", () => {
  it("starts open, so the first finished attempt may claim", () => {
    expect(createClaimGate().isOpen).toBe(true);
  });

  it("closes after a claim that took everything it could see", () => {
    const gate = createClaimGate();
    gate.startClaim()(false);
    expect(gate.isOpen).toBe(false);
  });

  it("stays open after a claim that may have left rows behind", () => {
    const gate = createClaimGate();
    gate.startClaim()(true);
    expect(gate.isOpen).toBe(true);
  });

  it("keeps an opening that arrives while a claim is running", () => {
    const gate = createClaimGate();
    const finish = gate.startClaim();
    expect(gate.isOpen).toBe(false);
    gate.open(); // e.g. new work announced while the claim's query was out
    finish(false);
    expect(gate.isOpen).toBe(true);
  });

  it("opens again on any later announcement once closed", () => {
    const gate = createClaimGate();
    gate.startClaim()(false);
    gate.open();
    expect(gate.isOpen).toBe(true);
  });
});

describe("claimLeftRows", () => {
  const ep = (endpointId: string, n: number) => Array.from({ length: n }, () => ({ endpointId }));

  it("is true when the claim filled its limit", () => {
    expect(claimLeftRows(ep("a", 10), 10, new Map(), 16)).toBe(true);
  });

  it("is true when an endpoint had no slots, so its rows were passed over", () => {
    expect(claimLeftRows(ep("a", 2), 10, new Map([["b", 0]]), 16)).toBe(true);
  });

  it("is true when the claim took all the slots an endpoint had", () => {
    expect(claimLeftRows(ep("a", 3), 50, new Map([["a", 3]]), 16)).toBe(true);
    // An endpoint with nothing in hand has the default slots.
    expect(claimLeftRows(ep("a", 16), 50, new Map(), 16)).toBe(true);
  });

  it("is false when the claim took less than every limit allowed", () => {
    expect(claimLeftRows(ep("a", 2), 50, new Map([["a", 3]]), 16)).toBe(false);
    expect(claimLeftRows([...ep("a", 15), ...ep("b", 1)], 50, new Map(), 16)).toBe(false);
    expect(claimLeftRows([], 50, new Map([["a", 5]]), 16)).toBe(false);
  });
});
