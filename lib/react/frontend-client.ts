/**
 * The browser's client for Hookline's frontend API (`/api/frontend/webhook/...`): cookie
 * credentials (also cross-origin), the session's CSRF token on mutations, errors thrown as
 * `HooklineError` like the backend SDK's.
 */
import { HooklineError } from "@/lib/sdk/errors";
import type { HooklineErrorCode } from "@/lib/sdk/types";
import { rememberPayloadSources } from "@/lib/react/payload-source";

export type QueryParams = Record<
  string,
  string | number | boolean | readonly (string | number)[] | null | undefined
>;

export interface FrontendClient {
  readonly baseUrl: string;
  get<T>(path: string, query?: QueryParams): Promise<T>;
  send<T>(method: "POST" | "PATCH" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T>;
  /** `POST /api/session/ticket/exchange`. */
  exchangeTicket<T>(ticket: string): Promise<T>;
  setCsrfToken(token: string | null): void;
}

function toQuery(query: QueryParams | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === "") continue;
    params.set(k, Array.isArray(v) ? v.join(",") : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export function createFrontendClient(
  baseUrl = "",
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): FrontendClient {
  const root = baseUrl.replace(/\/+$/, "");
  let csrf: string | null = null;

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (method !== "GET" && csrf) headers["x-csrf-token"] = csrf;
    let res: Response;
    try {
      res = await fetchImpl(url, {
        method,
        headers,
        credentials: "include",
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (err) {
      throw new HooklineError({
        status: 0,
        code: "network_error",
        message: `Could not reach Hookline: ${(err as Error).message}`,
      });
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: unknown = undefined;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = text;
    }
    if (!res.ok) {
      const e = (
        data as
          | {
              error?: {
                code?: HooklineErrorCode;
                message?: string;
                details?: unknown;
                request_id?: string;
              };
            }
          | undefined
      )?.error;
      throw new HooklineError({
        status: res.status,
        code: e?.code ?? "http_error",
        message: e?.message ?? `HTTP ${res.status}`,
        details: e?.details,
        requestId: e?.request_id ?? res.headers.get("x-request-id") ?? undefined,
      });
    }
    rememberPayloadSources(text, data);
    return data as T;
  }

  return {
    baseUrl: root,
    get: (path, query) => call("GET", `${root}/api/frontend/webhook${path}${toQuery(query)}`),
    send: (method, path, body) => call(method, `${root}/api/frontend/webhook${path}`, body),
    exchangeTicket: (ticket) => call("POST", `${root}/api/session/ticket/exchange`, { ticket }),
    setCsrfToken: (token) => {
      csrf = token;
    },
  };
}
