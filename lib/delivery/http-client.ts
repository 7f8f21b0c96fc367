import http from "node:http";
import https from "node:https";
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
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

export interface DeliveryAgents {
  http: http.Agent;
  https: https.Agent;
}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

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
  /** DNS resolution; replaceable for tests. Defaults to dns.lookup with all addresses. */
  resolveHost?: ResolveHost;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 65_536;

// Carried in the request options so agents keep separate connection pools for the two policies;
// otherwise a socket opened with allowPrivate could be reused by a request that forbids it.
const POLICY_OPTION = "hooklineAllowPrivate";

function poolSuffix(options: object | undefined): string {
  const allowPrivate = options !== undefined && (options as Record<string, unknown>)[POLICY_OPTION] === true;
  return allowPrivate ? ":private-allowed" : ":public-only";
}

class DeliveryHttpAgent extends http.Agent {
  override getName(options?: http.ClientRequestArgs): string {
    return super.getName(options) + poolSuffix(options);
  }
}

class DeliveryHttpsAgent extends https.Agent {
  override getName(options?: https.RequestOptions): string {
    return super.getName(options) + poolSuffix(options);
  }
}

/**
 * Keep-alive agents for reuse across deliveries. Every new connection still goes through the
 * checking lookup of the request that opens it; idle sockets are dropped before typical server
 * keep-alive timeouts (5 s) so a reused socket is rarely one the server is closing.
 */
export function createDeliveryAgents(opts: { maxSocketsPerHost?: number } = {}): DeliveryAgents {
  const agentOptions: http.AgentOptions = {
    keepAlive: true,
    timeout: 4_000,
    maxSockets: opts.maxSocketsPerHost ?? 32,
    scheduling: "lifo",
  };
  return { http: new DeliveryHttpAgent(agentOptions), https: new DeliveryHttpsAgent(agentOptions) };
}

class ForbiddenAddressError extends Error {
  readonly code = "HOOKLINE_FORBIDDEN_ADDRESS";
}

/**
 * A lookup for net/tls that resolves every address, refuses the whole host if any of them is
 * forbidden, and hands only the checked addresses to the socket, so the connection goes to an
 * address that was checked (no second resolution a rebinding DNS server could answer differently).
 */
