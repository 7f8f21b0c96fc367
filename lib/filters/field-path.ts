/**
 * Field paths of the payload filter language: `customer.id`, `items[0].sku`, `meta["a.b"]`.
 * A path names keys (dot-separated identifiers, or quoted in brackets) and array positions.
 * Shared by the JSON form (`field`), the text form and the compiler, so all three agree.
 */
import { textProblem } from "@/lib/http/storable";

export type PathSegment = string | number;

export const MAX_PATH_SEGMENTS = 16;
export const MAX_PATH_LENGTH = 256;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;

export class PathSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset into the path text where the problem is. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/**
 * Reads one path at the start of `text` (the text form continues after it). Returns the
 * segments and how many characters were read.
 */
export function readFieldPath(text: string): { segments: PathSegment[]; length: number } {
  const segments: PathSegment[] = [];
  let at = 0;
  const first = IDENTIFIER.exec(text);
  if (first) {
    segments.push(first[0]);
    at = first[0].length;
  } else if (!text.startsWith("[")) {
    throw new PathSyntaxError(
      "expected a field name (letters, digits, _ $ -) or a quoted key in brackets",
      0,
    );
  }
  for (;;) {
    const rest = text.slice(at);
    if (rest.startsWith(".")) {
      const key = IDENTIFIER.exec(rest.slice(1));
      if (!key) throw new PathSyntaxError('expected a field name after "."', at + 1);
      segments.push(key[0]);
      at += 1 + key[0].length;
    } else if (rest.startsWith('["')) {
      const end = quotedEnd(rest, 1);
      if (end < 0 || rest[end + 1] !== "]")
        throw new PathSyntaxError('expected a quoted key and "]"', at + 1);
      const key = JSON.parse(rest.slice(1, end + 1)) as string;
      // An escape can spell what the database cannot hold (NUL, a lone surrogate): refused here, not by the database.
      const problem = textProblem(key);
      if (problem) throw new PathSyntaxError(`the quoted key ${problem}`, at + 1);
      segments.push(key);
      at += end + 2;
    } else if (rest.startsWith("[")) {
      const index = INDEX.exec(rest);
      if (!index)
        throw new PathSyntaxError(
          "expected an array position (a whole number) or a quoted key in brackets",
          at + 1,
        );
      segments.push(Number(index[1]));
      at += index[0].length;
    } else {
      break;
    }
    if (segments.length > MAX_PATH_SEGMENTS)
      throw new PathSyntaxError(`has more than ${MAX_PATH_SEGMENTS} parts`, at);
  }
  if (at > MAX_PATH_LENGTH)
    throw new PathSyntaxError(`is longer than ${MAX_PATH_LENGTH} characters`, 0);
  return { segments, length: at };
}

/** The index of the closing quote of the JSON string starting at `start`, or -1. */
export function quotedEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') {
      try {
        JSON.parse(text.slice(start, i + 1));
        return i;
      } catch {
        return -1;
      }
    }
  }
  return -1;
}

/** A whole path (the JSON form's `field`); throws PathSyntaxError. */
export function parseFieldPath(text: string): PathSegment[] {
  const { segments, length } = readFieldPath(text);
  if (length !== text.length)
    throw new PathSyntaxError(`unexpected "${text.slice(length, length + 10)}"`, length);
  return segments;
}

/** The canonical spelling: identifiers dotted, other keys quoted in brackets. */
export function formatFieldPath(segments: readonly PathSegment[]): string {
  return segments
    .map((s, i) => {
      if (typeof s === "number") return `[${s}]`;
      if (isPlainKey(s) && !(i === 0 && RESERVED_WORDS.has(s))) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join("");
}

const isPlainKey = (key: string) => IDENTIFIER.exec(key)?.[0] === key;

/** Words of the text form; a path starting with one is written `["and"]` so it reads as a field. */
export const RESERVED_WORDS = new Set([
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
