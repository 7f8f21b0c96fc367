import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress, LookupOptions } from "node:dns";
import type { IncomingHttpHeaders } from "node:http";
import { isIP, type LookupFunction } from "node:net";
import { Agent, Client, type Dispatcher } from "undici";
import { isForbiddenAddress } from "@/lib/net/address-policy";

export type AttemptErrorCode =
  | "timeout"
  | "connection_refused"
  | "connection_reset"
  | "dns_failure"
  | "forbidden_address"
  | "tls_error"
  | "redirect"
  | "invalid_url"
  | "network_error";

export interface AttemptResult {
  /** True only for a complete 2xx response within the timeout. */
  ok: boolean;
  status: number | null;
  headers: Record<string, string> | null;
  body: string | null;
  bodyTruncated: boolean;
  durationMs: number;
  error: string | null;
  errorCode: AttemptErrorCode | null;
  retryAfterSeconds: number | null;
}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

/**
 * Keep-alive connections shared by the attempts of a worker: one undici Agent per address policy,
 * so a connection opened with allowPrivate is never handed to a request that forbids private
 * addresses. Close or destroy them at shutdown so no connection outlives the worker (a pooled
 * connection still being opened would otherwise hold the process for up to a minute).
 */
export interface DeliveryAgents {
  /** Resolves the host of every new connection (through the SSRF check of its policy). */
  readonly resolveHost: ResolveHost;
  /** The dispatcher whose connections were all opened under this policy. */
  dispatcher(allowPrivate: boolean): Dispatcher;
  /** Lets in-flight attempts finish, then closes every connection. */
  close(): Promise<void>;
  /** Closes every connection now; attempts in flight end with a network_error. */
  destroy(): Promise<void>;
}

/** Why an address may not be connected to, or null; the SSRF policy unless a test replaces it. */
export type AddressPolicy = (address: string) => string | null;

export interface DeliveryAgentsOptions {
  /** Connections per origin (and per address policy). Default 32. */
  maxSocketsPerHost?: number;
  /**
   * An idle connection is closed after this long; a server's Keep-Alive hint may shorten it but
   * never lengthen it. The default stays under the common 5 s server timeout, so a reused socket
   * is rarely one the server is closing.
   */
  idleTimeoutMs?: number;
  /** DNS resolution for new connections; replaceable for tests. Defaults to dns.lookup with all addresses. */
  resolveHost?: ResolveHost;
  /**
   * The address policy of connections that forbid private addresses; replaceable for tests only
   * (so a rebinding test can treat one loopback address as public and never leave the machine).
   */
  forbiddenReason?: AddressPolicy;
}

export interface PostWebhookInput {
  url: string;
  headers: Record<string, string>;
  body: string | Buffer;
  /** Bounds the whole attempt: DNS, connect, TLS, response headers and body. */
  timeoutMs: number;
  /** Skip the SSRF address policy (self-hosted deliveries inside a private network). */
  allowPrivate: boolean;
  maxResponseBytes?: number;
  /** Keep-alive agents from createDeliveryAgents(); without them each attempt uses a fresh connection. */
  agent?: DeliveryAgents;
  /**
   * DNS resolution for the attempt's own connection; replaceable for tests. Agents resolve with the
   * resolver they were created with, so giving a different one together with `agent` is an error.
   */
  resolveHost?: ResolveHost;
  /** The address policy of the attempt's own connection; replaceable for tests only. */
  forbiddenReason?: AddressPolicy;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

/**
 * Upper bound on DNS + TCP + TLS for a pooled connection. An attempt that gives up earlier does
 * not cancel a connection its pool is still opening (the pool keeps it for the next attempt), so
 * this must be finite; it is the largest endpoint timeout so it never ends an attempt early.
 */
const POOLED_CONNECT_TIMEOUT_MS = 60_000;

class ForbiddenAddressError extends Error {
  readonly code = "HOOKLINE_FORBIDDEN_ADDRESS";
}

/**
 * A lookup for net/tls that resolves every address, refuses the whole host if any of them is
 * forbidden, and hands only the checked addresses to the socket, so the connection goes to an
 * address that was checked (no second resolution a rebinding DNS server could answer differently).
 */
function checkingLookup(
  resolveHost: ResolveHost,
  allowPrivate: boolean,
  forbiddenReason: AddressPolicy = isForbiddenAddress,
): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveHost(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : null;
        const addresses = wanted ? resolved.filter((a) => a.family === wanted) : resolved;
        if (!allowPrivate) {
          for (const { address } of resolved) {
            const reason = forbiddenReason(address);
            if (reason) {
              callback(
                new ForbiddenAddressError(
                  `${hostname} resolves to ${address} (${reason}), which is not allowed`,
                ),
                "",
              );
              return;
            }
          }
        }
        const first = addresses[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`no addresses found for ${hostname}`);
          error.code = "ENOTFOUND";
          callback(error, "");
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, first.address, first.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, ""),
    );
  };
}

