/**
 * The Svix-compatible surface's router. Operations are listed as `SvixRoute`s in per-area
 * files under lib/svix/routes/ (collected by lib/svix/routes/index.ts); a few catch-all route
 * files under app/api/v1 (`app/[[...path]]`, `event-type/[[...path]]`, `auth/[...path]`,
 * `health`, ...) hand every request to `svixRouteHandlers()`. Every answer is Svix-shaped,
 * errors included; POSTs honour `idempotency-key` (lib/svix/idempotency.ts).
 */
import { z } from "zod";
import type { App } from "@/generated/prisma/client";
import { apiError, apiErrors, type ApiError } from "@/lib/http/errors";
import { json, toApiError, withPublic, type RequestContext } from "@/lib/http/route";
import { textProblem } from "@/lib/http/storable";
import { assertRouteAllowed, authenticateSvixRequest, type SvixPrincipal } from "@/lib/svix/auth";
import { applySvixCors, assertSvixOrigin, svixPreflight } from "@/lib/svix/cors";
import { svixErrorResponse, svixValidationError } from "@/lib/svix/errors";
import { withIdempotencyKey } from "@/lib/svix/idempotency";
import { parseSvixQuery, validateSvixBody } from "@/lib/svix/input";
import { resolveSvixApp } from "@/lib/svix/lookup";

const anyJson = z.unknown();

export const SVIX_BASE_PATH = "/api/v1";
export type SvixMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface SvixContext {
  req: Request;
  url: URL;
  requestId: string;
  log: RequestContext<unknown>["log"];
  /** Path placeholders by name (`app_id`, `endpoint_id`, ...), decoded. */
  params: Record<string, string>;
  principal: SvixPrincipal;
  /** The body validated by `schema` (unknown fields dropped); 422 `detail[]` otherwise. */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** The text `body` read: where a payload's own text is taken from. */
  bodyText(): string;
  /** Query parameters validated by `schema`; `lists` are comma-separated or repeated. */
  query<S extends z.ZodType>(schema: S, lists?: readonly string[]): z.output<S>;
  /** The `{app_id}` app (id or uid), checked against the principal; 404 otherwise. */
  app(): Promise<App>;
}

export interface SvixRoute {
  method: SvixMethod;
  /** Below /api/v1, with the reference spec's placeholders: `/app/{app_id}/endpoint`. */
  path: string;
  /** The operation's id in Svix's spec (`v1.endpoint.create`): the OpenAPI document reads it. */
  operationId: string;
  /** `none`: answers without credentials (health). Default: a principal is required. */
  auth?: "principal" | "none";
  /**
   * `handler`: the operation keeps `idempotency-key` itself (message.create, through the
   * events' own key in its group-committed insert) instead of the stored-answer table.
   * `off`: not honoured, because the answer holds a credential that must not be stored.
   */
  idempotency?: "stored" | "handler" | "off";
  /** Returns the answer's body (200 JSON) or a Response (`svixReply`). */
  handler(ctx: SvixContext): Promise<unknown>;
}

/** A Svix answer with another status than 200; no body (204) when `body` is undefined. */
export function svixReply(status: number, body?: unknown): Response {
  if (body === undefined)
    return new Response(null, { status, headers: { "cache-control": "no-store" } });
  return json(body, { status });
}

interface CompiledRoute {
  route: SvixRoute;
  segments: string[];
}

function compile(routes: readonly SvixRoute[]): CompiledRoute[] {
  const compiled = routes.map((route) => ({
    route,
    segments: route.path.split("/").filter(Boolean),
  }));
  // Static segments before placeholders (`/endpoint/{id}/secret` is not `/{...}/{...}/{...}`).
  const rank = (c: CompiledRoute) =>
    c.segments.map((s) => (s.startsWith("{") ? "1" : "0")).join("");
  return compiled.sort((a, b) => rank(a).localeCompare(rank(b)));
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const seg = segments[i]!;
    if (seg.startsWith("{")) params[seg.slice(1, -1)] = parts[i]!;
    else if (seg !== parts[i]) return null;
  }
  return params;
}

/**
 * The path's segments, decoded; null when one is not valid percent-encoded UTF-8. What a path
 * parameter may hold is checked once, by `paramProblems`, after the route is known.
 */
