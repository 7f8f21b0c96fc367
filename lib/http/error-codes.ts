/**
 * Every error code either API surface answers, closed: code → HTTP status → meaning. `ApiError`
 * takes only these codes; the OpenAPI document lists them, the SDK types `HooklineError.code`
 * with them, and the Svix-compatible surface maps them to Svix's own codes (`svix`). Pure data:
 * the SDK imports it, so nothing here may reach server code.
 */
export const ERROR_CODES = {
  invalid_json: {
    status: 400,
    meaning: "The request body is not valid JSON.",
    svix: "bad_request",
  },
  bad_request: {
    status: 400,
    meaning: "The request is not valid HTTP/1.1 (answered before any route runs).",
    svix: "bad_request",
  },
  invalid_parameter: {
    status: 400,
    meaning: "A query or path parameter is invalid; `details.fields` names each.",
    svix: "validation",
  },
  invalid_ticket_type: {
    status: 400,
    meaning: "`ticket_type` is not one of the access-ticket types.",
    svix: "validation",
  },
  unauthorized: {
    status: 401,
    meaning: "Missing, malformed, unknown or revoked credentials.",
    svix: "authentication_failed",
  },
  forbidden: {
    status: 403,
    meaning: "The credentials may not do this.",
    svix: "insufficient_access",
  },
  origin_not_allowed: {
    status: 403,
    meaning: "A browser call from an origin that is not one of the app's embed origins.",
    svix: "insufficient_access",
  },
  csrf_failed: {
    status: 403,
    meaning:
      "A portal or console mutation without the session's `x-csrf-token` (or, in the console, from another origin).",
    svix: "insufficient_access",
  },
  operator_read_only: {
    status: 403,
    meaning: "A console change by a `viewer` operator: viewers read only.",
    svix: "insufficient_access",
  },
  account_locked: {
    status: 423,
    meaning:
      "Console sign-in refused: too many wrong passwords; `details.retry_after_seconds` says when to retry.",
    svix: "authentication_failed",
  },
  not_found: {
    status: 404,
    meaning: "The resource does not exist (or belongs to another app).",
    svix: "not_found",
  },
  route_not_found: {
    status: 404,
    meaning: "No route for this method and path.",
    svix: "not_found",
  },
  method_not_allowed: {
    status: 405,
    meaning: "The route exists but not for this method; `Allow` lists those it serves.",
    svix: "method_not_allowed",
  },
  conflict: {
    status: 409,
    meaning: "A unique name is taken, or the resource's state forbids the change.",
    svix: "conflict",
  },
  payload_too_large: {
    status: 413,
    meaning: "The request body is larger than the server's limit.",
    svix: "payload_too_large",
  },
  unsupported_media_type: {
    status: 415,
    meaning: "The body's content type is not the one the operation takes (JSON).",
    svix: "bad_request",
  },
  validation_failed: {
    status: 422,
    meaning: "The body is well-formed JSON but fields are invalid; `details.fields` names each.",
    svix: "validation",
  },
  replay_limit_exceeded: {
    status: 422,
    meaning: "A replay would span more days or deliveries than the server allows.",
    svix: "validation",
  },
  rate_limited: {
    status: 429,
    meaning: "Too many requests; `Retry-After` says when to retry.",
    svix: "rate_limited",
  },
  request_too_large: {
    status: 431,
    meaning: "The request line and headers are larger than 16 KB.",
    svix: "bad_request",
  },
  internal_error: {
    status: 500,
    meaning: "Unexpected server error; the request id identifies it in the logs.",
    svix: "server_error",
  },
  public_url_not_configured: {
    status: 500,
    meaning: "A link to Hookline was asked for, but HOOKLINE_PUBLIC_URL is not set on the server.",
    svix: "server_error",
  },
  database_unavailable: {
    status: 503,
    meaning: "The database is unavailable; nothing was changed. Retry shortly.",
    svix: "server_error",
  },
} as const satisfies Record<string, { status: number; meaning: string; svix: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}
