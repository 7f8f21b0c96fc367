import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatFieldPath, parseFieldPath } from "@/lib/filters/field-path";
import { FilterSyntaxError, formatFilterText, parseFilterText } from "@/lib/filters/filter-text";
import { FILTER_LIMITS, payloadFilter, type PayloadFilter } from "@/lib/filters/payload-filter";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import { fieldErrors } from "@/lib/http/errors";
import { arbitraryFilter } from "@/tests/helpers/filter-arbitraries";

const errorsOf = (filter: unknown) => {
  const result = z.object({ filter: payloadFilter }).safeParse({ filter });
  return result.success ? [] : fieldErrors(result.error);
};

describe("field paths", () => {
  it("reads dotted keys, positions and quoted keys, and writes them back", () => {
    expect(parseFieldPath("items[2].sku")).toEqual(["items", 2, "sku"]);
    expect(parseFieldPath('meta["a.b"].c')).toEqual(["meta", "a.b", "c"]);
    expect(formatFieldPath(["meta", "a.b", 0, "and"])).toBe('meta["a.b"][0].and');
    expect(formatFieldPath(["and", "x"])).toBe('["and"].x');
  });

  it("refuses malformed paths", () => {
    for (const bad of ["", "a..b", "a.", "a[-1]", "a[x]", 'a["x"', "1a", "a b"])
      expect(() => parseFieldPath(bad), bad).toThrow();
  });
});

describe("the JSON form", () => {
  it("accepts every operator and group", () => {
    const filter = {
      and: [
        { field: "a", eq: 1 },
        { field: "b", ne: null },
        { field: "c", in: ["x", 2, true, null] },
        { field: "d", not_in: ["y"] },
        { field: "e", exists: false },
        {
          or: [
            { field: "f", gt: 1 },
            { field: "g", gte: "m" },
            { field: "h", lt: 0.5 },
            { field: "i", lte: -3 },
          ],
        },
        { not: { field: "j", starts_with: "acme" } },
      ],
    };
    expect(errorsOf(filter)).toEqual([]);
  });

  it("names the broken part", () => {
    expect(
      errorsOf({
        and: [
          { field: "a", eq: 1 },
          { field: "b", lt: true },
        ],
      }),
    ).toEqual([{ field: "filter.and[1].lt", message: "must be a number or a string" }]);
    expect(errorsOf({ field: "a..b", eq: 1 })[0]).toMatchObject({ field: "filter.field" });
    expect(errorsOf({ field: "a", eq: 1, ne: 2 })[0]?.message).toMatch(/2 operators/);
    expect(errorsOf({ field: "a" })[0]?.message).toMatch(/needs one operator/);
    expect(errorsOf({ or: [] })).toEqual([
      { field: "filter.or", message: "must hold at least one condition" },
    ]);
    expect(errorsOf({ and: [{ field: "a", eq: 1 }], field: "x" })[0]?.message).toMatch(
      /only one of and, or, not/,
    );
    expect(errorsOf("a = 1")[0]).toMatchObject({
      field: "filter",
      message: "must be an object: a condition or a group",
    });
    expect(errorsOf({ field: "a", eq: { nested: 1 } })[0]).toMatchObject({ field: "filter.eq" });
    expect(errorsOf({ field: "a", in: [] })[0]).toMatchObject({ field: "filter.in" });
  });

  it("bounds depth, size, lists and strings", () => {
    let deep: PayloadFilter = { field: "a", eq: 1 };
    for (let i = 0; i <= FILTER_LIMITS.depth; i++) deep = { not: deep };
    expect(errorsOf(deep)[0]?.message).toMatch(/nests groups/);
    const many = {
      and: Array.from({ length: FILTER_LIMITS.conditions + 1 }, (_, i) => ({
        field: `f${i}`,
        eq: i,
      })),
    };
    expect(errorsOf(many)[0]?.message).toMatch(/conditions: at most/);
    expect(
      errorsOf({
        field: "a",
        in: Array.from({ length: FILTER_LIMITS.members + 1 }, (_, i) => i),
      })[0],
    ).toMatchObject({ field: "filter.in" });
    expect(
      errorsOf({ field: "a", eq: "x".repeat(FILTER_LIMITS.stringLength + 1) })[0],
    ).toMatchObject({ field: "filter.eq" });
  });
});

