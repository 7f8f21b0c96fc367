/**
 * Route wrappers: the only place that knows about requests. A handler gets parsed context and
 * returns data (sent as JSON 200) or a Response; every error becomes the one error envelope.
 * Web-standard Request/Response only, so nothing here depends on next/*.
 */
import { randomUUID } from "node:crypto";
import { ZodError } from "zod";
import { authenticateApiKey, type ApiKeySummary } from "@/lib/auth/api-keys";
import { getConfig } from "@/lib/config";
import { isDatabaseUnavailable, isUnstorableValue, sqlState } from "@/lib/db/errors";
import { ApiError, apiError, apiErrors, fieldErrors } from "@/lib/http/errors";
import { checkPathParams, readJsonBodyAndText } from "@/lib/http/parse";
import { log as rootLog, type Logger } from "@/lib/log";
import { stringifyWithJsonText } from "@/lib/react/json-text";
import type { z } from "zod";
import type { App } from "@/generated/prisma/client";
import { findAppById, getAppBySlugOrId } from "@/lib/apps/get-app";
import { applyCors, crossOrigin, originAllowedByAnyApp } from "@/lib/http/cors";
import { isPortalSessionRevoked } from "@/lib/sessions/revocation";
import {
  csrfValid,
  readOperatorSession,
  sessionCookieOf,
  type OperatorSession,
} from "@/lib/console/session";
import { operatorActor } from "@/lib/console/operators";
import { OPERATOR_APP_HEADER } from "@/lib/console/operator-app";
import {
  csrfMatches,
  needsRefresh,
  readPortalSession,
  sessionCookies,
  type PortalSession,
} from "@/lib/sessions/portal-session";

export interface RequestContext<P> {
  req: Request;
  url: URL;
  params: P;
  requestId: string;
  log: Logger;
  /** When the request arrived (epoch ms). */
  receivedAt: number;
  /** Reads and validates the JSON body (size-limited). */
  body<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
  /** The text `body` read ("" before it): where a payload's own text is taken from. */
  bodyText(): string;
}

export interface ApiKeyContext<P> extends RequestContext<P> {
  apiKey: ApiKeySummary;
  /** For the audit log. */
  actor: string;
}

/** What Next passes as the second argument; the default fits every route, with or without params. */
export type RouteParams = Record<string, string | string[]>;
type NextRouteContext<P> = { params: Promise<P> };
type Handler<C> = (ctx: C) => Promise<unknown>;

export interface PortalContext<P> extends RequestContext<P> {
  session: PortalSession;
  app: App;
  /** For the audit log. */
  actor: string;
}

export interface RouteOptions {
  /**
   * The answer is given by this instant (epoch ms, from the request's arrival time) even if the
   * work is still waiting: 503 `database_unavailable`. Only for handlers whose writes cannot
   * commit after it (lib/db/write-deadline.ts), since the work is not stopped, only not awaited.
   */
  answerBy?(receivedAt: number): number;
}

/** Runs after the handler (or its error) to adjust the response: CORS, cookies. */
type Finish<C> = (
  response: Response,
  base: RequestContext<unknown>,
  ctx: C | undefined,
) => Promise<void>;

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function json(data: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(stringifyWithJsonText(data), { ...init, headers });
}

export function errorResponse(err: ApiError, requestId?: string): Response {
  // `details` is always there (`{}` when the error has none), as the envelope promises.
  const body: { error: { code: string; message: string; details: unknown; request_id?: string } } =
    {
      error: { code: err.code, message: err.message, details: err.details ?? {} },
    };
  if (requestId) body.error.request_id = requestId;
  const headers: Record<string, string> = {};
  const retry = (err.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds;
  if (retry) headers["retry-after"] = String(retry);
  if (err.status === 503) headers["retry-after"] ??= "5";
  if (err.status === 401) headers["www-authenticate"] = 'Bearer realm="hookline"';
  return json(body, { status: err.status, headers });
}

/** Maps anything thrown to the error envelope: known errors keep their status, the rest is 500. */
export function toApiError(err: unknown, log: Logger): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return apiErrors.validation(fieldErrors(err));
  if (isDatabaseUnavailable(err)) {
    log.warn("database unavailable", { err });
    return apiErrors.databaseUnavailable();
  }
  if (isUnstorableValue(err)) {
    log.warn("the database refused a value", { sqlstate: sqlState(err) });
    return apiErrors.validation([
      { field: "(request)", message: "contains a value the database cannot store" },
    ]);
  }
  log.error("unhandled error", { err, stack: err instanceof Error ? err.stack : undefined });
  return apiErrors.internal();
}

