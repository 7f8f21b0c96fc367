import type { z } from "zod";

/**
 * What the OpenAPI document knows about one `/api/v1` route. Each domain lists its routes in
 * `lib/<domain>/openapi.ts` with `defineRoutes([...])`, and `lib/openapi/routes.ts` collects
 * them; the openapi test fails for any route file under app/api/v1 that is not listed.
 */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

export interface ApiResponseSpec {
  description: string;
  /** Omitted for responses without a body (204). */
  schema?: z.ZodType;
  /** Response headers besides X-Request-Id (declared on every response). */
  headers?: Record<string, { description: string; schema?: Record<string, unknown> }>;
}

export interface ApiRoute {
  method: HttpMethod;
  /** Relative to `/api/v1`, with OpenAPI placeholders: `/apps/{slug}/endpoints/{id}`. */
  path: string;
  /** Unique; SDK-style camelCase (`createWebhookEndpoint`). */
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /**
   * Defaults to `api_key` (`Authorization: Bearer hk_...`). `session`: the frontend API's portal
   * session cookie (plus `x-csrf-token` on state-changing calls).
   */
  auth?: "api_key" | "session" | "none";
  /** Path prefix; defaults to `/api/v1`. */
  basePath?: "/api/v1" | "/api/frontend/webhook" | "/api/session";
  /** False for routes that never touch the database (no 503). */
  database?: boolean;
  /** Request headers the route reads. */
  headers?: { name: string; description: string; schema?: Record<string, unknown> }[];
  /** Descriptions of the path placeholders; any not given get a generic one. */
  pathParams?: Record<string, string>;
  /** A z.object of query parameters (validated as input). */
  query?: z.ZodObject;
  /** The JSON request body (validated as input). */
  body?: z.ZodType;
  /** Success responses by status code. */
  responses: Record<number, ApiResponseSpec>;
  /** Error statuses besides 401 and 500 that this route answers with the error envelope. */
  errors?: number[];
}

/** Identity, for inference and a single place to hang the type. */
export function defineRoutes(routes: ApiRoute[]): ApiRoute[] {
  return routes;
}

/** Descriptions shared by many routes. */
export const commonPathParams = {
  slug: "The app's slug (or its id).",
  appId: "The app's id or slug.",
  id: "The resource id.",
};
