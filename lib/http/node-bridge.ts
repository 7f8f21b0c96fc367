/**
 * Serves a web-standard route handler (Request -> Response, what app/api route files export)
 * straight from node:http, without the framework's router in between. Used by the production
 * server (scripts/next-server.ts) for the trigger route, the one producers call at volume.
 */
import { randomUUID } from "node:crypto";
import type http from "node:http";
import type { Duplex } from "node:stream";
import { Readable } from "node:stream";
import type { ErrorCode } from "@/lib/http/error-codes";

/** The socket's address, set by our server on every request; no client can set it. */
export const PEER_HEADER = "x-hookline-peer";
const PROXY_HEADERS = [
  "forwarded",
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
];

/**
 * Called first on every request by our node:http server: without a trusted proxy the proxy
 * headers are removed (Next then fills `X-Forwarded-*` from the connection itself); either way
 * the socket's address is recorded in PEER_HEADER (see lib/http/forwarded.ts for the readers).
 */
export function sanitizeForwardedHeaders(req: http.IncomingMessage, trustProxy: boolean): void {
  if (!trustProxy) for (const name of PROXY_HEADERS) delete req.headers[name];
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "unknown";
}

export type WebRouteHandler<P> = (req: Request, route: { params: Promise<P> }) => Promise<Response>;

type Params = Record<string, string>;

export interface FastRoute {
  method: string;
  /** Matches the path (no query string) and returns the route's params, or null. */
  match(pathname: string): Params | null;
  handler: WebRouteHandler<Params>;
}

/** A route for `/a/[name]/b`-style patterns: each `[name]` matches one non-empty path segment. */
export function fastRoute<P extends Params>(
  method: string,
  pattern: string,
  handler: WebRouteHandler<P>,
): FastRoute {
  const names: string[] = [];
  const source = pattern
    .replace(/[.*+?^${}()|\\]/g, "\\$&")
    .replace(/\\?\[(\w+)\\?\]/g, (_m, name: string) => {
      names.push(name);
      return "([^/]+)";
    });
  const regex = new RegExp(`^${source}$`);
  return {
    method,
    // The params come from this pattern's own [names], which is what P describes.
    handler: handler as unknown as WebRouteHandler<Params>,
    match(pathname) {
      const m = regex.exec(pathname);
      if (!m) return null;
      const params: Params = {};
      try {
        names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1]!)));
      } catch {
        return null; // malformed escapes: let the framework answer
      }
      return params;
    },
  };
}

/**
 * Answers `req` with the first route that matches, and returns true; false when none does (the
 * caller passes the request on). The handler sees the body as a stream, so its own size limit
 * applies before anything is buffered.
 */
export function serveFastRoute(
  routes: readonly FastRoute[],
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
): boolean {
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  for (const route of routes) {
    if (req.method !== route.method) continue;
    const params = route.match(pathname);
    if (!params) continue;
    void answer(route.handler, params, req, res, origin);
    return true;
  }
  return false;
}

async function answer<P>(
  handler: WebRouteHandler<P>,
  params: P,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
) {
  try {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const hasBody =
      req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined;
    const request = new Request(origin + (req.url ?? "/"), {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : null,
      duplex: "half",
    } as RequestInit);
    const response = await handler(request, { params: Promise.resolve(params) });
    const body = Buffer.from(await response.arrayBuffer());
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== "set-cookie") out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out["set-cookie"] = cookies;
    out["content-length"] = String(body.length);
    // Answered before the body was read (e.g. 413): the rest of it may still be arriving, so this
    // connection cannot carry another request.
    if (!req.complete) out["connection"] = "close";
    res.writeHead(response.status, out);
    res.end(body);
  } catch {
    // The route wrappers turn every error into a response; this is only for a broken socket or
    // headers Node refuses. Nothing about the request is logged here.
    if (res.headersSent) return void res.destroy();
    res.writeHead(500, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
    });
    res.end(
      JSON.stringify({
        error: { code: "internal_error", message: "Something went wrong on our side", details: {} },
      }),
    );
  }
}

/** Whether every percent-escape in the path decodes to UTF-8 text (the framework answers a bare 500 otherwise). */
export function hasWellFormedPath(url: string): boolean {
  const q = url.indexOf("?");
  const pathname = q === -1 ? url : url.slice(0, q);
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function envelope(code: ErrorCode, message: string, details: object): string {
  return JSON.stringify({
    error: { code, message, details, request_id: `req_${randomUUID().replace(/-/g, "")}` },
  });
}

/**
 * Called before the framework sees a request: a path whose percent-escapes are not UTF-8 (`%ff`,
 * an encoded surrogate `%ed%a0%80`, `%zz`) names no resource. API paths are answered here with
 * 400 in the error envelope (returns true); other paths are pointed at `notFoundPath` (the
 * portal's not-found page for /portal) and passed on (returns false).
 */
export function answerMalformedPath(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  notFoundPath: (pathname: string) => string,
): boolean {
  const url = req.url ?? "/";
  if (hasWellFormedPath(url)) return false;
  if (url === "/api" || url.startsWith("/api/")) {
    const body = envelope("invalid_parameter", "The path is not valid percent-encoded UTF-8", {
      fields: [{ field: "(path)", message: "is not valid percent-encoded UTF-8" }],
    });
    res.writeHead(400, {
      "content-type": "application/json; charset=utf-8",
      "cache-control": "no-store",
      "content-length": Buffer.byteLength(body),
    });
    res.end(body);
    return true;
  }
  req.url = notFoundPath(url);
  return false;
}

/**
 * The server's `clientError` handler: a request Node refuses before it reaches us. Node would
 * answer an empty 431 (request line and headers over its 16 KB limit) or 400; these carry the
 * error envelope instead.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
  const tooLarge = err.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? 431 : 400;
  const body = tooLarge
    ? envelope(
        "request_too_large",
        "The request line and headers are larger than the 16 KB limit (a URL that long cannot be served)",
        { limit_bytes: 16_384 },
      )
    : envelope("bad_request", "The request is not valid HTTP/1.1", {});
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? "Request Header Fields Too Large" : "Bad Request"}\r\n` +
      "content-type: application/json; charset=utf-8\r\n" +
      "cache-control: no-store\r\n" +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      "connection: close\r\n\r\n" +
      body,
  );
}
