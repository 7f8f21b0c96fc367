/**
 * A real HTTP server on 127.0.0.1 that dispatches `/api/v1/...` to the route modules under
 * app/api/v1, the way Next's router would (static segments before dynamic ones), without
 * building Next. It runs in the test process, so it shares the file's test database; it lets
 * the SDK make real HTTP calls in integration tests.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const API_DIR = path.join(ROOT, "app", "api", "v1");

type Handler = (
  req: Request,
  ctx: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;
interface RouteFile {
  /** Segments below /api/v1: "apps", "[slug]", ... */
  segments: string[];
  file: string;
}

/** Every route.ts under app/api/v1, with its URL segments. */
export function findRouteFiles(dir = API_DIR, segments: string[] = []): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      out.push(...findRouteFiles(path.join(dir, entry.name), [...segments, entry.name]));
    else if (entry.name === "route.ts") out.push({ segments, file: path.join(dir, entry.name) });
  }
  return out;
}

type Params = Record<string, string | string[]>;

/** `[...name]` takes the rest of the path (one segment or more); `[[...name]]` also none. */
function match(route: RouteFile, parts: string[]): Params | null {
  const params: Params = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i]!;
    const catchAll = /^\[(\[)?\.\.\.(\w+)\]?\]$/.exec(seg);
    if (catchAll) {
      const rest = parts.slice(i).map(decodeURIComponent);
      if (rest.length === 0 && !catchAll[1]) return null;
      if (rest.length > 0) params[catchAll[2]!] = rest;
      return i === route.segments.length - 1 ? params : null;
    }
    if (i >= parts.length) return null;
    const dynamic = /^\[(\w+)\]$/.exec(seg);
    if (dynamic) params[dynamic[1]!] = decodeURIComponent(parts[i]!);
    else if (seg !== parts[i]) return null;
  }
  return route.segments.length === parts.length ? params : null;
}

/** Static segments win over dynamic ones, and those over catch-alls, as in Next. */
function specificity(route: RouteFile): number[] {
  return route.segments.map((s) =>
    s.startsWith("[...") || s.startsWith("[[") ? -1 : s.startsWith("[") ? 0 : 1,
  );
}

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `under` picks the tree: "v1" (default) serves /api/v1; "" serves everything under /api
 * (health, the frontend API, the ticket exchange) except Inngest's own handler.
 */
export async function startRouteServer(options: { under?: string } = {}): Promise<RouteServer> {
  const under = options.under ?? "v1";
  const prefix = under ? `/api/${under}/` : "/api/";
  const tree = findRouteFiles(path.join(ROOT, "app", "api", under)).filter(
    (r) => r.segments[0] !== "inngest",
  );
  const routes = tree.sort((a, b) => {
    const sa = specificity(a);
    const sb = specificity(b);
    for (let i = 0; i < Math.min(sa.length, sb.length); i++)
      if (sa[i] !== sb[i]) return sb[i]! - sa[i]!;
    return 0;
  });
  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const parts = url.pathname.slice(prefix.length).split("/").filter(Boolean);
      let found: { route: RouteFile; params: Params } | undefined;
      if (url.pathname.startsWith(prefix)) {
        for (const route of routes) {
          const params = match(route, parts);
          if (params) {
            found = { route, params };
            break;
          }
        }
      }
      const method = req.method ?? "GET";
      const mod = found
        ? ((await import(found.route.file)) as Record<string, Handler | undefined>)
        : undefined;
      const handler = mod?.[method];
      if (!found || !handler) {
        const status = found ? 405 : 404;
        res.writeHead(status, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: {
              code: found ? "method_not_allowed" : "route_not_found",
              message: `No route for ${method} ${url.pathname}`,
            },
          }),
        );
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [key, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(key, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(key, v);
      }
      const body =
        chunks.length && method !== "GET" && method !== "HEAD" ? Buffer.concat(chunks) : undefined;
      const response = await handler(new Request(url, { method, headers, body }), {
        params: Promise.resolve(found.params),
      });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (err) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ error: { code: "route_server_error", message: (err as Error).message } }),
      );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
