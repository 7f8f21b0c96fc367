/**
 * The payload filter language: a small JSON condition over an event's payload, used by endpoint
 * filters (evaluated at fan-out) and by the delivery log's payload search. Documented in
 * docs/filters.md. A filter is a condition or a group:
 *
 *   { "field": "amount", "gt": 0 }
 *   { "and": [ { "field": "region", "in": ["eu", "uk"] }, { "not": { "field": "test", "eq": true } } ] }
 *
 * It is bounded (depth, conditions, list and string sizes) and compiled to one PostgreSQL
 * jsonpath predicate (to-jsonpath.ts), evaluated by the database in time linear in the filter
 * and the payload.
 */
import { z } from "zod";
import { MAX_PATH_LENGTH, parseFieldPath, PathSyntaxError } from "@/lib/filters/field-path";
import { textProblem } from "@/lib/http/storable";

export type FilterValue = string | number | boolean | null;

/** One comparison of the value at `field`. Exactly one operator per condition. */
export interface FilterCondition {
  field: string;
  eq?: FilterValue;
  ne?: FilterValue;
  in?: FilterValue[];
  not_in?: FilterValue[];
  exists?: boolean;
  gt?: number | string;
  gte?: number | string;
  lt?: number | string;
  lte?: number | string;
  starts_with?: string;
}

export type PayloadFilter =
  FilterCondition | { and: PayloadFilter[] } | { or: PayloadFilter[] } | { not: PayloadFilter };

