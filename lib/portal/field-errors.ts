/**
 * The server's field errors (`{ error: { code: "validation_failed", details: { fields: [{ field,
 * message }] } } }`, thrown by the hooks as `HooklineError`) as a map a form can show next to its
 * inputs, plus whatever no input claims.
 */
import { HooklineError } from "@/lib/sdk/errors";

export interface FieldError {
  field: string;
  message: string;
}

export type FieldErrors = Record<string, string>;

/** The field errors an error carries (none for other errors). */
export function fieldErrorsOf(err: unknown): FieldError[] {
  if (!(err instanceof HooklineError)) return [];
  const details = err.details as { fields?: unknown } | undefined;
  if (!details || !Array.isArray(details.fields)) return [];
  return details.fields.filter(
    (f): f is FieldError =>
      !!f &&
      typeof (f as FieldError).field === "string" &&
      typeof (f as FieldError).message === "string",
  );
}

/**
 * Sorts field errors onto the form's inputs. `claims` maps an input's key to a test of the
 * server's field path (`headers.X-Api-Key` belongs to `headers`, `subscriptions[2]` to
 * `subscriptions`). Unclaimed ones (and errors without fields) are returned as `rest`, to show
 * above the form; nothing the server said is dropped.
 */
export function sortFieldErrors(
  err: unknown,
  claims: Record<string, (field: string) => boolean>,
  /** The form's own names for the API's fields (`{ start_date: "From" }`), used in the messages. */
  labels: Record<string, string> = {},
): { fields: FieldErrors; rest: string[] } {
  const fields: FieldErrors = {};
  const rest: string[] = [];
  const list = fieldErrorsOf(err);
  for (const { field, message: raw } of list) {
    const key = Object.keys(claims).find((k) => claims[k]!(field));
    const plain = plainWords(raw);
    if (plain !== null) {
      // A validator's own wording: a sentence that names the field, in the form's words.
      const sub = key ? fieldLabel(field, key) : "";
      const name = sub
        ? `${labels[key!] ?? key} ${sub.trim()}`
        : (labels[key ?? field] ?? labels[field] ?? humanField(field));
      const sentence = `${name} ${plain}.`;
      if (key) fields[key] = fields[key] ? `${fields[key]} ${sentence}` : sentence;
      else rest.push(sentence);
      continue;
    }
    const message = inFormWords(raw, labels);
    if (key)
      fields[key] = fields[key]
        ? `${fields[key]}; ${fieldLabel(field, key)}${message}`
        : `${fieldLabel(field, key)}${message}`;
    else rest.push(`${labels[field] ?? field}: ${message}`);
  }
  if (list.length === 0 && err) rest.push(errorMessage(err));
  return { fields, rest };
}

/**
 * `headers.X-Key` under the `headers` input reads `"X-Key" is …` (the server's messages are
 * predicates); `url` under `url` reads just the message.
 */
function fieldLabel(field: string, key: string): string {
  if (field === key) return "";
  const sub = field.startsWith(`${key}.`)
    ? field.slice(key.length + 1)
    : field.startsWith(`${key}[`)
      ? field.slice(key.length)
      : field;
  return sub && sub !== field ? `“${sub}” ` : "";
}

/**
 * The server flags a reversed range on `end_date` ("is before start_date"). When the user just
 * changed the start, the error belongs there: "must be earlier than To".
 */
export function atEditedDate(
  fields: FieldErrors,
  edited: "start_date" | "end_date" | null,
  labels: { start_date: string; end_date: string },
): FieldErrors {
  if (
    edited !== "start_date" ||
    fields.start_date ||
    fields.end_date !== `must be later than ${labels.start_date}`
  )
    return fields;
  const moved: FieldErrors = { ...fields, start_date: `must be earlier than ${labels.end_date}` };
  delete moved.end_date;
  return moved;
}

