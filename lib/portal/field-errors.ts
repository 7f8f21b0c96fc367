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
    const message = inFormWords(raw, labels);
    const key = Object.keys(claims).find((k) => claims[k]!(field));
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
