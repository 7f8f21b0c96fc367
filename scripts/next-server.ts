/**
 * The production web server (run by scripts/start.ts in place of `next start`): Next.js's
 * request handler behind a node:http server of our own, so that the routes producers call at
 * volume — POST /api/v1/apps/{app}/events, and Svix's message.create, POST /api/v1/app/{app}/msg
 * — skip the framework's per-request routing, tracing and stream plumbing (about 1.2 ms of CPU
 * of the trigger's ~1.9 ms). Everything else goes to Next unchanged.
 *
 * One copy of the domain: the handlers are not compiled into this file. After
 * `app.prepare()` it is taken from the route module Next itself compiled and serves
 * (.next/server/app/.../route.js), loaded with Next's own `requirePage`, i.e. through the same
 * Node require cache and so the same Turbopack runtime and module registry as Next's routes: the
 * fast path and every other route share one instance of each module (the database pool, the
 * lookup caches, the metrics, the wake-up hooks). The build (scripts/build.ts) refuses a bundle
 * that pulls in anything from app/ or lib/ other than the stateless lib/http/node-bridge.ts.
 * Compiled to .next/hookline-server.mjs:
 *   node .next/hookline-server.mjs --port N --hostname H
 */
import http from "node:http";
import path from "node:path";
import { createRequire } from "node:module";
import { parseArgs } from "node:util";
import next from "next";
import {
  answerClientError,
  answerMalformedPath,
  fastRoute,
  sanitizeForwardedHeaders,
  serveFastRoute,
  type WebRouteHandler,
} from "@/lib/http/node-bridge";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    port: { type: "string" },
    hostname: { type: "string" },
    "trust-proxy": { type: "boolean" },
  },
});
// Validated by the launcher (HOOKLINE_TRUST_PROXY) and passed as a flag: this file holds no config code.
const trustProxy = values["trust-proxy"] === true;
const port = Number(values.port ?? 3000);
const hostname = values.hostname ?? "0.0.0.0";

const server = http.createServer();
// Idle keep-alive sockets stay open longer than clients keep theirs (Node's 5 s default is shorter
// than many clients' pools): a client that reuses a socket the server is just closing sees a reset
// on a request that never arrived. `close()` still ends idle sockets at once on shutdown.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
// Registered before Next starts our background jobs: their shutdown runs first and then hands
// the signal on to this (see stopBeforeExit in lib/jobs/start-server-jobs.ts).
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    process.exit(signal === "SIGTERM" ? 143 : 130);
  });
}

interface CompiledAppRoute {
  routeModule?: { ensureUserland?: () => Promise<void>; userland?: Record<string, unknown> };
}

/**
 * The `method` export of an app route as Next serves it: the compiled route module, loaded the
 * way Next loads it (next/dist/server/require's requirePage, a plain `require` of
 * .next/server/app/<page>.js), so the module instances are the ones Next's own requests use.
 */
async function loadRouteHandler(
  page: string,
  method: string,
): Promise<WebRouteHandler<Record<string, string>>> {
  const require = createRequire(import.meta.url);
  const { requirePage } =
    require("next/dist/server/require") as typeof import("next/dist/server/require");
  const compiled = (await requirePage(
    `${page}/route`,
    path.join(ROOT, ".next"),
    true,
  )) as CompiledAppRoute;
  const routeModule = compiled.routeModule;
  await routeModule?.ensureUserland?.();
  const handler = routeModule?.userland?.[method];
  if (typeof handler !== "function")
    throw new Error(`the compiled route ${page} has no ${method} handler`);
  return handler as WebRouteHandler<Record<string, string>>;
}

const app = next({ dev: false, dir: ROOT, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const TRIGGER = "/api/v1/apps/[slug]/events";
/** The Svix surface's catch-all for /app/...: its router reads the operation from the URL. */
const SVIX_APP = "/api/v1/app/[[...path]]";
const fastRoutes = [
  fastRoute("POST", TRIGGER, await loadRouteHandler(TRIGGER, "POST")),
  fastRoute("POST", "/api/v1/app/[app_id]/msg", await loadRouteHandler(SVIX_APP, "POST")),
];
/** Where a page path that cannot be decoded is sent: a path no page has, so Next's not-found page answers (the portal's, with its headers, under /portal). */
const notFoundPath = (url: string) =>
  url === "/portal" || url.startsWith("/portal/") ? "/portal/not-found" : "/not-found";
const origin = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
  sanitizeForwardedHeaders(req, trustProxy);
  if (answerMalformedPath(req, res, notFoundPath)) return;
  if (!serveFastRoute(fastRoutes, req, res, origin)) void handle(req, res);
});
server.on("clientError", answerClientError);
server.listen(port, hostname, () => console.log(`ready on ${origin}`));
