/**
 * The filter language means what docs/filters.md says: random filters over random payloads,
 * evaluated by PostgreSQL through the compiled jsonpath, against a reference written from the
 * documentation (this file's `matches`).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { arbitraryFilter, arbitraryPayload } from "../helpers/filter-arbitraries";
import { parseFieldPath, type PathSegment } from "@/lib/filters/field-path";
import { parseFilterText } from "@/lib/filters/filter-text";
import type { FilterValue, PayloadFilter } from "@/lib/filters/payload-filter";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";

const db = useTestDatabase();

/** Values at a path: an array on the way is looked into (any element), a position on a non-array is the value itself. */
function valuesAt(payload: unknown, path: readonly PathSegment[]): unknown[] {
  let items: unknown[] = [payload];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const item of items) {
      if (typeof segment === "number") {
        if (Array.isArray(item)) {
          if (segment < item.length) next.push(item[segment]);
        } else if (segment === 0) next.push(item);
      } else {
        for (const candidate of Array.isArray(item) ? item : [item]) {
          if (
            candidate &&
            typeof candidate === "object" &&
            !Array.isArray(candidate) &&
            Object.hasOwn(candidate, segment)
          )
            next.push((candidate as Record<string, unknown>)[segment]);
        }
      }
    }
    items = next;
  }
  return items;
}

/** Compared values: an array field is compared element by element. */
const compared = (payload: unknown, field: string) =>
  valuesAt(payload, parseFieldPath(field)).flatMap((v) => (Array.isArray(v) ? v : [v]));
const sameType = (a: unknown, b: unknown) =>
  a === null ? b === null : typeof a === typeof b && typeof a !== "object";
const equal = (a: unknown, b: FilterValue) => sameType(a, b) && a === b;
const codepoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
function order(a: unknown, b: number | string): number | null {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") {
    const x = codepoints(a);
    const y = codepoints(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  }
  return null;
}

function matches(filter: PayloadFilter, payload: unknown): boolean {
  if ("and" in filter) return filter.and.every((f) => matches(f, payload));
  if ("or" in filter) return filter.or.some((f) => matches(f, payload));
  if ("not" in filter) return !matches(filter.not, payload);
  const values = compared(payload, filter.field);
  const cmp = (bound: number | string, ok: (d: number) => boolean) =>
    values.some((v) => {
      const d = order(v, bound);
      return d !== null && ok(d);
    });
  if (filter.eq !== undefined) return values.some((v) => equal(v, filter.eq!));
  if (filter.ne !== undefined) return !values.some((v) => equal(v, filter.ne!));
  if (filter.in !== undefined) return values.some((v) => filter.in!.some((x) => equal(v, x)));
  if (filter.not_in !== undefined)
    return !values.some((v) => filter.not_in!.some((x) => equal(v, x)));
  if (filter.exists !== undefined)
    return valuesAt(payload, parseFieldPath(filter.field)).length > 0 === filter.exists;
  if (filter.gt !== undefined) return cmp(filter.gt, (d) => d > 0);
  if (filter.gte !== undefined) return cmp(filter.gte, (d) => d >= 0);
  if (filter.lt !== undefined) return cmp(filter.lt, (d) => d < 0);
  if (filter.lte !== undefined) return cmp(filter.lte, (d) => d <= 0);
  return values.some((v) => typeof v === "string" && v.startsWith(filter.starts_with!));
}

async function evaluate(filter: PayloadFilter, payloads: unknown[]): Promise<boolean[]> {
  const { rows } = await db().pool.query<{ m: boolean | null }>(
    "SELECT p @@ $2::jsonpath AS m FROM unnest($1::jsonb[]) WITH ORDINALITY AS u(p, n) ORDER BY n",
    [payloads.map((p) => JSON.stringify(p)), filterToJsonPath(filter)],
  );
  return rows.map((r) => r.m === true);
}

describe("payload filter semantics", () => {
  it("matches the documented examples", async () => {
    const payloads = [
      { customer: { id: "cus_123" }, amount: 100, region: "eu", tags: ["vip", "new"] },
      { customer: { id: "cus_456" }, amount: 0, region: "us", test: true },
      { amount: "12", region: null },
      {
        items: [
          { sku: "a-1", qty: 2 },
          { sku: "b-2", qty: 0 },
        ],
      },
    ];
    const cases: Array<[string, boolean[]]> = [
      ['customer.id = "cus_123"', [true, false, false, false]],
      ["amount > 0", [true, false, false, false]],
      ["not (amount > 0)", [false, true, true, true]],
      ["amount != 100", [false, true, true, true]],
      ['region in ["eu", "uk"]', [true, false, false, false]],
      ['region not in ["eu"]', [false, true, true, true]],
      ["region exists", [true, true, true, false]],
      ["test not exists", [true, false, true, true]],
      ['tags = "vip"', [true, false, false, false]],
      ['items.sku starts with "b"', [false, false, false, true]],
      ['items[0].sku = "a-1" and items.qty > 1', [false, false, false, true]],
      ["region = null", [false, false, true, false]],
      ["amount > 0 or test = true", [true, true, false, false]],
    ];
    for (const [text, expected] of cases) {
      const filter = parseFilterText(text);
      expect(await evaluate(filter, payloads), text).toEqual(expected);
      expect(
        payloads.map((p) => matches(filter, p)),
        `reference: ${text}`,
      ).toEqual(expected);
    }
  });

  it("agrees with the reference on random filters and payloads", async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryFilter(),
        fc.array(arbitraryPayload(), { minLength: 1, maxLength: 8 }),
        async (filter, payloads) => {
          const got = await evaluate(filter, payloads);
          expect(got, `${filterToJsonPath(filter)} over ${JSON.stringify(payloads)}`).toEqual(
            payloads.map((p) => matches(filter, p)),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});
