import { describe, expect, it } from "vitest";
import { isStorableInstant, jsonProblems, MAX_JSON_DEPTH, textProblem } from "@/lib/http/storable";

describe("what PostgreSQL can store", () => {
  it("refuses NUL and unpaired surrogates, keeps paired ones", () => {
    expect(textProblem("a\u0000b")).toMatch(/NUL/);
    expect(textProblem("\ud800")).toMatch(/surrogate/);
    expect(textProblem("x\udc00")).toMatch(/surrogate/);
    expect(textProblem("🚀 héllo")).toBeNull();
  });

  it("names every bad value and key by its path, and stops deep nesting without recursion", () => {
    expect(
      jsonProblems({ a: [{ b: "\u0000" }], ["k\u0000"]: 1 })
        .map((e) => e.field)
        .sort(),
    ).toEqual(["(body)", "a[0].b"]);
    const deep = JSON.parse(`{"d":${"[".repeat(100_000)}${"]".repeat(100_000)}}`) as unknown;
    const [problem] = jsonProblems(deep);
    expect(problem!.message).toBe(`is nested more than ${MAX_JSON_DEPTH} levels deep`);
    expect(problem!.field.startsWith("d[0]")).toBe(true);
    expect(
      jsonProblems(JSON.parse(`${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}`)),
    ).toEqual([]);
  });

  it("takes instants in years 0001-9999 only", () => {
    expect(isStorableInstant(new Date("0001-01-01T00:00:00Z"))).toBe(true);
    expect(isStorableInstant(new Date("0000-12-31T23:59:59Z"))).toBe(false);
    expect(isStorableInstant(new Date("9999-12-31T23:59:59Z"))).toBe(true);
    expect(isStorableInstant(new Date("+010000-01-01T00:00:00Z"))).toBe(false);
    expect(isStorableInstant(new Date("nope"))).toBe(false);
  });
});