const defaultResolveHost: ResolveHost = (hostname) => dnsLookup(hostname, { all: true });

/** Under the common 5 s server keep-alive timeout (see `idleTimeoutMs`). */
export const DEFAULT_IDLE_TIMEOUT_MS = 4_000;

/**
 * Keep-alive agents for reuse across deliveries: per origin and policy at most
 * `maxSocketsPerHost` connections, each opened through the checking lookup of its policy.
 */
export function createDeliveryAgents(opts: DeliveryAgentsOptions = {}): DeliveryAgents {
  const resolveHost = opts.resolveHost ?? defaultResolveHost;
  const idleTimeoutMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const agentFor = (allowPrivate: boolean) =>
    new Agent({
      connections: opts.maxSocketsPerHost ?? 32,
      keepAliveTimeout: idleTimeoutMs,
      keepAliveMaxTimeout: idleTimeoutMs,
      // Our own timer bounds the whole attempt; undici's per-phase timers must never end it first.
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: {
        lookup: checkingLookup(resolveHost, allowPrivate, opts.forbiddenReason),
        timeout: POOLED_CONNECT_TIMEOUT_MS,
      },
    });
  const publicOnly = agentFor(false);
  const privateAllowed = agentFor(true);
  return {
    resolveHost,
    dispatcher: (allowPrivate) => (allowPrivate ? privateAllowed : publicOnly),
    close: async () => {
      await Promise.all([publicOnly.close(), privateAllowed.close()]);
    },
    destroy: async () => {
      await Promise.all([publicOnly.destroy(), privateAllowed.destroy()]);
    },
  };
}

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), or null if absent/invalid. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  // HTTP-dates start with a day name; this keeps Date.parse from reading "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

// Node's http client keeps only the first of these when a response repeats them (and joins
// cookie with "; "); kept that way so stored attempts read as they always have.
const FIRST_VALUE_ONLY = new Set([
  "age",
  "authorization",
  "content-length",
  "content-type",
  "etag",
  "expires",
  "from",
  "host",
  "if-modified-since",
  "if-unmodified-since",
  "last-modified",
  "location",
  "max-forwards",
  "proxy-authorization",
  "referer",
  "retry-after",
  "server",
  "user-agent",
]);

/** One string per header (names are lower-case already); repeated headers joined with ", ". */
function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined) continue;
    if (!Array.isArray(value)) flat[name] = value;
    else if (FIRST_VALUE_ONLY.has(name)) flat[name] = value[0] ?? "";
    else flat[name] = value.join(name === "cookie" ? "; " : ", ");
  }
  return flat;
}

const DNS_ERROR_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NODATA",
  "EAI_NONAME",
  "ENODATA",
  "ESERVFAIL",
]);
const TLS_ERROR_CODES = new Set([
  "EPROTO",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "HOSTNAME_MISMATCH",
]);
/** How the connection can end under a response that has started (undici: "other side closed"...). */
const CLOSED_MID_RESPONSE_CODES = new Set([
  "UND_ERR_SOCKET",
  "ECONNRESET",
  "EPIPE",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
]);

type ClassifiedError = { errorCode: AttemptErrorCode; error: string };

type NetworkError = NodeJS.ErrnoException & {
  address?: string;
  port?: number;
  /** undici's SocketError says which socket failed. */
  socket?: { remoteAddress?: string; remotePort?: number } | null;
};