function decodeParts(pathname: string): string[] | null {
  try {
    return pathname
      .slice(SVIX_BASE_PATH.length)
      .split("/")
      .filter(Boolean)
      .map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
}

/** Path parameters that cannot name anything (text PostgreSQL cannot hold, or too long): 422 naming them. */
function paramProblems(params: Record<string, string>) {
  return Object.entries(params).flatMap(([name, value]) => {
    const msg = textProblem(value) ?? (value.length > 256 ? "is too long" : null);
    return msg ? [{ loc: [name], msg }] : [];
  });
}

let table: CompiledRoute[] | null = null;
async function routeTable(): Promise<CompiledRoute[]> {
  // Loaded on first use: the route files import this module.
  table ??= compile((await import("@/lib/svix/routes")).svixRoutes);
  return table;
}

/** The request's principal, once known (CORS on the answer depends on it). */
interface Caller {
  principal: SvixPrincipal | null;
}

async function dispatch(base: RequestContext<unknown>, caller: Caller): Promise<Response> {
  const { req, url } = base;
  const parts = decodeParts(url.pathname);
  if (!parts) throw apiErrors.routeNotFound(req.method, url.pathname);
  const candidates = (await routeTable())
    .map((c) => ({ c, params: matchSegments(c.segments, parts) }))
    .filter((m) => m.params !== null);
  if (candidates.length === 0) throw apiErrors.routeNotFound(req.method, url.pathname);
  const found = candidates.find((m) => m.c.route.method === req.method);
  if (!found) {
    const allow = [...new Set(candidates.map((m) => m.c.route.method))].join(", ");
    throw apiErrors.methodNotAllowed(req.method, allow);
  }
  const { route } = found.c;
  const params = found.params!;
  const problems = paramProblems(params);
  if (problems.length > 0) throw svixValidationError("path", problems);
  const principal =
    route.auth === "none" ? (null as unknown as SvixPrincipal) : await authenticateSvixRequest(req);
  caller.principal = principal;
  assertRouteAllowed(principal, route);
  await assertSvixOrigin(req, principal);
  const ctx: SvixContext = {
    req,
    url,
    requestId: base.requestId,
    log: base.log,
    params,
    principal,
    body: async (schema) => validateSvixBody(schema, await base.body(anyJson)),
    bodyText: () => base.bodyText(),
    query: (schema, lists) => parseSvixQuery(url, schema, lists),
    app: () => {
      const appId = params.app_id;
      if (appId === undefined) throw apiError("internal_error", "route has no {app_id}");
      return resolveSvixApp(principal, appId);
    },
  };
  const run = async () => {
    try {
      const result = await route.handler(ctx);
      return result instanceof Response ? result : json(result);
    } catch (err) {
      return svixErrorResponse(toApiError(err, base.log));
    }
  };
  const key = req.method === "POST" ? req.headers.get("idempotency-key") : null;
  if (key !== null && principal && (route.idempotency ?? "stored") === "stored")
    return withIdempotencyKey(principal.id, key, run);
  return run();
}

const handle = withPublic(async (base) => {
  const caller: Caller = { principal: null };
  const response = await answer(base, caller);
  await applySvixCors(base.req, response, caller.principal);
  return response;
});

async function answer(base: RequestContext<unknown>, caller: Caller): Promise<Response> {
  try {
    return await dispatch(base, caller);
  } catch (err) {
    const apiErr: ApiError = toApiError(err, base.log);
    const response = svixErrorResponse(apiErr);
    if (apiErr.status === 405) {
      const allowed = (apiErr.details as { allowed?: string[] } | undefined)?.allowed;
      if (allowed) response.headers.set("allow", allowed.join(", "));
    }
    if (apiErr.status === 401) response.headers.set("www-authenticate", 'Bearer realm="hookline"');
    return response;
  }
}

/**
 * Request handlers for a catch-all route file:
 * `export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = svixRouteHandlers();` (OPTIONS
 * answers browsers' CORS preflights, lib/svix/cors.ts).
 */
export function svixRouteHandlers() {
  // The catch-all's own params are not used: the router reads the URL.
  const handler = (req: Request) => handle(req, { params: Promise.resolve({}) });
  const OPTIONS = (req: Request) => svixPreflight(req, SVIX_BASE_PATH);
  return { GET: handler, POST: handler, PUT: handler, PATCH: handler, DELETE: handler, OPTIONS };
}
