import { HooklineError } from "./errors";
import type { HooklineErrorCode } from "./types";
import { WebhooksApi } from "./webhooks";

/**
 * The Hookline backend SDK: `fetch` and nothing else, so it runs in Node 18+, Deno, Bun and
 * edge runtimes. Paths are relative to `/api/v1`.
 */
export interface HooklineClientOptions {
  /** `hk_...`; defaults to the HOOKLINE_API_KEY environment variable. */
  apiKey?: string;
  /** Where Hookline runs; defaults to HOOKLINE_URL, then http://localhost:3000. `/api/v1` is added. */
  baseUrl?: string;
  /** A custom fetch (tests, proxies). */
  fetch?: typeof fetch;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export type QueryValue =
  string | number | boolean | null | undefined | ReadonlyArray<string | number>;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.[name];
}

function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return trimmed.endsWith("/api/v1") ? trimmed : `${trimmed}/api/v1`;
}

/** Query strings: arrays are comma-separated (seed 003's `fields`), undefined/null are left out. */
function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

export class HooklineClient {
  readonly webhooks: WebhooksApi;
  readonly baseUrl: string;
  readonly #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;

  constructor(options: HooklineClientOptions = {}) {
    const apiKey = options.apiKey ?? env("HOOKLINE_API_KEY");
    if (!apiKey)
      throw new HooklineError({
        status: 0,
        code: "missing_api_key",
        message: "HooklineClient needs an apiKey (or HOOKLINE_API_KEY)",
      });
    this.#apiKey = apiKey;
    this.baseUrl = apiRoot(options.baseUrl ?? env("HOOKLINE_URL") ?? "http://localhost:3000");
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#headers = options.headers ?? {};
    this.webhooks = new WebhooksApi(this);
  }

  /** Any API call; resolves to the parsed JSON body (undefined for 204), throws HooklineError otherwise. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const url = `${this.baseUrl}${path.startsWith("/") ? path : `/${path}`}${queryString(options.query)}`;
    const headers: Record<string, string> = {
      accept: "application/json",
      ...this.#headers,
      ...options.headers,
      authorization: `Bearer ${this.#apiKey}`,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new HooklineError({
        status: 0,
        code: "network_error",
        message: `${method} ${url} failed: ${reason}`,
        details: { cause: reason },
      });
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!response.ok) {
      const error = (
        parsed as
          | {
              error?: {
                code?: unknown;
                message?: unknown;
                details?: unknown;
                request_id?: unknown;
              };
            }
          | undefined
      )?.error;
      throw new HooklineError({
        status: response.status,
        code: typeof error?.code === "string" ? (error.code as HooklineErrorCode) : "http_error",
        message:
          typeof error?.message === "string"
            ? error.message
            : `${method} ${path} answered ${response.status}`,
        details: error?.details,
        requestId:
          typeof error?.request_id === "string"
            ? error.request_id
            : (response.headers.get("x-request-id") ?? undefined),
      });
    }
    return parsed as T;
  }

  get<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", path, { query });
  }

  post<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, { body: body ?? {} });
  }

  put<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PUT", path, { body: body ?? {} });
  }

  patch<T = unknown>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("PATCH", path, { body: body ?? {} });
  }

  delete<T = unknown>(path: string, query?: Query): Promise<T> {
    return this.request<T>("DELETE", path, { query });
  }
}
