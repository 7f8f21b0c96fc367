/**
 * The production web server (run by scripts/start.ts in place of `next start`): Next.js's
 * request handler behind a node:http server of our own, so that the one route producers call at
 * volume — POST /api/v1/apps/{app}/events — skips the framework's per-request routing, tracing
 * and stream plumbing (about 1.2 ms of CPU of the trigger's ~1.9 ms). It is answered by the same
 * route module Next serves (its handler, wrappers and domain code), so authentication,
 * validation, errors and logging are the same. Everything else goes to Next unchanged.
 * Compiled by the build (scripts/build.ts) to .next/hookline-server.mjs:
 *   node .next/hookline-server.mjs --port N --hostname H
 */
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import next from "next";
import { sanitizeForwardedHeaders } from "@/lib/http/forwarded";
import { fastRoute, serveFastRoute } from "@/lib/http/node-bridge";
import { POST as triggerEvent } from "@/app/api/v1/apps/[slug]/events/route";

const { values } = parseArgs({ options: { port: { type: "string" }, hostname: { type: "string" } } });
const port = Number(values.port ?? 3000);
const hostname = values.hostname ?? "0.0.0.0";
const fastRoutes = [fastRoute("POST", "/api/v1/apps/[slug]/events", triggerEvent)];

const server = http.createServer();
// Registered before Next starts our background jobs: their shutdown runs first and then hands
// the signal on to this (see stopBeforeExit in lib/jobs/start-server-jobs.ts).
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    server.close();
    server.closeIdleConnections();
    process.exit(signal === "SIGTERM" ? 143 : 130);
  });
}

const app = next({ dev: false, dir: path.resolve(import.meta.dirname, ".."), hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const origin = `http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
  sanitizeForwardedHeaders(req);
  if (!serveFastRoute(fastRoutes, req, res, origin)) void handle(req, res);
});
server.listen(port, hostname, () => console.log(`ready on ${origin}`));
