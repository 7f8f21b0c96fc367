import { describe, expect, it } from "vitest";
import { endpointMatches, matchingPatterns } from "@/lib/events/subscriptions";

describe("subscription matching", () => {
  it("lists the name, * and every proper prefix wildcard", () => {
    expect(matchingPatterns("invoice")).toEqual(["invoice", "*"]);
    expect(matchingPatterns("invoice.paid")).toEqual(["invoice.paid", "*", "invoice.*"]);
    expect(matchingPatterns("a.b.c")).toEqual(["a.b.c", "*", "a.*", "a.b.*"]);
  });

  it.each([
    [["invoice.paid"], "invoice.paid", true],
    [["invoice.*"], "invoice.paid", true],
    [["invoice.*"], "invoice.paid.late", true],
    [["invoice.*"], "invoice", false],
    [["invoice.*"], "invoices.paid", false],
    [["*"], "anything.at.all", true],
    [["invoice.paid.*"], "invoice.paid", false],
    [[], "invoice.paid", false],
  ])("%j receives %s: %s", (subscriptions, name, expected) => {
    expect(endpointMatches({ subscriptions, channels: [] }, { name, channels: [] })).toBe(expected);
  });

  it("channels on an endpoint narrow what it receives; none means all", () => {
    const eu = { subscriptions: ["*"], channels: ["eu"] };
    expect(endpointMatches(eu, { name: "a", channels: [] })).toBe(false);
    expect(endpointMatches(eu, { name: "a", channels: ["us", "eu"] })).toBe(true);
    expect(
      endpointMatches({ subscriptions: ["*"], channels: [] }, { name: "a", channels: ["eu"] }),
    ).toBe(true);
  });
});
