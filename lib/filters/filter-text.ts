/**
 * The text form of payload filters, for search boxes and the portal's filter editor:
 *
 *   customer.id = "cus_123" and amount > 0
 *   region in ["eu", "uk"] or not (test = true)
 *   metadata.source exists and name starts with "acme"
 *
 * Operators: `=` (or `==`), `!=`, `>`, `>=`, `<`, `<=`, `in [..]`, `not in [..]`, `exists`,
 * `not exists`, `starts with`; `not` binds tighter than `and`, which binds tighter than `or`;
 * parentheses group. Strings are JSON strings ("..."). It parses to the JSON form (one
 * meaning), and `formatFilterText` writes the JSON form back as text. One pass over the text,
 * parentheses and `not`s nested at most NESTING_BOUND deep, so parsing is linear; the group
 * depth of the result is then held to FILTER_LIMITS.depth, as the JSON form is.
 */
import {
  formatFieldPath,
  PathSyntaxError,
  quotedEnd,
  readFieldPath,
} from "@/lib/filters/field-path";
import { textProblem } from "@/lib/http/storable";
import {
  FILTER_LIMITS,
  measureFilter,
  operatorOf,
  type FilterCondition,
  type FilterValue,
  type PayloadFilter,
} from "@/lib/filters/payload-filter";

export class FilterSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** Zero-based offset into the text. */
    readonly offset: number,
  ) {
    super(`${reason} (at character ${offset + 1})`);
  }
}

type Token =
  | { kind: "word"; text: string; at: number }
  | { kind: "path"; text: string; at: number }
  | { kind: "string"; value: string; at: number }
  | { kind: "number"; value: number; at: number }
  | { kind: "punct"; text: string; at: number }
  | { kind: "end"; at: number };

const KEYWORDS = new Set([
  "and",
  "or",
  "not",
  "in",
  "exists",
  "starts",
  "with",
  "true",
  "false",
  "null",
]);
const NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/;
const COMPARATORS = ["==", "!=", ">=", "<=", "=", ">", "<"] as const;
/** `not (a = 1)` takes two nestings for one group level, and redundant parentheses add more. */
const NESTING_BOUND = 2 * FILTER_LIMITS.depth + 2;
const TOO_DEEP = `groups nested more than ${FILTER_LIMITS.depth} deep`;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const ch = text[at]!;
    if (/\s/.test(ch)) {
      at++;
      continue;
    }
    const rest = text.slice(at);
    if (ch === '"') {
      const end = quotedEnd(text, at);
      if (end < 0)
        throw new FilterSyntaxError(
          "unterminated or malformed string (strings are JSON strings in double quotes)",
          at,
        );
      const value = JSON.parse(text.slice(at, end + 1)) as string;
      const problem =
        value.length > FILTER_LIMITS.stringLength
          ? `must be at most ${FILTER_LIMITS.stringLength} characters`
          : textProblem(value);
      if (problem) throw new FilterSyntaxError(`the string ${problem}`, at);
      tokens.push({ kind: "string", value, at });
      at = end + 1;
      continue;
    }
    const number = /[-0-9]/.test(ch) ? NUMBER.exec(rest) : null;
    if (number) {
      if (!Number.isFinite(Number(number[0])))
        throw new FilterSyntaxError("number out of range", at);
      tokens.push({ kind: "number", value: Number(number[0]), at });
      at += number[0].length;
      continue;
    }
    const comparator = COMPARATORS.find((c) => rest.startsWith(c));
    if (comparator) {
      tokens.push({ kind: "punct", text: comparator, at });
      at += comparator.length;
      continue;
    }
    if ("()[],".includes(ch) && !(ch === "[" && rest.startsWith('["') && startsPath(tokens))) {
      tokens.push({ kind: "punct", text: ch, at });
      at++;
      continue;
    }
    // A field path (or a keyword): identifiers with dots and brackets, read by the path reader.
    try {
      const { length } = readFieldPath(rest);
      const word = rest.slice(0, length);
      tokens.push(
        KEYWORDS.has(word) ? { kind: "word", text: word, at } : { kind: "path", text: word, at },
      );
      at += length;
    } catch (err) {
      if (!(err instanceof PathSyntaxError)) throw err;
      throw new FilterSyntaxError(
        `unexpected "${rest.slice(0, 12)}": ${err.message}`,
        at + err.offset,
      );
    }
  }
  tokens.push({ kind: "end", at: text.length });
  return tokens;
}

