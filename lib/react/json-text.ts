/**
 * JSON as text, for payloads kept in their producer's order: `JSON.parse` puts an object's
 * integer-like keys ("2", "10") first whatever their place in the text, so where order matters
 * the text is carried beside (or instead of) the parsed value. Plain functions, no imports: the
 * browser's hooks (payload-source.ts) and the server (lib/events/payload-text.ts, the answers of
 * lib/http/route.ts) share them.
 */

export interface Member {
  path: (string | number)[];
  start: number;
  end: number;
}

/**
 * Where each member called `name` starts and ends in valid JSON text, at any depth or only in the
 * first `maxDepth` levels (deeper values are skipped by counting brackets: a large payload costs
 * one pass and no allocation per member).
 */
export function membersNamed(text: string, name: string, maxDepth = Infinity): Member[] {
  const found: Member[] = [];
  let i = 0;
  const skipSpace = () => {
    while (isSpace(text.charCodeAt(i))) i++;
  };
  const inText = () => {
    if (i >= text.length) throw new Error("not valid JSON");
    return true;
  };
  const skipString = () => {
    i = stringEnd(text, i) + 1;
  };
  const readKey = (): string => {
    const start = i;
    skipString();
    return stringAt(text, start, i - 1);
  };
  const skipValue = () => {
    let depth = 0;
    do {
      const ch = text[i];
      if (ch === '"') {
        skipString();
        continue;
      }
      if (ch === "{" || ch === "[") depth++;
      else if (ch === "}" || ch === "]") depth--;
      i++;
    } while (depth > 0 && inText());
  };
  const value = (path: (string | number)[]): void => {
    skipSpace();
    const ch = text[i];
    if ((ch === "{" || ch === "[") && path.length >= maxDepth) skipValue();
    else if (ch === "{") {
      i++;
      skipSpace();
      while (inText() && text[i] !== "}") {
        skipSpace();
        const key = readKey();
        skipSpace();
        i++; // ':'
        skipSpace();
        const start = i;
        value([...path, key]);
        if (key === name) found.push({ path: [...path, key], start, end: i });
        skipSpace();
        if (text[i] === ",") i++;
        skipSpace();
      }
      i++;
    } else if (ch === "[") {
      i++;
      skipSpace();
      for (let n = 0; inText() && text[i] !== "]"; n++) {
        value([...path, n]);
        skipSpace();
        if (text[i] === ",") i++;
        skipSpace();
      }
      i++;
    } else if (ch === '"') skipString();
    else while (i < text.length && !",}]".includes(text[i]!) && !isSpace(text.charCodeAt(i))) i++;
  };
  value([]);
  return found;
}

/** JSON text laid out as `JSON.stringify(value, null, 2)` lays out the value, in the text's order. */
export function indentJsonText(text: string): string {
  let out = "";
  let depth = 0;
  const newline = () => "\n" + "  ".repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      const start = i;
      i = stringEnd(text, i);
      out += text.slice(start, i + 1);
    } else if (ch === "{" || ch === "[") {
      let j = i + 1;
      while (isSpace(text.charCodeAt(j))) j++;
      if (text[j] === (ch === "{" ? "}" : "]")) {
        out += ch + text[j];
        i = j;
      } else {
        depth++;
        out += ch + newline();
      }
    } else if (ch === "}" || ch === "]") {
      depth--;
      out += newline() + ch;
    } else if (ch === ",") out += "," + newline();
    else if (ch === ":") out += ": ";
    else if (!isSpace(text.charCodeAt(i))) out += ch;
  }
  return out;
}

/** The index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let at = start + 1;
  for (;;) {
    at = text.indexOf('"', at);
    if (at < 0) throw new Error("not valid JSON");
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at;
    at++;
  }
}

/** The string whose quotes stand at `open` and `close`, unescaped only when it has escapes. */
function stringAt(text: string, open: number, close: number): string {
  const raw = text.slice(open + 1, close);
  return raw.includes("\\") ? (JSON.parse(text.slice(open, close + 1)) as string) : raw;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/**
 * The JSON text without whitespace between tokens, or null when an object in it names a key twice
 * (parsing keeps the last, so the text would say more than the value that was checked).
 */
export function compactJsonText(text: string): string | null {
  const parts: string[] = [];
  let run = 0;
  // One frame per open object or list: an object's keys so far, and whether a key comes next.
  const frames: { keys: Set<string> | null; keyNext: boolean }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      const end = stringEnd(text, i);
      const frame = frames[frames.length - 1];
      if (frame?.keys && frame.keyNext) {
        const key = stringAt(text, i, end);
        if (frame.keys.has(key)) return null;
        frame.keys.add(key);
        frame.keyNext = false;
      }
      i = end;
    } else if (isSpace(c)) {
      if (i > run) parts.push(text.slice(run, i));
      run = i + 1;
    } else if (c === 123) frames.push({ keys: new Set(), keyNext: true });
    else if (c === 91) frames.push({ keys: null, keyNext: false });
    else if (c === 125 || c === 93) frames.pop();
    else if (c === 44) {
      const frame = frames[frames.length - 1];
      if (frame?.keys) frame.keyNext = true;
    }
  }
  parts.push(text.slice(run));
  return parts.join("");
}

// NUL cannot occur in any stored text (PostgreSQL refuses it), so no answer's string holds this.
const MARK = "\u0000json-text:";
const MARKED = /"\\u0000json-text:(\d+)"/g;
/** The texts of the stringification under way (it is synchronous: one at a time). */
let collecting: string[] | null = null;

/**
 * The value of JSON text that an answer (`stringifyWithJsonText`) writes as the text itself, byte
 * for byte (a stored payload, keys in its producer's order). It is the parsed value: code reads it
 * as any other; a hidden `toJSON` carries the text, and writes the value when anything else
 * serializes it. A value with its own `toJSON` key is left as parsed.
 */
export function valueKeepingText(text: string): unknown {
  const value = JSON.parse(text) as unknown;
  if (typeof value !== "object" || value === null || Object.hasOwn(value, "toJSON")) return value;
  Object.defineProperty(value, "toJSON", {
    enumerable: false,
    value(this: object): unknown {
      if (collecting) return `${MARK}${collecting.push(text) - 1}`;
      return Array.isArray(this) ? [...(this as unknown[])] : { ...this };
    },
  });
  return value;
}

/** `JSON.stringify(data)`, with each `valueKeepingText` value in it written as its text. */
export function stringifyWithJsonText(data: unknown): string {
  const texts: string[] = [];
  collecting = texts;
  let out: string;
  try {
    out = JSON.stringify(data);
  } finally {
    collecting = null;
  }
  return texts.length === 0 ? out : out.replace(MARKED, (_, n: string) => texts[Number(n)]!);
}