/** The server's message with the API's field names replaced by the form's labels. */
export function inFormWords(message: string, labels: Record<string, string>): string {
  let out = message.replace(/^is before (\w+)$/, (m, name: string) =>
    labels[name] ? `must be later than ${labels[name]}` : m,
  );
  for (const [name, label] of Object.entries(labels))
    out = out.replace(new RegExp(`\\b${name}\\b`, "g"), label);
  return out;
}

const KINDS: Record<string, string> = {
  number: "a number",
  int: "a whole number",
  bigint: "a whole number",
  string: "text",
  array: "a list",
  object: "a set of named values",
  record: "a set of named values",
  boolean: "yes or no (true or false)",
  date: "a date",
};

const kind = (name: string) => KINDS[name] ?? name;
const bound = (op: string, n: string, more: string, less: string) =>
  op === ">"
    ? `${more} ${n}`
    : op === "<"
      ? `${less} ${n}`
      : `${op.startsWith(">") ? "at least" : "at most"} ${n}`;

/**
 * A validator's raw wording ("Invalid input: expected number, received string", "Required",
 * "Too big: expected number to be <=20") as a predicate people read ("must be a number", "is
 * required", "must be at most 20"), or null when the message is already the server's own words.
 */
export function plainWords(message: string): string | null {
  const m = message.trim();
  let r: RegExpExecArray | null;
  if (/^(required|is required)$/i.test(m)) return "is required";
  if ((r = /^Invalid input: expected (\w+), received (\w+)$/.exec(m)))
    return r[2] === "undefined" || r[2] === "null" ? "is required" : `must be ${kind(r[1]!)}`;
  if ((r = /^Invalid input: expected (\w+)$/.exec(m))) return `must be ${kind(r[1]!)}`;
  if ((r = /^Too (?:small|big): expected (?:number|int|bigint) to be (>=|<=|>|<)\s*(\S+)$/.exec(m)))
    return `must be ${bound(r[1]!, r[2]!, "more than", "less than")}`;
  if ((r = /^Too (small|big): expected string to have (>=|<=|>|<)\s*(\d+) characters?$/.exec(m))) {
    if (r[1] === "small" && (r[3] === "1" || (r[2] === ">" && r[3] === "0"))) return "is required";
    return `must be ${bound(r[2]!, r[3]!, "more than", "fewer than")} characters long`;
  }
  if ((r = /^Too (small|big): expected array to have (>=|<=|>|<)\s*(\d+) items?$/.exec(m)))
    return `needs ${bound(r[2]!, r[3]!, "more than", "fewer than")} ${r[3] === "1" ? "entry" : "entries"}`;
  if ((r = /^Invalid option: expected one of (.+)$/.exec(m)))
    return `must be one of ${r[1]!.replace(/"/g, "").split("|").join(", ")}`;
  if (/^Invalid (URL|url)$/.test(m)) return "must be a full URL, like https://example.com/webhooks";
  if (/^Invalid input$/.test(m)) return "is not valid";
  return null;
}

/** An API field path as words: `rate_limit` -> "Rate limit", `headers.X-Key` -> "headers.X-Key". */
function humanField(field: string): string {
  if (!/^[a-z_]+$/.test(field)) return field;
  const words = field.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A claim for a field and everything under it (`headers`, `headers.X`, `headers[0]`). */
export const under =
  (...names: string[]) =>
  (field: string) =>
    names.some((n) => field === n || field.startsWith(`${n}.`) || field.startsWith(`${n}[`));

/** A readable one-line message for any error. */
export function errorMessage(err: unknown): string {
  if (err instanceof HooklineError) {
    if (err.status === 0) return "Could not reach the server. Check your connection and try again.";
    return err.message;
  }
  if (err instanceof Error) return err.message;
  return "Something went wrong.";
}

/** A failure worth trying again unchanged: no connection, rate limited, or the server's fault. */
export function isRetryableError(err: unknown): boolean {
  return (
    err instanceof HooklineError && (err.status === 0 || err.status === 429 || err.status >= 500)
  );
}

/** The request id of a failed call, for support. */
export function requestIdOf(err: unknown): string | undefined {
  return err instanceof HooklineError ? err.requestId : undefined;
}
