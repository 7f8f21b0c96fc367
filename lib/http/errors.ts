import type { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/http/error-codes";

export { ERROR_CODES, type ErrorCode };

/**
 * The one error type of the HTTP API. Domain code throws it; the route wrapper turns it into
 * `{ "error": { "code", "message", "details" } }` with its status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** An error of the closed table (lib/http/error-codes.ts), with the table's status. */
export function apiError(code: ErrorCode, message: string, details?: unknown): ApiError {
  return new ApiError(ERROR_CODES[code].status, code, message, details);
}

export interface FieldError {
  field: string;
  message: string;
}

/** `a.b[0].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, "");
}

/** One entry per failing field; unknown keys are reported by their own names. */
export function fieldErrors(error: z.ZodError, prefix = ""): FieldError[] {
  return issueErrors(error.issues, prefix ? [prefix] : []);
}

function issueErrors(
  issues: readonly z.core.$ZodIssue[],
  at: readonly PropertyKey[],
): FieldError[] {
  const out: FieldError[] = [];
  for (const issue of issues) {
    const base = fieldPath([...at, ...issue.path]);
    // A union of different types (text or a JSON filter): the one alternative of the value's
    // type says what is wrong, rather than "Invalid input".
    const chosen = issue.code === "invalid_union" ? onlyTypedAlternative(issue.errors) : null;
    if (chosen) {
      out.push(...issueErrors(chosen, [...at, ...issue.path]));
    } else if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        out.push({ field: base ? `${base}.${key}` : key, message: "is not a known field" });
    } else {
      out.push({ field: base || "(body)", message: issue.message });
    }
  }
  return out;
}

function onlyTypedAlternative(
  alternatives: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | null {
  const typed = alternatives.filter(
    (issues) =>
      !(issues.length === 1 && issues[0]!.code === "invalid_type" && issues[0]!.path.length === 0),
  );
  return typed.length === 1 ? typed[0]! : null;
}

function describe(fields: FieldError[]): string {
  const first = fields[0];
  if (!first) return "Invalid request";
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more)` : "";
  return `${first.field}: ${first.message}${more}`;
}

export const apiErrors = {
  invalidJson: (reason: string) =>
    new ApiError(400, "invalid_json", `Request body is not valid JSON: ${reason}`),
  invalidParameter: (fields: FieldError[]) =>
    new ApiError(400, "invalid_parameter", describe(fields), { fields }),
  validation: (fields: FieldError[]) =>
    new ApiError(422, "validation_failed", describe(fields), { fields }),
  unauthorized: (message = "Missing or invalid API key") =>
    new ApiError(401, "unauthorized", message),
  forbidden: (message: string) => new ApiError(403, "forbidden", message),
  notFound: (what: string) => new ApiError(404, "not_found", `${what} not found`),
  routeNotFound: (method: string, path: string) =>
    new ApiError(404, "route_not_found", `No route for ${method} ${path}`),
  methodNotAllowed: (method: string, allow?: string) =>
    new ApiError(
      405,
      "method_not_allowed",
      `Method ${method} is not allowed here${allow ? ` (allowed: ${allow})` : ""}`,
      allow ? { allowed: allow.split(", ") } : undefined,
    ),
  conflict: (message: string, details?: unknown) => new ApiError(409, "conflict", message, details),
  payloadTooLarge: (limit: number) =>
    new ApiError(
      413,
      "payload_too_large",
      `Request body is larger than the limit of ${limit} bytes`,
      { limit_bytes: limit },
    ),
  rateLimited: (message: string, retryAfterSeconds?: number) =>
    new ApiError(
      429,
      "rate_limited",
      message,
      retryAfterSeconds ? { retry_after_seconds: retryAfterSeconds } : undefined,
    ),
  databaseUnavailable: () =>
    new ApiError(
      503,
      "database_unavailable",
      "The database is unavailable; nothing was changed. Retry shortly.",
    ),
  internal: () =>
    new ApiError(
      500,
      "internal_error",
      "Something went wrong on our side; the request id identifies it in the logs",
    ),
};