function checkingLookup(resolveHost: ResolveHost, allowPrivate: boolean): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolveHost(hostname).then(
      (resolved) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : null;
        const addresses = wanted ? resolved.filter((a) => a.family === wanted) : resolved;
        if (!allowPrivate) {
          for (const { address } of resolved) {
            const reason = isForbiddenAddress(address);
            if (reason) {
              callback(
                new ForbiddenAddressError(`${hostname} resolves to ${address} (${reason}), which is not allowed`),
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

/** Seconds from a Retry-After header (delta-seconds or HTTP-date), or null if absent/invalid. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | null {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return null;
  if (/^\d+$/.test(text)) return Number(text);
  // HTTP-dates start with a day name; this keeps Date.parse from reading "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

const DNS_ERROR_CODES = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME", "ENODATA", "ESERVFAIL"]);
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

type ClassifiedError = { errorCode: AttemptErrorCode; error: string };

function classifyError(raw: unknown, hostname: string, target: string): ClassifiedError {
  // With several addresses node tries each (happy eyeballs) and reports an AggregateError.
  const err = (raw instanceof AggregateError && raw.errors[0] instanceof Error ? raw.errors[0] : raw) as
    NodeJS.ErrnoException & { address?: string; port?: number };
  const code = err.code ?? "";
  const peer = err.address ? `${err.address}${err.port ? `:${err.port}` : ""}` : target;

  if (err instanceof ForbiddenAddressError) return { errorCode: "forbidden_address", error: err.message };
  if (code === "ECONNREFUSED") return { errorCode: "connection_refused", error: `connection refused by ${peer}` };
  if (code === "ECONNRESET" || code === "EPIPE") {
    return {
      errorCode: "connection_reset",
      error: err.message === "socket hang up" ? `connection closed by ${peer} without a response` : `connection reset by ${peer}`,
    };
  }
  if (DNS_ERROR_CODES.has(code)) return { errorCode: "dns_failure", error: `could not resolve ${hostname} (${code})` };
  if (code === "ETIMEDOUT") return { errorCode: "timeout", error: `connecting to ${peer} timed out` };
  if (TLS_ERROR_CODES.has(code) || code.startsWith("ERR_TLS_") || code.startsWith("ERR_SSL_")) {
    return { errorCode: "tls_error", error: `TLS error with ${target}: ${err.message}` };
  }
  if (code.startsWith("HPE_")) return { errorCode: "network_error", error: `invalid HTTP response from ${target}: ${err.message}` };
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH") {
    return { errorCode: "network_error", error: `${peer} is unreachable (${code})` };
  }
  return { errorCode: "network_error", error: `request to ${target} failed: ${err.message || code || "unknown error"}` };
}

/**
 * Sends one webhook attempt. Never throws for network outcomes: every failure comes back as an
 * AttemptResult with an errorCode. Redirects are not followed.
 */
export function postWebhook(input: PostWebhookInput): Promise<AttemptResult> {
  const started = performance.now();
  const { timeoutMs, allowPrivate } = input;
  const maxResponseBytes = input.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`timeoutMs must be positive, got ${timeoutMs}`);

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
    durationMs: Math.round(performance.now() - started),
  });

  let url: URL;
  try {
    url = new URL(input.url);
  } catch {
    return Promise.resolve(result({ errorCode: "invalid_url", error: "URL is not valid" }));
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return Promise.resolve(result({ errorCode: "invalid_url", error: `unsupported URL scheme ${url.protocol}` }));
  }
  if (url.username || url.password) {
    return Promise.resolve(result({ errorCode: "invalid_url", error: "URL must not contain credentials" }));
  }

  const isHttps = url.protocol === "https:";
  const hostname = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port ? Number(url.port) : isHttps ? 443 : 80;
  const target = `${url.hostname}:${port}`;

  // IP literals never reach the lookup function, so they are checked here.
  if (isIP(hostname) !== 0 && !allowPrivate) {
    const reason = isForbiddenAddress(hostname);
    if (reason) {
      return Promise.resolve(
        result({ errorCode: "forbidden_address", error: `${hostname} is a ${reason} address, which is not allowed` }),
      );
    }
  }

  const body = typeof input.body === "string" ? Buffer.from(input.body, "utf8") : input.body;
  const options: https.RequestOptions & { [POLICY_OPTION]: boolean } = {
    protocol: url.protocol,
    hostname,
    port,
    path: `${url.pathname}${url.search}`,
    method: "POST",
    headers: { ...input.headers, "content-length": String(body.length) },
    agent: input.agent ? (isHttps ? input.agent.https : input.agent.http) : false,
    lookup: checkingLookup(input.resolveHost ?? defaultResolveHost, allowPrivate),
    [POLICY_OPTION]: allowPrivate,
  };

  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let response: Pick<AttemptResult, "status" | "headers" | "retryAfterSeconds"> = {
      status: null,
      headers: null,
      retryAfterSeconds: null,
    };
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    let bodyTruncated = false;

    const readBody = () => (response.status === null ? null : Buffer.concat(chunks).toString("utf8"));

    const settle = (fields: Partial<AttemptResult>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result({ ...response, body: readBody(), bodyTruncated, ...fields }));
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

    let request: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      settle({ errorCode: "timeout", error: `timed out after ${timeoutMs} ms` });
      request?.destroy();
    }, timeoutMs);

    try {
      request = (isHttps ? https : http).request(options);
    } catch (error) {
      // e.g. a header value with characters HTTP does not allow.
      settle({ errorCode: "network_error", error: `could not send request: ${(error as Error).message}` });
      return;
    }

    request.on("error", (error) => settle(classifyError(error, hostname, target)));

    request.on("response", (res) => {
      response = {
        status: res.statusCode ?? null,
        headers: flattenHeaders(res.headers),
        retryAfterSeconds: parseRetryAfter(res.headers["retry-after"]),
      };
      res.on("data", (chunk: Buffer) => {
        if (settled) return;
        const room = maxResponseBytes - receivedBytes;
        if (chunk.length > room) {
          // Keep what fits, then drop the connection: the rest of the body is never read.
          if (room > 0) chunks.push(chunk.subarray(0, room));
          receivedBytes = maxResponseBytes;
          bodyTruncated = true;
          settleWithResponse();
          res.destroy();
          return;
        }
        chunks.push(chunk);
        receivedBytes += chunk.length;
      });
      res.on("end", settleWithResponse);
      res.on("error", (error) => settle(classifyError(error, hostname, target)));
      res.on("close", () => {
        if (!res.complete) {
          settle({ errorCode: "connection_reset", error: `connection closed by ${target} before the response was complete` });
        }
      });
    });

    request.end(body);
  });
}
