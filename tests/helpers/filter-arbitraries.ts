/** fast-check generators of payload filters and payloads over a small shared vocabulary. */
import fc from "fast-check";
import type { FilterValue, PayloadFilter } from "@/lib/filters/payload-filter";

export const KEYS = ["a", "b", "and", "x.y"] as const;
const strings = fc.constantFrom("", "x", "xy", "y", "é", 'q"uote');
const numbers = fc.constantFrom(-2, -0.5, 0, 1, 2, 10);
export const scalar: fc.Arbitrary<FilterValue> = fc.oneof(
  strings,
  numbers,
  fc.boolean(),
  fc.constant(null),
);

const path = fc
  .array(fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 3 })
  .map((segments) => {
    const text = segments
      .map((s, i) =>
        typeof s === "number"
          ? `[${s}]`
          : /^[a-z]+$/.test(s) && !(i === 0 && s === "and")
            ? i === 0
              ? s
              : `.${s}`
            : `[${JSON.stringify(s)}]`,
      )
      .join("");
    return text.startsWith("[") && /^\[\d/.test(text) ? `a${text}` : text;
  });

const condition: fc.Arbitrary<PayloadFilter> = fc.oneof(
  fc.record({ field: path, eq: scalar }),
  fc.record({ field: path, ne: scalar }),
  fc.record({ field: path, in: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ field: path, not_in: fc.array(scalar, { minLength: 1, maxLength: 3 }) }),
  fc.record({ field: path, exists: fc.boolean() }),
  fc.record({ field: path, gt: fc.oneof(numbers, strings) }),
  fc.record({ field: path, gte: fc.oneof(numbers, strings) }),
  fc.record({ field: path, lt: fc.oneof(numbers, strings) }),
  fc.record({ field: path, lte: fc.oneof(numbers, strings) }),
  fc.record({ field: path, starts_with: strings }),
);

export function arbitraryFilter(): fc.Arbitrary<PayloadFilter> {
  const { node } = fc.letrec<{ node: PayloadFilter }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      condition,
      fc.record({ and: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ or: fc.array(tie("node"), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie("node") }),
    ),
  }));
  return node.filter((f) => {
    let depth = 0;
    let conditions = 0;
    const walk = (n: PayloadFilter, level: number) => {
      depth = Math.max(depth, level);
      if ("not" in n) walk(n.not, level + 1);
      else if ("and" in n || "or" in n)
        for (const m of "and" in n ? n.and : n.or) walk(m, level + 1);
      else conditions++;
    };
    walk(f, 0);
    return depth <= 6 && conditions <= 32;
  });
}

/** Payloads over the same keys: scalars, arrays of scalars, objects, arrays of objects. */
export function arbitraryPayload(): fc.Arbitrary<Record<string, unknown>> {
  const { obj } = fc.letrec<{ obj: Record<string, unknown>; value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(scalar, { maxLength: 3 }),
      tie("obj"),
      fc.array(tie("obj"), { maxLength: 2 }),
    ),
    obj: fc.dictionary(fc.constantFrom(...KEYS), tie("value"), { maxKeys: 3 }) as fc.Arbitrary<
      Record<string, unknown>
    >,
  }));
  return obj;
}