/** `work`, or a database-unavailable error if it has not settled by `deadline` (epoch ms). */
async function settleBy<T>(work: Promise<T>, deadline: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(apiErrors.databaseUnavailable()),
      Math.max(0, deadline - Date.now()),
    );
  });
  // Work that ends after the answer was given is dropped, errors included.
  work.catch(() => {});
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function wrap<P, C extends RequestContext<P>>(
  extend: (base: RequestContext<P>) => Promise<C>,
  handler: Handler<C>,
  finish?: Finish<C>,
  options: RouteOptions = {},
): (req: Request, route: NextRouteContext<P>) => Promise<Response> {
  return async (req, route) => {
    const started = performance.now();
    const receivedAt = Date.now();
    const incoming = req.headers.get("x-request-id");
    const requestId =
      incoming && REQUEST_ID.test(incoming) ? incoming : `req_${randomUUID().replace(/-/g, "")}`;
    const url = new URL(req.url);
    const log = rootLog.child({ request_id: requestId });
    let response: Response;
    let keyId: string | undefined;
    let bodyText = "";
    const base: RequestContext<P> = {
      req,
      url,
      params: {} as P,
      requestId,
      log,
      receivedAt,
      body: async (schema) => {
        const { data, text } = await readJsonBodyAndText(req, schema, getConfig().maxBodyBytes);
        bodyText = text;
        return data;
      },
      bodyText: () => bodyText,
    };
    let ctx: C | undefined;
    const work = async () => {
      base.params = ((await route?.params) ?? {}) as P;
      checkPathParams(base.params);
      ctx = await extend(base);
      keyId = (ctx as Partial<ApiKeyContext<P>>).apiKey?.id;
      return handler(ctx);
    };
    try {
      const result = options.answerBy
        ? await settleBy(work(), options.answerBy(receivedAt))
        : await work();
      response = result instanceof Response ? result : json(result);
    } catch (err) {
      response = errorResponse(toApiError(err, log), requestId);
    }
    if (finish) {
      try {
        await finish(response, base as RequestContext<unknown>, ctx);
      } catch (err) {
        log.warn("could not finish the response", { err });
      }
    }
    response.headers.set("x-request-id", requestId);
    log.info("request", {
      method: req.method,
      path: url.pathname,
      status: response.status,
      duration_ms: Math.round(performance.now() - started),
      api_key_id: keyId,
    });
    return response;
  };
}

/** A route that needs no credentials (health, ticket exchange). */
export function withPublic<P = RouteParams>(handler: Handler<RequestContext<P>>) {
  return wrap<P, RequestContext<P>>(async (base) => base, handler);
}

const MUTATIONS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A frontend API route: a portal session cookie (from a ticket exchange) scoped to one app.
 * Mutations need the session's CSRF token in `x-csrf-token`; a cross-origin caller must be one
 * of the app's embed origins. The session's expiry slides forward as it is used.
 */
export function withPortalSession<P = RouteParams>(handler: Handler<PortalContext<P>>) {
  return wrap<P, PortalContext<P>>(
    async (base) => {
      const session = await readPortalSession(base.req);
      if (!session || (await isPortalSessionRevoked(session)))
        throw apiErrors.unauthorized("No webhook portal session: exchange an access ticket first");
      const app = await findAppById(session.appId);
      if (!app)
        throw apiErrors.unauthorized("No webhook portal session: exchange an access ticket first");
      const origin = crossOrigin(base.req);
      if (origin && !app.embedOrigins.includes(origin)) {
        throw apiError(
          "origin_not_allowed",
          `Origin ${origin} is not one of this app's embed origins`,
        );
      }
      if (
        MUTATIONS.has(base.req.method) &&
        !csrfMatches(session, base.req.headers.get("x-csrf-token"))
      ) {
        throw apiError(
          "csrf_failed",
          "Missing or wrong x-csrf-token: send the csrf_token of GET /api/frontend/webhook/session",
        );
      }
      return { ...base, session, app, actor: `portal:${session.sid}` };
    },
    handler,
    async (response, base, ctx) => {
      const origin = crossOrigin(base.req);
      if (
        origin &&
        (ctx ? ctx.app.embedOrigins.includes(origin) : await originAllowedByAnyApp(origin))
      )
        applyCors(response, origin);
      if (ctx && response.status < 400 && needsRefresh(ctx.session)) {
        const refreshed = { ...ctx.session, lastSeenAt: Math.floor(Date.now() / 1000) };
        for (const cookie of await sessionCookies(refreshed, base.req))
          response.headers.append("set-cookie", cookie);
      }
    },
  );
}

/**
 * A public browser-facing route (the ticket exchange). The handler adds CORS once it knows which
 * app is involved; error answers are made readable to any origin some app embeds from.
 */
export function withBrowserPublic<P = RouteParams>(handler: Handler<RequestContext<P>>) {
  return wrap<P, RequestContext<P>>(
    async (base) => base,
    handler,
    async (response, base) => {
      const origin = crossOrigin(base.req);
      if (origin && response.status >= 400 && (await originAllowedByAnyApp(origin)))
        applyCors(response, origin);
    },
  );
}