export const FILTER_OPERATORS = [
  "eq",
  "ne",
  "in",
  "not_in",
  "exists",
  "gt",
  "gte",
  "lt",
  "lte",
  "starts_with",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export const FILTER_LIMITS = {
  /** Groups (and / or / not) inside one another. */
  depth: 6,
  /** Conditions in the whole filter. */
  conditions: 32,
  /** Members of one and / or group, and values of one in / not_in list. */
  members: 100,
  /** Characters of one string value. */
  stringLength: 1024,
  /** Characters of the text form. */
  textLength: 8192,
} as const;

const stringValue = z
  .string()
  .max(FILTER_LIMITS.stringLength, `must be at most ${FILTER_LIMITS.stringLength} characters`)
  .superRefine((value, ctx) => {
    const problem = textProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const scalar = z.union([stringValue, z.number(), z.boolean(), z.null()], {
  message: "must be a string, number, boolean or null",
});
const ordered = z.union([z.number(), stringValue], { message: "must be a number or a string" });
const valueList = z
  .array(scalar)
  .min(1, "must list at least one value")
  .max(FILTER_LIMITS.members, `must list at most ${FILTER_LIMITS.members} values`);

const fieldPath = z
  .string()
  .max(MAX_PATH_LENGTH, `must be at most ${MAX_PATH_LENGTH} characters`)
  .superRefine((value, ctx) => {
    try {
      parseFieldPath(value);
    } catch (err) {
      if (!(err instanceof PathSyntaxError)) throw err;
      ctx.addIssue({ code: "custom", message: `${err.message} (at character ${err.offset + 1})` });
    }
  })
  .describe('Path into the payload: `customer.id`, `items[0].sku`, `meta["a.b"]`.');

const GROUP_KEYS = ["and", "or", "not"] as const;

const members = () =>
  z
    .array(payloadFilterNode)
    .min(1, "must hold at least one condition")
    .max(FILTER_LIMITS.members, `must hold at most ${FILTER_LIMITS.members} conditions`);

/**
 * One object shape for conditions and groups (not a union): validation errors then name the
 * exact part that is wrong (`filter.and[1].gt`) instead of "matches no alternative".
 */
const payloadFilterNode: z.ZodType<PayloadFilter> = z
  .lazy(() =>
    z
      .strictObject(
        {
          field: fieldPath.optional(),
          eq: scalar
            .optional()
            .describe("Equal to (an array field matches when any element does)."),
          ne: scalar.optional().describe("Missing or not equal."),
          in: valueList.optional().describe("Equal to one of these."),
          not_in: valueList.optional().describe("Missing or equal to none of these."),
          exists: z
            .boolean()
            .optional()
            .describe("Present (even if null) when true; absent when false."),
          gt: ordered.optional(),
          gte: ordered.optional(),
          lt: ordered.optional(),
          lte: ordered.optional(),
          starts_with: stringValue.optional().describe("A string starting with this prefix."),
          and: members().optional().describe("Every member matches."),
          or: members().optional().describe("At least one member matches."),
          not: payloadFilterNode.optional().describe("The member does not match."),
        },
        {
          error: (issue) =>
            issue.code === "invalid_type" ? "must be an object: a condition or a group" : undefined,
        },
      )
      .superRefine((value, ctx) => {
        const keys = Object.keys(value).filter(
          (k) => (value as Record<string, unknown>)[k] !== undefined,
        );
        const groups = GROUP_KEYS.filter((k) => keys.includes(k));
        if (groups.length > 0) {
          if (keys.length > 1)
            ctx.addIssue({
              code: "custom",
              message: `a group holds only one of and, or, not (found ${keys.join(", ")})`,
            });
          return;
        }
        if (value.field === undefined) {
          ctx.addIssue({
            code: "custom",
            message:
              'must be a condition ({ "field", <operator> }) or a group ({ "and": [...] }, { "or": [...] }, { "not": {...} })',
          });
          return;
        }
        const given = FILTER_OPERATORS.filter((op) => keys.includes(op));
        if (given.length !== 1) {
          ctx.addIssue({
            code: "custom",
            message:
              given.length === 0
                ? `needs one operator: ${FILTER_OPERATORS.join(", ")}`
                : `has ${given.length} operators (${given.join(", ")}): use "and" to combine them`,
          });
        }
      })
      .describe(
        'A condition `{ "field", <one operator> }` or a group: `{ "and": [...] }`, `{ "or": [...] }`, `{ "not": {...} }`.',
      ),
  )
  .meta({ id: "PayloadFilter" }) as unknown as z.ZodType<PayloadFilter>;

/** A filter in its JSON form, with the language's size and depth bounds. */
export const payloadFilter = payloadFilterNode
  .superRefine((filter, ctx) => {
    const size = measureFilter(filter);
    if (size.depth > FILTER_LIMITS.depth)
      ctx.addIssue({
        code: "custom",
        message: `nests groups ${size.depth} deep: at most ${FILTER_LIMITS.depth}`,
      });
    if (size.conditions > FILTER_LIMITS.conditions)
      ctx.addIssue({
        code: "custom",
        message: `has ${size.conditions} conditions: at most ${FILTER_LIMITS.conditions}`,
      });
  })
  .describe("A condition on the payload (see docs/filters.md).");

/** Group depth and condition count, iteratively (the depth bound is checked after parsing). */
export function measureFilter(filter: PayloadFilter): { depth: number; conditions: number } {
  let depth = 0;
  let conditions = 0;
  const stack: Array<[PayloadFilter, number]> = [[filter, 0]];
  while (stack.length) {
    const [node, level] = stack.pop()!;
    depth = Math.max(depth, level);
    // Defensive about shape: the bounds are also checked on input that failed validation.
    if (!node || typeof node !== "object") continue;
    if ("not" in node && node.not) stack.push([node.not, level + 1]);
    const list = "and" in node ? node.and : "or" in node ? node.or : null;
    if (Array.isArray(list)) for (const child of list) stack.push([child, level + 1]);
    else if ("field" in node) conditions++;
  }
  return { depth, conditions };
}

/** The operator a condition uses (validation guarantees there is exactly one). */
export function operatorOf(condition: FilterCondition): FilterOperator {
  const op = FILTER_OPERATORS.find((o) => condition[o] !== undefined);
  if (!op) throw new Error("A filter condition without an operator passed validation");
  return op;
}
