/**
 * Recognises "the database cannot be reached right now" among the errors pg and Prisma throw,
 * so the API can answer 503 instead of 500 and callers know a retry may succeed.
 */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);
// admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, connection failures
// ...and query_canceled / lock_not_available (the statement and lock time limits).
const PG_UNAVAILABLE = new Set([
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08006",
  "57014",
  "55P03",
]);
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1017", "P2024"]);
const MESSAGES = [
  /Connection terminated/i,
  /connection (?:is )?closed/i,
  /Can't reach database server/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
  /terminating connection due to administrator command/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/,
  /DatabaseNotReachable/i,
  // A Unix socket whose server is stopped: its socket file is gone (pg's and Prisma's wording).
  /connect ENOENT .*\.s\.PGSQL\.\d+/,
];

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    originalCode?: unknown;
    kind?: unknown;
  };
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code && (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || PRISMA_UNAVAILABLE.has(code)))
    return true;
  if (
    typeof e.originalCode === "string" &&
    (NETWORK_CODES.has(e.originalCode) || PG_UNAVAILABLE.has(e.originalCode))
  )
    return true;
  if (
    typeof e.kind === "string" &&
    /DatabaseNotReachable|ConnectionClosed|SocketTimeout/.test(e.kind)
  )
    return true;
  if (typeof e.message === "string" && MESSAGES.some((re) => re.test(e.message as string)))
    return true;
  if (err instanceof AggregateError && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1)))
    return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/** The SQLSTATE of a pg error, however Prisma's adapter wrapped it. */
export function sqlState(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as { code?: unknown; originalCode?: unknown; cause?: unknown };
  for (const c of [e.originalCode, e.code])
    if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c)) return c;
  return sqlState(e.cause, depth + 1);
}

/**
 * "The database cannot store this value" (data exceptions: bad characters, dates out of range,
 * values too long; nesting too deep): the request's fault, so a 4xx, not a 500. Requests are
 * checked before they reach the database; this is the net under those checks.
 */
export function isUnstorableValue(err: unknown): boolean {
  const state = sqlState(err);
  return state !== undefined && (state.startsWith("22") || state === "54001");
}