/** A backend API route: `Authorization: Bearer hk_...` required. */
export function withApiKey<P = RouteParams>(
  handler: Handler<ApiKeyContext<P>>,
  options?: RouteOptions,
) {
  return wrap<P, ApiKeyContext<P>>(
    async (base) => {
      const apiKey = await authenticateApiKey(base.req.headers.get("authorization"));
      return { ...base, apiKey, actor: `api_key:${apiKey.id}` };
    },
    handler,
    undefined,
    options,
  );
}

export interface OperatorContext<P> extends RequestContext<P> {
  session: OperatorSession;
  /** For the audit log: `operator:<email>`. */
  actor: string;
}

/**
 * The signed-in operator of a console request, or the refusal: 401 without a session; a `write`
 * and every mutation must come from this origin with the session's `x-csrf-token`; a `write`
 * from an admin (viewers: 403 `operator_read_only`, whatever the page shows them).
 */
async function operatorOf(req: Request, write: boolean): Promise<OperatorSession> {
  const session = await readOperatorSession(sessionCookieOf(req));
  if (!session) throw apiErrors.unauthorized("Not signed in to the console");
  if ((write || MUTATIONS.has(req.method)) && !csrfValid(session, req))
    throw apiError(
      "csrf_failed",
      "Console changes must come from the console's own pages with the x-csrf-token header",
    );
  if (write && session.operator.role !== "admin")
    throw apiError("operator_read_only", "Viewers can look but not change anything");
  return session;
}

/**
 * A console API route: a signed-in operator (lib/console/session.ts). Every mutation (and every
 * `write` route) must come from this origin with the session's `x-csrf-token`; `write` routes
 * are refused to viewers (403 `operator_read_only`) whatever the page shows them.
 */
export function withOperator<P = RouteParams>(
  handler: Handler<OperatorContext<P>>,
  options: { write: boolean },
) {
  return wrap<P, OperatorContext<P>>(async (base) => {
    const session = await operatorOf(base.req, options.write);
    return { ...base, session, actor: operatorActor(session.operator.email) };
  }, handler);
}

export { OPERATOR_APP_HEADER };

export interface OperatorAppContext<P> extends OperatorContext<P> {
  app: App;
}

/**
 * The frontend API answered to a signed-in operator instead of a portal session, for the app
 * named by `x-hookline-operator-app`: the same handlers, with operator powers. Only for this
 * origin's pages (another origin is refused and never gets CORS headers); mutations, and
 * `sensitive` reads (a signing secret), as any console write: CSRF-checked, admins only. The
 * handlers audit what they change under `operator:<email>`.
 */
export function withOperatorOnApp<P = RouteParams>(
  handler: Handler<OperatorAppContext<P>>,
  options: { sensitive?: boolean } = {},
) {
  return wrap<P, OperatorAppContext<P>>(async (base) => {
    if (crossOrigin(base.req))
      throw apiError("csrf_failed", "The console's view of an app is for its own pages only");
    const write = !!options.sensitive || MUTATIONS.has(base.req.method);
    const session = await operatorOf(base.req, write);
    const app = await getAppBySlugOrId(base.req.headers.get(OPERATOR_APP_HEADER) ?? "");
    return { ...base, session, app, actor: operatorActor(session.operator.email) };
  }, handler);
}

type RouteHandler = (req: Request, route: NextRouteContext<never>) => Promise<Response>;

/** A frontend API route served to a portal session, or to an operator naming an app. */
export function portalOrOperator<H extends RouteHandler>(portal: H, operator: H): H {
  return ((req, route) =>
    (req.headers.has(OPERATOR_APP_HEADER) ? operator : portal)(req, route)) as H;
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
const notAllowedHandlers = new WeakSet<object>();

/** Whether a route export is one of `methodsNotAllowed`'s 405 answers (for tests walking routes). */
export function isMethodNotAllowed(handler: unknown): boolean {
  return typeof handler === "function" && notAllowedHandlers.has(handler);
}
const ALL_METHODS: HttpMethod[] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/**
 * Handlers for the methods a route does not serve: 405 in the error envelope with `Allow`
 * (Next's own 405 has neither). A route exports the ones it lacks:
 * `export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");`
 */
export function methodsNotAllowed(
  ...allowed: HttpMethod[]
): Record<HttpMethod, ReturnType<typeof withPublic<RouteParams>>> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const handler = withPublic<RouteParams>(async ({ req, requestId }) => {
    const response = errorResponse(apiErrors.methodNotAllowed(req.method, allow), requestId);
    response.headers.set("allow", allow);
    return response;
  });
  notAllowedHandlers.add(handler);
  return Object.fromEntries(ALL_METHODS.map((m) => [m, handler])) as Record<
    HttpMethod,
    typeof handler
  >;
}