function classifyError(
  raw: unknown,
  hostname: string,
  target: string,
  responseStarted: boolean,
): ClassifiedError {
  // With several addresses node tries each (happy eyeballs) and reports an AggregateError.
  const err = (
    raw instanceof AggregateError && raw.errors[0] instanceof Error ? raw.errors[0] : raw
  ) as NetworkError;
  const code = err.code ?? "";
  const address = err.address ?? err.socket?.remoteAddress;
  const port = err.port ?? err.socket?.remotePort;
  const peer = address ? `${address}${port ? `:${port}` : ""}` : target;

  if (err instanceof ForbiddenAddressError)
    return { errorCode: "forbidden_address", error: err.message };
  // undici validates the request (e.g. a header value with characters HTTP does not allow) before connecting.
  if (code === "UND_ERR_INVALID_ARG" || code === "UND_ERR_NOT_SUPPORTED") {
    return { errorCode: "network_error", error: `could not send request: ${err.message}` };
  }
  if (responseStarted && CLOSED_MID_RESPONSE_CODES.has(code)) {
    return { errorCode: "connection_reset", error: `connection reset by ${peer}` };
  }
  if (code === "ECONNREFUSED")
    return { errorCode: "connection_refused", error: `connection refused by ${peer}` };
  if (code === "ECONNRESET" || code === "EPIPE")
    return { errorCode: "connection_reset", error: `connection reset by ${peer}` };
  if (code === "UND_ERR_SOCKET") {
    // "bad response" is an unsolicited 100 Continue, which undici refuses.
    if (err.message === "bad response" || err.message === "bad upgrade") {
      return {
        errorCode: "network_error",
        error: `invalid HTTP response from ${target}: ${err.message}`,
      };
    }
    return {
      errorCode: "connection_reset",
      error: `connection closed by ${peer} without a response`,
    };
  }
  if (DNS_ERROR_CODES.has(code))
    return { errorCode: "dns_failure", error: `could not resolve ${hostname} (${code})` };
  if (code === "ETIMEDOUT" || code === "UND_ERR_CONNECT_TIMEOUT") {
    return { errorCode: "timeout", error: `connecting to ${peer} timed out` };
  }
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") {
    return { errorCode: "timeout", error: `${target} stopped answering` };
  }
  if (TLS_ERROR_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) {
    return { errorCode: "tls_error", error: `TLS error with ${target}: ${err.message}` };
  }
  // undici's parser errors are named HTTPParserError; not all of them carry an HPE_ code.
  if (code.startsWith("HPE_") || err.name === "HTTPParserError")
    return {
      errorCode: "network_error",
      error: `invalid HTTP response from ${target}: ${err.message}`,
    };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") {
    return { errorCode: "network_error", error: `${peer} is unreachable (${code})` };
  }
  if (code === "UND_ERR_DESTROYED" || code === "UND_ERR_CLOSED") {
    return {
      errorCode: "network_error",
      error: `request to ${target} failed: the delivery agents were shut down`,
    };
  }
  return {
    errorCode: "network_error",
    error: `request to ${target} failed: ${err.message || code || "unknown error"}`,
  };
}

const noop = () => {};

/**
 * Sends one webhook attempt. Never throws for network outcomes: every failure comes back as an
 * AttemptResult with an errorCode. Redirects are not followed.
 */
