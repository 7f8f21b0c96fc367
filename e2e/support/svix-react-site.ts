/**
 * A product site built on svix-react, on `http://localhost:<port>` (another site than Hookline's
 * http://127.0.0.1:<port>): e2e/fixtures/svix-react/entry.tsx bundled by esbuild, rendering
 * either `AppPortal` with an appPortalAccess `url` or a page on the `SvixProvider` hooks.
 */
import http from "node:http";
import path from "node:path";
import { build } from "esbuild";
import { listenOnLocalhost } from "./portal";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export type SvixReactPage =
  | { mode: "portal"; url: string }
  | { mode: "hooks"; token: string; appId: string; serverUrl: string };

export interface SvixReactSite {
  origin: string;
  /** The URL of a page rendering `config`. */
  url(config: SvixReactPage): string;
  close(): Promise<void>;
}

export async function startSvixReactSite(): Promise<SvixReactSite> {
  const bundle = await build({
    entryPoints: [path.join(ROOT, "e2e/fixtures/svix-react/entry.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    jsx: "automatic",
    outdir: "/bundle",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const files = new Map(
    bundle.outputFiles.map((f) => [
      `/${path.basename(f.path)}`,
      { text: f.text, type: f.path.endsWith(".css") ? "text/css" : "application/javascript" },
    ]),
  );

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://localhost");
    const file = files.get(u.pathname);
    if (file) {
      res.writeHead(200, { "content-type": `${file.type}; charset=utf-8` });
      res.end(file.text);
      return;
    }
    const encoded = u.searchParams.get("page");
    if (u.pathname !== "/" || !encoded) {
      res.writeHead(404).end();
      return;
    }
    const config = Buffer.from(encoded, "base64url").toString("utf8");
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme — Webhooks</title>
<link rel="stylesheet" href="/entry.css"></head><body>
<div id="root"></div>
<script>window.SVIX_TEST = ${config.replace(/</g, "\\u003c")};</script>
<script type="module" src="/entry.js"></script></body></html>`);
  });
  const origin = await listenOnLocalhost(server);
  return {
    origin,
    url: (config) => `${origin}/?page=${Buffer.from(JSON.stringify(config)).toString("base64url")}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
