/**
 * What PostgreSQL can store, checked before it is asked to: text without NUL, well-formed
 * Unicode (no unpaired UTF-16 surrogates), JSON of bounded depth, and instants in years
 * 0001-9999. Valid JSON that breaks one of these rules is refused with a 4xx naming the field
 * (storing it lossily would change a producer's data behind its back).
 */
import type { FieldError } from "@/lib/http/errors";

export const MAX_JSON_DEPTH = 128;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MIN_INSTANT = new Date("0001-01-01T00:00:00Z").getTime();
const MAX_INSTANT = new Date("9999-12-31T23:59:59.999Z").getTime();

export const NUL_MESSAGE = "must not contain NUL (\\u0000) characters";
export const SURROGATE_MESSAGE =
  "must not contain unpaired surrogates (\\ud800-\\udfff): not valid Unicode";

/** Why a string cannot be stored as text, or null when it can. */
export function textProblem(value: string): string | null {
  if (value.includes("\0")) return NUL_MESSAGE;
  // Native where available (Node 20+): this runs on every string of every request body.
  const wellFormed =
    (value as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !LONE_SURROGATE.test(value);
  if (!wellFormed) return SURROGATE_MESSAGE;
  return null;
}

/** For zod `.refine`: text PostgreSQL can store. */
export function isStorableText(value: string): boolean {
  return textProblem(value) === null;
}

/** For zod `.refine`: an instant PostgreSQL's timestamptz can store (years 0001-9999). */
export function isStorableInstant(value: Date): boolean {
  const t = value.getTime();
  return Number.isFinite(t) && t >= MIN_INSTANT && t <= MAX_INSTANT;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Field errors for every string (value or key) that cannot be stored, and for nesting deeper
 * than MAX_JSON_DEPTH. Iterative, so a deep document cannot overflow the stack; at most
 * `limit` errors.
 */
export function jsonProblems(value: unknown, root = "", limit = 20): FieldError[] {
  const out: FieldError[] = [];
  const stack: Array<{ node: unknown; path: string; depth: number }> = [
    { node: value, path: root, depth: 0 },
  ];
  while (stack.length && out.length < limit) {
    const { node, path, depth } = stack.pop()!;
    const field = path || "(body)";
    if (typeof node === "string") {
      const problem = textProblem(node);
      if (problem) out.push({ field, message: problem });
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    if (depth >= MAX_JSON_DEPTH) {
      out.push({ field, message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      continue;
    }
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--)
        stack.push({ node: node[i], path: join(path, i), depth: depth + 1 });
      continue;
    }
    for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
      const problem = textProblem(key);
      if (problem) {
        out.push({ field, message: `has a key that ${problem}` });
        continue;
      }
      stack.push({ node: child, path: join(path, key), depth: depth + 1 });
    }
  }
  return out;
}
