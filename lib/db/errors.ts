/**
 * Recognises "the database cannot be reached right now" among the errors pg and Prisma throw,
 * so the API can answer 503 instead of 500 and callers know a retry may succeed.
 *
 * Prisma's driver adapter keeps pg's SQLSTATE out of the error it throws: a connection refused
 * with 57P03 while PostgreSQL restarts arrives as `P2039` with the code under
 * `meta.driverAdapterError.cause`, so that path is followed like `cause`.
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

/** Where a wrapped error keeps the one it wraps: `cause`, or Prisma's driver adapter error. */
function wrapped(err: { cause?: unknown; meta?: unknown }): unknown[] {
  const adapterError = (err.meta as { driverAdapterError?: unknown } | undefined)
    ?.driverAdapterError;
  return adapterError ? [err.cause, adapterError] : [err.cause];
}

export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: unknown;
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
  return wrapped(e).some((inner) => isDatabaseUnavailable(inner, depth + 1));
}

/** The SQLSTATE of a pg error, however Prisma's adapter wrapped it. */
export function sqlState(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as {
    code?: unknown;
    originalCode?: unknown;
    cause?: unknown;
    meta?: unknown;
    clientVersion?: unknown;
  };
  // A Prisma error's own code (P2039, ...) has the shape of a SQLSTATE but is not one.
  const ownCode = e.clientVersion === undefined ? e.code : undefined;
  for (const c of [e.originalCode, ownCode])
    if (typeof c === "string" && /^[0-9A-Z]{5}$/.test(c)) return c;
  for (const inner of wrapped(e)) {
    const state = sqlState(inner, depth + 1);
    if (state) return state;
  }
  return undefined;
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
