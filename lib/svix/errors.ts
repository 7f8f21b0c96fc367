/**
 * Errors on the Svix-compatible surface, answered the way Svix answers them so the official
 * clients' `ApiException.body` is what they expect: 422 `{ detail: [{ loc, msg, type }] }` for
 * invalid input, `{ code, detail }` (`HttpErrorOut`) for every other 4xx/5xx. Domain code throws
 * the usual `ApiError`; this file only changes its shape. Svix codes come from the closed table.
 */
import { ApiError, ERROR_CODES, apiError, type FieldError } from "@/lib/http/errors";
import { json } from "@/lib/http/route";

export interface SvixValidationItem {
  loc: (string | number)[];
  msg: string;
  type: string;
}

/** Field names of the domain's messages, in the Svix spelling the caller used. */
const SVIX_FIELD_NAMES: Record<string, string> = {
  subscriptions: "eventTypes",
  is_active: "disabled",
  rate_limit: "throttleRate",
  timeout_seconds: "timeout",
};

/** `a.b[0].c` (lib/http/errors fieldPath) back to `["a", "b", 0, "c"]`. */
export function fieldLoc(field: string): (string | number)[] {
  if (!field || field.startsWith("(")) return [];
  const out: (string | number)[] = [];
  for (const part of field.split(/\.|(?=\[)/)) {
    const index = /^\[(\d+)\]$/.exec(part);
    if (index) out.push(Number(index[1]));
    else if (part) out.push(SVIX_FIELD_NAMES[part] ?? part);
  }
  return out;
}

/** 422 naming fields by their place in the request: `where` is `body`, `query` or `path`. */
export function svixValidationError(
  where: "body" | "query" | "path",
  items: { loc: (string | number)[]; msg: string; type?: string }[],
): ApiError {
  const fields: FieldError[] = items.map((i) => ({
    field: i.loc.map((p) => (typeof p === "number" ? `[${p}]` : p)).join("."),
    message: i.msg,
  }));
  return apiError(
    "validation_failed",
    fields[0] ? `${fields[0].field}: ${fields[0].message}` : "",
    {
      fields,
      svix: {
        detail: items.map((i) => ({
          loc: [where, ...i.loc],
          msg: i.msg,
          type: i.type ?? "value_error",
        })),
      },
    },
  );
}

function detailOf(err: ApiError): SvixValidationItem[] | null {
  const details = err.details as
    { svix?: { detail: SvixValidationItem[] }; fields?: FieldError[] } | undefined;
  if (details?.svix) return details.svix.detail;
  const where =
    err.code === "invalid_parameter" ? "query" : err.code === "invalid_json" ? "body" : "body";
  if (err.code === "invalid_json")
    return [{ loc: ["body"], msg: err.message, type: "value_error.jsondecode" }];
  if (ERROR_CODES[err.code].svix !== "validation") return null;
  const fields = details?.fields ?? [{ field: "", message: err.message }];
  return fields.map((f) => ({
    loc: [where, ...fieldLoc(f.field)],
    msg: f.message,
    type: "value_error",
  }));
}

/** The Svix-shaped answer for an error already mapped to `ApiError` (lib/http/route toApiError). */
export function svixErrorResponse(err: ApiError): Response {
  const detail = detailOf(err);
  const headers: Record<string, string> = {};
  const retry = (err.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds;
  if (retry) headers["retry-after"] = String(retry);
  if (err.status === 503) headers["retry-after"] ??= "5";
  // Svix's `loc` is strings only (array indices too).
  if (detail)
    return json(
      { detail: detail.map((d) => ({ ...d, loc: d.loc.map(String) })) },
      { status: 422, headers },
    );
  return json(
    { code: ERROR_CODES[err.code].svix, detail: err.message },
    { status: err.status, headers },
  );
}