/** A `["key"]` path may open a condition: where a condition can start (not after a comparator). */
function startsPath(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1];
  if (!last) return true;
  if (last.kind === "word") return ["and", "or", "not"].includes(last.text);
  return last.kind === "punct" && last.text === "(";
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): PayloadFilter {
    const filter = this.or(0);
    const next = this.peek();
    if (next.kind !== "end")
      throw new FilterSyntaxError(
        `expected "and", "or" or the end, found ${describe(next)}`,
        next.at,
      );
    return filter;
  }

  private peek(): Token {
    return this.tokens[this.i]!;
  }

  private take(): Token {
    return this.tokens[this.i++]!;
  }

  private isWord(text: string, offset = 0): boolean {
    const t = this.tokens[this.i + offset];
    return t?.kind === "word" && t.text === text;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.text === text;
  }

  private expectPunct(text: string, what: string): void {
    const t = this.take();
    if (t.kind !== "punct" || t.text !== text)
      throw new FilterSyntaxError(`expected "${text}" ${what}, found ${describe(t)}`, t.at);
  }

  private group(
    kind: "and" | "or",
    depth: number,
    member: (depth: number) => PayloadFilter,
  ): PayloadFilter {
    const first = member(depth);
    if (!this.isWord(kind)) return first;
    const members = [first];
    while (this.isWord(kind)) {
      this.take();
      members.push(member(depth));
      if (members.length > FILTER_LIMITS.members)
        throw new FilterSyntaxError(
          `more than ${FILTER_LIMITS.members} conditions joined by "${kind}"`,
          this.peek().at,
        );
    }
    return kind === "and" ? { and: members } : { or: members };
  }

  private or(depth: number): PayloadFilter {
    if (depth > NESTING_BOUND) throw new FilterSyntaxError(TOO_DEEP, this.peek().at);
    return this.group("or", depth, (d) => this.group("and", d, (dd) => this.unary(dd)));
  }

  private unary(depth: number): PayloadFilter {
    if (this.isWord("not")) {
      const at = this.take().at;
      if (depth + 1 > NESTING_BOUND) throw new FilterSyntaxError(TOO_DEEP, at);
      return { not: this.unary(depth + 1) };
    }
    if (this.isPunct("(")) {
      this.take();
      const inner = this.or(depth + 1);
      this.expectPunct(")", "to close the group");
      return inner;
    }
    return this.condition();
  }

  private condition(): FilterCondition {
    const start = this.take();
    if (start.kind !== "path")
      throw new FilterSyntaxError(
        `expected a field (like customer.id), found ${describe(start)}`,
        start.at,
      );
    const field = start.text;
    const op = this.take();
    if (op.kind === "punct" && (COMPARATORS as readonly string[]).includes(op.text)) {
      const value = this.value(`after "${op.text}"`);
      switch (op.text) {
        case "=":
        case "==":
          return { field, eq: value };
        case "!=":
          return { field, ne: value };
      }
      if (typeof value !== "number" && typeof value !== "string")
        throw new FilterSyntaxError(`"${op.text}" compares numbers or strings`, op.at);
      const key = ({ ">": "gt", ">=": "gte", "<": "lt", "<=": "lte" } as const)[
        op.text as ">" | ">=" | "<" | "<="
      ];
      return { field, [key]: value };
    }
    if (op.kind === "word") {
      if (op.text === "in") return { field, in: this.list() };
      if (op.text === "exists") return { field, exists: true };
      if (op.text === "not" && this.isWord("in")) {
        this.take();
        return { field, not_in: this.list() };
      }
      if (op.text === "not" && this.isWord("exists")) {
        this.take();
        return { field, exists: false };
      }
      if (op.text === "starts" && this.isWord("with")) {
        this.take();
        const prefix = this.take();
        if (prefix.kind !== "string")
          throw new FilterSyntaxError(
            `expected a string after "starts with", found ${describe(prefix)}`,
            prefix.at,
          );
        return { field, starts_with: prefix.value };
      }
    }
    throw new FilterSyntaxError(
      `expected an operator after ${field} (=, !=, >, >=, <, <=, in, not in, exists, not exists, starts with), found ${describe(op)}`,
      op.at,
    );
  }

  private value(where: string): FilterValue {
    const t = this.take();
    if (t.kind === "string" || t.kind === "number") return t.value;
    if (t.kind === "word" && t.text === "true") return true;
    if (t.kind === "word" && t.text === "false") return false;
    if (t.kind === "word" && t.text === "null") return null;
    throw new FilterSyntaxError(
      `expected a value ${where} (a "string", a number, true, false or null), found ${describe(t)}`,
      t.at,
    );
  }

  private list(): FilterValue[] {
    this.expectPunct("[", "to open the list");
    const values = [this.value("in the list")];
    while (this.isPunct(",")) {
      this.take();
      values.push(this.value("in the list"));
      if (values.length > FILTER_LIMITS.members)
        throw new FilterSyntaxError(
          `a list of more than ${FILTER_LIMITS.members} values`,
          this.peek().at,
        );
    }
    this.expectPunct("]", "to close the list");
    return values;
  }
}

