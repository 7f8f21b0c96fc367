"use client";
/**
 * The console's calls to /api/console: same-origin, with the session's CSRF token (read from the
 * `hookline_console_csrf` cookie) on every write. Errors arrive as the SDK's HooklineError, so
 * the portal's error states and field-error helpers show them unchanged.
 */
import { HooklineError } from "@/lib/sdk/errors";

const CSRF_COOKIE = "hookline_console_csrf";

function csrfToken(): string {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${CSRF_COOKIE}=`));
  return match ? decodeURIComponent(match.slice(CSRF_COOKIE.length + 1)) : "";
}

export async function consoleApi<T = unknown>(
  path: string,
  init: { method?: "GET" | "POST" | "PATCH" | "DELETE"; body?: unknown } = {},
): Promise<T> {
  const method = init.method ?? "GET";
  let res: Response;
  try {
    res = await fetch(`/api/console${path}`, {
      method,
      credentials: "same-origin",
      headers: {
        accept: "application/json",
        ...(method !== "GET" && { "x-csrf-token": csrfToken() }),
        ...(init.body !== undefined && { "content-type": "application/json" }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new HooklineError({ status: 0, code: "internal_error", message: "Network error" });
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; details?: unknown; request_id?: string } })
    | null;
  if (!res.ok) {
    if (res.status === 401 && typeof window !== "undefined" && path !== "/session")
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination -- a full load: the server re-reads the session
      window.location.assign(`/console/login?next=${encodeURIComponent(location.pathname)}`);
    const e = body?.error;
    throw new HooklineError({
      status: res.status,
      code: (e?.code ?? "internal_error") as HooklineError["code"],
      message: e?.message ?? `HTTP ${res.status}`,
      details: e?.details,
      requestId: e?.request_id,
    });
  }
  return body as T;
}

export function formatTime(iso: string | Date | null | undefined): string {
  if (!iso) return "—";
  const d = typeof iso === "string" ? new Date(iso) : iso;
  return d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "medium" });
}
