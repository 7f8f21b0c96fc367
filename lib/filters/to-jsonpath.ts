/**
 * Compiles a payload filter to one PostgreSQL jsonpath predicate (`payload @@ path`), the only
 * evaluator: fan-out, the catalog-example test and the log search all ask the database, so the
 * language has one meaning. Keys and strings are written as JSON string literals (jsonpath
 * shares their escapes), numbers as finite decimals; nothing from the filter is spliced in raw.
 *
 * jsonpath comparisons are three-valued: comparing across types (or against an absent field in
 * strict mode) is "unknown", which `!` keeps unknown. Under a negation each comparison is made
 * two-valued first (`!(C is unknown) && C`), so `not { amount > 0 }` matches `amount: "x"`
 * and a missing amount, as the docs say. Outside negations comparisons stay bare so GIN
 * (jsonb_path_ops) indexes can serve `==` conditions.
 */
import { parseFieldPath, type PathSegment } from "@/lib/filters/field-path";
import { operatorOf, type FilterValue, type PayloadFilter } from "@/lib/filters/payload-filter";

export function filterToJsonPath(filter: PayloadFilter): string {
  return compile(filter, false);
}

function compile(node: PayloadFilter, negated: boolean): string {
  if ("and" in node) return `(${node.and.map((n) => compile(n, negated)).join(" && ")})`;
  if ("or" in node) return `(${node.or.map((n) => compile(n, negated)).join(" || ")})`;
  if ("not" in node) return `!(${compile(node.not, true)})`;
  const path = jsonPathOf(parseFieldPath(node.field));
  const twoValued = (c: string) => `(!((${c}) is unknown) && ${c})`;
  const two = (c: string) => (negated ? twoValued(c) : c);
  const anyOf = (values: FilterValue[], under: (c: string) => string) =>
    `(${values.map((v) => under(`${path} == ${literal(v)}`)).join(" || ")})`;
  const op = operatorOf(node);
  switch (op) {
    case "eq":
      return two(`${path} == ${literal(node.eq!)}`);
    case "ne":
      return `!(${anyOf([node.ne!], twoValued)})`;
    case "in":
      return anyOf(node.in!, two);
    case "not_in":
      return `!(${anyOf(node.not_in!, twoValued)})`;
    case "exists":
      return node.exists ? `exists(${path})` : `!exists(${path})`;
    case "gt":
      return two(`${path} > ${literal(node.gt!)}`);
    case "gte":
      return two(`${path} >= ${literal(node.gte!)}`);
    case "lt":
      return two(`${path} < ${literal(node.lt!)}`);
    case "lte":
      return two(`${path} <= ${literal(node.lte!)}`);
    case "starts_with":
      return two(`${path} starts with ${literal(node.starts_with!)}`);
  }
}

function jsonPathOf(segments: readonly PathSegment[]): string {
  return (
    "$" + segments.map((s) => (typeof s === "number" ? `[${s}]` : `.${JSON.stringify(s)}`)).join("")
  );
}

function literal(value: FilterValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error("A filter number must be finite");
    // jsonpath reads plain decimals and exponents without "+".
    return String(value).replace("e+", "e");
  }
  return String(value);
}