function describe(t: Token): string {
  switch (t.kind) {
    case "end":
      return "the end";
    case "string":
      return JSON.stringify(t.value);
    case "number":
      return String(t.value);
    default:
      return `"${t.text}"`;
  }
}

/** Parses the text form; throws FilterSyntaxError naming the place. */
export function parseFilterText(text: string): PayloadFilter {
  if (text.length > FILTER_LIMITS.textLength)
    throw new FilterSyntaxError(
      `is longer than ${FILTER_LIMITS.textLength} characters`,
      FILTER_LIMITS.textLength,
    );
  if (text.trim() === "") throw new FilterSyntaxError("is empty", 0);
  const filter = new Parser(tokenize(text)).parse();
  const { depth, conditions } = measureFilter(filter);
  if (depth > FILTER_LIMITS.depth) throw new FilterSyntaxError(TOO_DEEP, 0);
  if (conditions > FILTER_LIMITS.conditions)
    throw new FilterSyntaxError(
      `has ${conditions} conditions: at most ${FILTER_LIMITS.conditions}`,
      0,
    );
  return filter;
}

/** The JSON form written as text; parsing the result gives a filter with the same meaning. */
export function formatFilterText(filter: PayloadFilter): string {
  return format(filter, "or");
}

function format(node: PayloadFilter, context: "or" | "and" | "not"): string {
  if ("and" in node || "or" in node) {
    const kind = "and" in node ? "and" : "or";
    const members = "and" in node ? node.and : node.or;
    if (members.length === 1) return format(members[0]!, context);
    const text = members.map((m) => format(m, kind)).join(` ${kind} `);
    const bare = context === "or" || (context === "and" && kind === "and");
    return bare ? text : `(${text})`;
  }
  if ("not" in node) return `not ${format(node.not, "not")}`;
  const text = formatCondition(node);
  return context === "not" ? `(${text})` : text;
}

function formatCondition(c: FilterCondition): string {
  const field = formatFieldPath(readFieldPath(c.field).segments);
  const v = (value: FilterValue) =>
    typeof value === "string" ? JSON.stringify(value) : String(value);
  const op = operatorOf(c);
  switch (op) {
    case "eq":
      return `${field} = ${v(c.eq!)}`;
    case "ne":
      return `${field} != ${v(c.ne!)}`;
    case "in":
      return `${field} in [${c.in!.map(v).join(", ")}]`;
    case "not_in":
      return `${field} not in [${c.not_in!.map(v).join(", ")}]`;
    case "exists":
      return c.exists ? `${field} exists` : `${field} not exists`;
    case "starts_with":
      return `${field} starts with ${v(c.starts_with!)}`;
    default:
      return `${field} ${{ gt: ">", gte: ">=", lt: "<", lte: "<=" }[op]} ${v(c[op]!)}`;
  }
}
