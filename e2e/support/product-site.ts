/**
 * "The product": a second origin (http://localhost:<port>, a different site from Hookline's
 * http://127.0.0.1:<port>) serving seed 001's express ticket endpoint behind a stand-in for the
 * product's own login, and a page with seed 001's React components bundled by esbuild.
 */
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { build } from "esbuild";
import express from "express";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface ProductSite {
  origin: string;
  close(): Promise<void>;
}

export async function startProductSite(options: {
  hooklineUrl: string;
  apiKey: string;
  deploymentId: string;
  replayRange: { start: string; end: string };
}): Promise<ProductSite> {
  // The seed's backend reads these when its module loads.
  process.env.WACHT_BACKEND_API_KEY = options.apiKey;
  process.env.HOOKLINE_URL = options.hooklineUrl;
  const { app: ticketEndpoint } = await import("../fixtures/seed-001/backend-ticket-endpoint");

  const bundle = await build({
    entryPoints: [path.join(ROOT, "e2e/fixtures/seed-001/entry.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    jsx: "automatic",
    minify: false,
    tsconfig: path.join(ROOT, "tsconfig.json"),
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.text;

  const site = express();
  // The product's login, reduced to a header: manager (default), viewer, or none.
  site.use((req, _res, next) => {
    const who = req.header("x-test-user") ?? "manager";
    if (who !== "none") req.user = { canManageWebhooks: who === "manager" };
    next();
  });
  site.use(ticketEndpoint);
  site.get("/app.js", (_req, res) => res.type("application/javascript").send(script));
  site.get("/", (_req, res) =>
    res.type("html").send(`<!doctype html><html><head><title>Product settings</title></head><body>
<div id="root"></div>
<script>window.SEED = ${JSON.stringify({ hooklineUrl: options.hooklineUrl, deploymentId: options.deploymentId, ...options.replayRange })};</script>
<script type="module" src="/app.js"></script></body></html>`),
  );

  const server = http.createServer(site);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