export function postWebhook(input: PostWebhookInput): Promise<AttemptResult> {
  const started = performance.now();
  const { timeoutMs, allowPrivate, agent } = input;
  const maxResponseBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
    throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);
  if (agent && input.resolveHost && input.resolveHost !== agent.resolveHost) {
    // Silently resolving with the agents' resolver would bypass the one the caller asked for.
    throw new TypeError(
      "resolveHost differs from the one the agents were created with; pass it to createDeliveryAgents()",
    );
  }

  const result = (fields: Partial<AttemptResult>): AttemptResult => ({
    ok: false,
    status: null,
    headers: null,
    body: null,
    bodyTruncated: false,
    error: null,
    errorCode: null,
    retryAfterSeconds: null,
    ...fields,
    // A timed-out attempt lasted its timeout (timers fire a little late; analytics must not show more).
    durationMs:
      fields.errorCode === "timeout"
        ? Math.min(timeoutMs, Math.round(performance.now() - started))
        : Math.round(performance.now() - started),
  });

  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return Promise.resolve(result({ errorCode: "invalid_url", error: "URL is not valid" }));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.resolve(
      result({ errorCode: "invalid_url", error: `unsupported URL scheme ${url.protocol}` }),
    );
  }
  if (url.username || url.password) {
    return Promise.resolve(
      result({ errorCode: "invalid_url", error: "URL must not contain credentials" }),
    );
  }

  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const target = `${url.hostname}:${port}`;

  // IP literals never reach the lookup function, so they are checked here.
  if (isIP(hostname) !== 0 && !allowPrivate) {
    const reason = isForbiddenAddress(hostname);
    if (reason) {
      return Promise.resolve(
        result({
          errorCode: "forbidden_address",
          error: `${hostname} is a ${reason} address, which is not allowed`,
        }),
      );
    }
  }

  const body = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body;
  // A flat [name, value, ...] list; our content-length replaces any the caller gave, in any case.
  // Expect is dropped: undici refuses to send it (and an interim 100 Continue it would provoke),
  // and the body goes out at once anyway, as it did with node:http.
  const headers: string[] = [];
  for (const name of Object.keys(input.headers)) {
    const value = input.headers[name];
    const lower = name.toLowerCase();
    if (value !== undefined && lower !== "content-length" && lower !== "expect")
      headers.push(name, value);
  }
  headers.push("content-length", String(body.length));

  // Without agents: a client for this attempt alone, whose one connection is closed afterwards
  // (it asks for `connection: close`, as node:http did without an agent).
  let oneOff: Client | undefined;
  let dispatcher: Dispatcher;
  if (agent) {
    dispatcher = agent.dispatcher(allowPrivate);
  } else {
    dispatcher = oneOff = new Client(url.origin, {
      headersTimeout: 0,
      bodyTimeout: 0,
      // No connect timer of its own: destroying the client when the attempt ends cancels a connect.
      connect: {
        lookup: checkingLookup(
          input.resolveHost ?? defaultResolveHost,
          allowPrivate,
          input.forbiddenReason,
        ),
        timeout: 0,
      },
    });
  }

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    let response: Pick<AttemptResult, "status" | "headers" | "retryAfterSeconds"> = {
      status: null,
      headers: null,
      retryAfterSeconds: null,
    };
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let bodyTruncated = false;

    const readBody = () =>
      response.status === null ? null : Buffer.concat(chunks).toString("utf8");

    // Resolves once; whatever is still running for this attempt is then stopped.
    const settle = (fields: Partial<AttemptResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result({ ...response, body: readBody(), bodyTruncated, ...fields }));
      // Mid-response this drops the connection, so the rest of a body is never read. A request
      // still waiting for a pooled connection is aborted in onRequestStart instead.
      if (controller && !controller.aborted) controller.abort(new Error("attempt ended"));
      // Deferred: settle may run inside undici's parser callbacks.
      if (oneOff) {
        const client = oneOff;
        setImmediate(() => client.destroy().catch(noop));
      }
    };

    // Whatever the response has sent so far counts; a complete (or capped) response is judged by status.
    const settleWithResponse = () => {
      const status = response.status ?? 0;
      if (status >= 300 && status < 400) {
        const location = response.headers?.["location"];
        settle({
          errorCode: "redirect",
          error: `redirect (${status})${location ? ` to ${location}` : ""} not followed`,
        });
      } else {
        settle({ ok: status >= 200 && status < 300 });
      }
    };

    const timer = setTimeout(
      () => settle({ errorCode: "timeout", error: `timed out after ${timeoutMs} ms` }),
      timeoutMs,
    );

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(ctrl) {
        controller = ctrl;
        if (settled) ctrl.abort(new Error("attempt ended"));
      },
      onResponseStart(_ctrl, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational (103 Early Hints...): the real response follows
        response = {
          status: statusCode,
          headers: flattenHeaders(responseHeaders),
          retryAfterSeconds: parseRetryAfter(responseHeaders["retry-after"]),
        };
      },
      onResponseData(_ctrl, chunk) {
        if (settled) return;
        const room = maxResponseBytes - receivedBytes;
        if (chunk.length > room) {
          // Keep what fits; settle aborts the request and so drops the connection.
          if (room > 0) chunks.push(chunk.subarray(0, room));
          receivedBytes = maxResponseBytes;
          bodyTruncated = true;
          settleWithResponse();
          return;
        }
        chunks.push(chunk);
        receivedBytes += chunk.length;
      },
      onResponseEnd() {
        controller = undefined; // finished: nothing to abort
        settleWithResponse();
      },
      onResponseError(_ctrl, error) {
        controller = undefined;
        settle(classifyError(error, hostname, target, response.status !== null));
      },
    };

    const send = () => {
      if (settled) return;
      try {
        dispatcher.dispatch(
          {
            origin: url.origin,
            path: `${url.pathname}${url.search}`,
            method: "POST",
            headers,
            body,
            reset: !agent,
          },
          handler,
        );
      } catch (error) {
        // dispatch reports its errors through the handler; this is only a guard.
        settle(classifyError(error, hostname, target, false));
      }
    };
    // undici hands a keep-alive connection back to its pool one check phase after the response
    // ended (first it reads anything the server sent on the idle socket). Sending after that
    // phase lets an attempt that follows another reuse its connection instead of opening one.
    if (agent) setImmediate(send);
    else send();
  });
}
