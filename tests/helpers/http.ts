/* eslint-disable @typescript-eslint/no-explicit-any -- test helper: bodies are asserted field by field */
/**
 * Calls a route handler the way Next does (a Web Request plus `{ params }`), against the test
 * database, and returns the status and parsed JSON.
 */
type RouteHandler = (req: Request, ctx: { params: Promise<any> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  /** Path and query, e.g. `/api/v1/apps?limit=2`. */
  path: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is. */
  body?: unknown;
  params?: Record<string, string | string[]>;
  apiKey?: string;
}

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function callRoute<T = any>(
  handler: RouteHandler,
  options: CallOptions,
): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  const req = new Request(`http://hookline.test${options.path}`, {
    method: options.method ?? "GET",
    headers,
    body,
  });
  const res = await handler(req, { params: Promise.resolve(options.params ?? {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: leave the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/**
 * `api(method, path, body?, headers?)` over real HTTP against a server on 127.0.0.1 with an API
 * key (read when called: both are usually set in `beforeAll`). An object body is sent as JSON, a
 * string or bytes as they are, with `content-type: application/json` unless `headers` say
 * otherwise; the answer's body is parsed as JSON (null when empty).
 */
export function apiOverHttp(target: () => { url: string; key: string }) {
  return async function api(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> {
    const { url, key } = target();
    const raw = body instanceof Uint8Array || typeof body === "string";
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? (body as BodyInit) : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };
}
