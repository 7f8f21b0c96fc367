/**
 * Helpers for the portal e2e specs: the backend API (apps, event types, tickets, events), a real
 * webhook receiver, a host page on another origin that frames the portal, and screenshots in
 * both themes.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import {
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Page,
  type TestInfo,
} from "@playwright/test";
import { createApiKey, E2E_BASE_URL } from "./server";

export { E2E_BASE_URL };

/** How long a portal page may take to show its data after a navigation (a busy CI machine). */
export const FIRST_LOAD = 30_000;

export class Backend {
  constructor(
    private readonly request: APIRequestContext,
    readonly key: string,
  ) {}

  /** Its own request context (a test's `request` fixture cannot outlive beforeAll). */
  static async create(name: string): Promise<Backend> {
    return new Backend(await playwrightRequest.newContext(), createApiKey(name));
  }

  dispose(): Promise<void> {
    return this.request.dispose();
  }

  private headers() {
    return { authorization: `Bearer ${this.key}`, "content-type": "application/json" };
  }

  async call<T = unknown>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    data?: unknown,
    expected?: number,
  ): Promise<T> {
    const res = await this.request.fetch(`${E2E_BASE_URL}/api/v1${path}`, {
      method,
      headers: this.headers(),
      data,
    });
    const body = res.status() === 204 ? undefined : await res.json().catch(() => undefined);
    if (expected !== undefined)
      expect(res.status(), `${method} ${path}: ${JSON.stringify(body)}`).toBe(expected);
    else
      expect(res.ok(), `${method} ${path}: ${res.status()} ${JSON.stringify(body)}`).toBeTruthy();
    return body as T;
  }

  createApp(slug: string, extra: Record<string, unknown> = {}) {
    return this.call<{ id: string; slug: string }>("POST", "/apps", {
      slug,
      name: extra.name ?? `Acme ${slug}`,
      ...extra,
    });
  }

  eventType(
    slug: string,
    body: { name: string; description?: string; schema?: unknown; example?: unknown },
  ) {
    return this.call("POST", `/apps/${slug}/event-types`, body);
  }

  async ticket(slug: string): Promise<string> {
    const r = await this.call<{ ticket: string }>("POST", "/session/tickets", {
      ticket_type: "webhook_app_access",
      webhook_app_slug: slug,
      expires_in: 300,
    });
    return r.ticket;
  }

  /** How many deliveries `GET /deliveries?<query>` lists (one page of at most 250). */
  async countDeliveries(slug: string, query: string): Promise<number> {
    const page = await this.call<{ data: unknown[] }>(
      "GET",
      `/apps/${slug}/deliveries?limit=250&${query}`,
    );
    return page.data.length;
  }

  trigger(slug: string, event_name: string, payload: Record<string, unknown>) {
    return this.call<{ event_id: string; deliveries: number }>(
      "POST",
      `/apps/${slug}/events`,
      { event_name, payload },
      202,
    );
  }
}

export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
}

/** A webhook receiver on 127.0.0.1 that answers `status` (changeable) and records requests. */
export interface Receiver {
  url: string;
  requests: { path: string; headers: http.IncomingHttpHeaders; body: string }[];
  status: number;
  close(): Promise<void>;
}

export async function startReceiver(status = 200): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    requests: [],
    status,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.requests.push({
        path: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      const code = receiver.status;
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(code < 300 ? { received: true } : { error: "receiver is down" }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return receiver;
}

/**
 * The host page of docs/embedding.md, served on `http://localhost:<port>` (another site than
 * the portal's 127.0.0.1). `GET /?src=<portal url>` frames it with the doc's own snippet, under
 * a sticky header 51 px tall, and records the portal's messages in `window.__hookline`.
 */
export interface HostPage {
  origin: string;
  url(portalSrc: string, spacer?: number): string;
  close(): Promise<void>;
}

/** Height of the host page's sticky header (CSS px). */
export const HOST_HEADER = 51;

const DOC = path.resolve(import.meta.dirname, "..", "..", "docs", "embedding.md");
const DOC_SRC = "https://hooks.example.com/portal?ticket=TICKET&embed=1";

/** The copy-paste snippet of docs/embedding.md (the html between its host-snippet markers). */
export function hostSnippet(): string {
  const doc = fs.readFileSync(DOC, "utf8");
  const m = /<!-- host-snippet:start -->\s*```html\n([\s\S]*?)```\s*<!-- host-snippet:end -->/.exec(
    doc,
  );
  if (!m || !m[1]!.includes(DOC_SRC)) throw new Error("docs/embedding.md: host snippet not found");
  return m[1]!;
}

/** `spacer`: px of host content above the frame (to put the portal's top near the viewport's bottom). */
export function hostPageHtml(src: string, spacer = 0): string {
  const attr = src.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const snippet = hostSnippet()
    .replace(DOC_SRC.replace(/&/g, "&amp;"), attr)
    .replace(DOC_SRC, attr);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Acme — Settings</title>
<style>body{margin:0;font-family:system-ui,sans-serif;background:#fafafa} #app-header{position:sticky;top:0;z-index:10;box-sizing:border-box;height:${HOST_HEADER}px;padding:16px 24px;background:#111;color:#fff} main{max-width:1000px;margin:24px auto;padding:0 16px}</style>
</head>
<body>
<header id="app-header">Acme — Settings › Webhooks</header>
<main>
${spacer > 0 ? `<p style="height:${Math.floor(spacer)}px;margin:0">Your account settings…</p>` : ""}
<script>
  // The test's recorder: every hookline message the host page receives.
  window.__hookline = [];
  window.addEventListener("message", (event) => {
    const msg = event.data;
    if (msg && typeof msg.type === "string" && msg.type.startsWith("hookline:")) window.__hookline.push(msg);
  });
</script>
${snippet}
<p style="height:400px;margin:0">More settings below the portal…</p>
</main>
</body>
</html>`;
}

/**
 * Listens on a free port, dual-stack so "localhost" works whether Chromium tries ::1 or
 * 127.0.0.1, and answers the origin `http://localhost:<port>` (another site than 127.0.0.1).
 */
export async function listenOnLocalhost(server: http.Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "::", () => resolve());
  }).catch(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)));
  return `http://localhost:${(server.address() as AddressInfo).port}`;
}

export async function startHostPage(): Promise<HostPage> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? "/", "http://localhost");
    const src = u.searchParams.get("src");
    if (!src) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(hostPageHtml(src, Number(u.searchParams.get("spacer")) || 0));
  });
  const origin = await listenOnLocalhost(server);
  return {
    origin,
    url: (src, spacer) =>
      `${origin}/?src=${encodeURIComponent(src)}${spacer ? `&spacer=${spacer}` : ""}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Full-page screenshots in light and dark (theme "auto" follows the emulated colour scheme). */
export async function screenshotThemes(
  page: Page,
  testInfo: TestInfo,
  name: string,
): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator(".hl-portal")).toHaveCSS("color-scheme", scheme);
    await page.screenshot({
      path: testInfo.outputPath(`${name}-${scheme}.png`),
      fullPage: true,
      animations: "disabled",
    });
  }
  await page.emulateMedia({ colorScheme: "light" });
}

/** No horizontal scrolling at the current viewport width. */
export async function expectNoHorizontalOverflow(page: Page): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "page scrolls sideways").toBeLessThanOrEqual(0);
}