describe("the text form", () => {
  it("parses the documented examples", () => {
    expect(parseFilterText('customer.id = "cus_123"')).toEqual({
      field: "customer.id",
      eq: "cus_123",
    });
    expect(parseFilterText('amount > 0 and region in ["eu", "uk"] or not (test = true)')).toEqual({
      or: [
        {
          and: [
            { field: "amount", gt: 0 },
            { field: "region", in: ["eu", "uk"] },
          ],
        },
        { not: { field: "test", eq: true } },
      ],
    });
    expect(
      parseFilterText(
        'name starts with "acme" and meta.x not exists and y not in [1, null] and z != false',
      ),
    ).toEqual({
      and: [
        { field: "name", starts_with: "acme" },
        { field: "meta.x", exists: false },
        { field: "y", not_in: [1, null] },
        { field: "z", ne: false },
      ],
    });
  });

  it("says where the text is wrong", () => {
    const cases: Array<[string, RegExp, number]> = [
      ["a = ", /expected a value after "="/, 5],
      ["(a = 1", /expected "\)"/, 7],
      ["a = 1 b = 2", /expected "and", "or" or the end/, 7],
      ["a > true", /compares numbers or strings/, 3],
      ['"a" = 1', /expected a field/, 1],
      ["a = 1e999", /out of range/, 5],
      ['a = "unterminated', /unterminated/, 5],
      ["a ~ 1", /unexpected "~ 1"/, 3],
      // Escapes that spell what the database cannot hold, and strings over the JSON form's bound.
      ['a = "\\u0000"', /string must not contain NUL/, 5],
      ['a = 1 or b in ["x", "\\ud800"]', /string must not contain unpaired surrogates/, 21],
      ['a["k\\u0000"] = 1', /quoted key must not contain NUL/, 3],
      [`a = "${"x".repeat(1_025)}"`, /string must be at most 1024 characters/, 5],
    ];
    for (const [text, reason, at] of cases) {
      let error: unknown;
      try {
        parseFilterText(text);
      } catch (err) {
        error = err;
      }
      expect(error, text).toBeInstanceOf(FilterSyntaxError);
      expect((error as FilterSyntaxError).reason, text).toMatch(reason);
      expect((error as FilterSyntaxError).offset + 1, text).toBe(at);
    }
  });

  it("refuses, in the JSON form too, strings and keys the database cannot hold", () => {
    expect(errorsOf({ field: "a", eq: "x\u0000" })).toEqual([
      { field: "filter.eq", message: expect.stringMatching(/NUL/) },
    ]);
    expect(errorsOf({ field: 'a["\\ud800"]', eq: 1 })).toEqual([
      { field: "filter.field", message: expect.stringMatching(/unpaired surrogates/) },
    ]);
  });

  it("bounds nesting without recursing on deep input", () => {
    expect(() => parseFilterText("(".repeat(2_000) + "a = 1" + ")".repeat(2_000))).toThrow(
      /nested more than/,
    );
    expect(() => parseFilterText("not ".repeat(2_000) + "a = 1")).toThrow(/nested more than/);
    expect(() => parseFilterText("a = 1 ".padEnd(FILTER_LIMITS.textLength + 1, " "))).toThrow(
      /longer than/,
    );
  });

  it("counts depth as the JSON form does: `not (condition)` is one level, not two", () => {
    // Found by the property below (CI, seed -1768941456): 6 deep in JSON, 7 nestings in text.
    const filter: PayloadFilter = {
      not: {
        and: [
          { field: "a", in: [""] },
          {
            not: {
              not: {
                and: [{ field: "a", starts_with: "" }, { not: { field: "a", not_in: [""] } }],
              },
            },
          },
        ],
      },
    };
    expect(errorsOf(filter)).toEqual([]);
    const text = formatFilterText(filter);
    expect(formatFilterText(parseFilterText(text))).toBe(text);
    const tooDeep: PayloadFilter = { not: filter };
    expect(errorsOf(tooDeep)[0]?.message).toMatch(/nests groups 7 deep/);
    expect(() => parseFilterText(formatFilterText(tooDeep))).toThrow(/nested more than 6 deep/);
    expect(() => parseFilterText("((((a = 1))))")).not.toThrow();
  });

  it("writes any valid filter as text that parses back to a filter that validates and compiles the same", () => {
    fc.assert(
      fc.property(arbitraryFilter(), (filter) => {
        expect(errorsOf(filter)).toEqual([]);
        const text = formatFilterText(filter);
        const back = parseFilterText(text);
        expect(formatFilterText(back)).toBe(text);
        expect(filterToJsonPath(normalize(back))).toBe(filterToJsonPath(normalize(filter)));
      }),
      { numRuns: 500 },
    );
  });
});

/** Flattens single-member and nested same-kind groups, which the text form cannot tell apart. */
function normalize(node: PayloadFilter): PayloadFilter {
  if ("not" in node) return { not: normalize(node.not) };
  if ("and" in node || "or" in node) {
    const kind = "and" in node ? "and" : "or";
    const members = ("and" in node ? node.and : node.or)
      .map(normalize)
      .flatMap((m) => (kind in m ? (m as Record<string, PayloadFilter[]>)[kind]! : [m]));
    return members.length === 1 ? members[0]! : ({ [kind]: members } as PayloadFilter);
  }
  return { ...node, field: formatFieldPath(parseFieldPath(node.field)) };
}
