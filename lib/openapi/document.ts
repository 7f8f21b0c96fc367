import { z } from "zod";
import { errorBody } from "@/lib/openapi/shared-schemas";
import { apiRoutes } from "@/lib/openapi/routes";
import type { ApiRoute } from "@/lib/openapi/registry";
import { SVIX_TAG, SVIX_TAG_DESCRIPTION, svixOpenApi } from "@/lib/svix/openapi";

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the same zod schemas the routes
 * validate with (JSON Schema 2020-12 is OpenAPI 3.1's dialect, so `z.toJSONSchema` output
 * drops in as it is).
 */
type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: "Malformed request or query parameter (the message names the field)",
  401: "Missing, unknown or revoked API key",
  403: "Not allowed (frontend API: `origin_not_allowed` for a caller outside the app's embed origins, `csrf_failed` for a mutation without the session's `x-csrf-token`)",
  404: "Not found (also for resources of another app)",
  409: "Conflict with the current state (the message says which)",
  413: "Request body too large",
  422: "A field failed validation (the message and `details.fields` name it)",
  429: "Rate limited",
  500: "Unexpected server error",
  503: "Database unavailable (`database_unavailable`); nothing was changed. Retry after `Retry-After` seconds.",
};

/** Headers an error response carries besides X-Request-Id. */
const ERROR_HEADERS: Record<number, JsonObject> = {
  401: {
    "WWW-Authenticate": {
      description: 'The scheme to use: `Bearer realm="hookline"` (backend API)',
      schema: { type: "string" },
    },
  },
  429: {
    "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
  },
  503: {
    "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonObject;
  delete out.$schema;
  return out;
}

const MUTATIONS = new Set(["post", "put", "patch", "delete"]);

function parameters(route: ApiRoute): JsonObject[] {
  const params: JsonObject[] = [];
  for (const h of route.headers ?? []) {
    params.push({
      name: h.name,
      in: "header",
      required: false,
      description: h.description,
      schema: h.schema ?? { type: "string" },
    });
  }
  if (route.auth === "session" && MUTATIONS.has(route.method))
    params.push({ $ref: "#/components/parameters/CsrfToken" });
  for (const match of route.path.matchAll(/\{([^}]+)\}/g)) {
    const name = match[1]!;
    params.push({
      name,
      in: "path",
      required: true,
      description: route.pathParams?.[name] ?? `The ${name}.`,
      schema: { type: "string" },
    });
  }
  if (route.query) {
    for (const [name, field] of Object.entries(route.query.shape)) {
      const schema = field as z.ZodType;
      const param: JsonObject = {
        name,
        in: "query",
        required: !schema.safeParse(undefined).success,
        schema: jsonSchema(schema, "input"),
      };
      if (schema.description) param.description = schema.description;
      params.push(param);
    }
  }
  return params;
}

function operation(route: ApiRoute): JsonObject {
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const headers: JsonObject = { "X-Request-Id": { $ref: "#/components/headers/RequestId" } };
    for (const [name, h] of Object.entries(spec.headers ?? {}))
      headers[name] = { description: h.description, schema: h.schema ?? { type: "string" } };
    responses[status] = spec.schema
      ? {
          description: spec.description,
          headers,
          content: { "application/json": { schema: jsonSchema(spec.schema, "output") } },
        }
      : { description: spec.description, headers };
  }
  const errors = new Set([...(route.errors ?? []), 500]);
  if (route.database !== false) errors.add(503);
  if (route.auth !== "none") errors.add(401);
  if (route.auth === "session") errors.add(403);
  if (route.body) errors.add(400).add(413).add(422);
  if (route.query) errors.add(400);
  for (const status of [...errors].sort()) {
    responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }
  const op: JsonObject = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    parameters: parameters(route),
    responses,
  };
  if (route.description) op.description = route.description;
  if (route.body) {
    op.requestBody = {
      required: true,
      content: { "application/json": { schema: jsonSchema(route.body, "input") } },
    };
  }
  op.security =
    route.auth === "none"
      ? []
      : route.auth === "session"
        ? [{ portalSession: [] }, { portalSessionTopLevel: [] }]
        : [{ apiKey: [] }];
  return op;
}

export function buildOpenApiDocument(routes: ApiRoute[] = apiRoutes): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const seen = new Set<string>();
  const statuses = new Set<number>();
  for (const route of routes) {
    const key = `${route.method} ${route.basePath ?? "/api/v1"}${route.path}`;
    if (seen.has(key)) throw new Error(`OpenAPI: ${key} is registered twice`);
    if (seen.has(route.operationId))
      throw new Error(`OpenAPI: operationId ${route.operationId} is used twice`);
    seen.add(key).add(route.operationId);
    const op = operation(route);
    for (const status of Object.keys(op.responses as JsonObject)) statuses.add(Number(status));
    (paths[`${route.basePath ?? "/api/v1"}${route.path}`] ??= {})[route.method] = op;
  }
  const errorSchema = jsonSchema(errorBody, "output");
  const errorResponses: JsonObject = {};
  for (const status of [...statuses].filter((s) => STATUS_TEXT[s]).sort()) {
    errorResponses[`Error${status}`] = {
      description: STATUS_TEXT[status],
      headers: {
        "X-Request-Id": { $ref: "#/components/headers/RequestId" },
        ...ERROR_HEADERS[status],
      },
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return hoistSchemaDefinitions({
    openapi: "3.1.0",
    info: {
      title: "Hookline API",
      version: "1",
      description:
        "Backend API of Hookline, self-hostable webhook delivery. Authenticate with `Authorization: Bearer hk_...`. " +
        'Errors share one envelope: `{ "error": { "code", "message", "details" } }`. Lists page by an opaque `cursor`. ' +
        "The operations tagged `Frontend API` are what the hosted portal and the React hooks call from the browser: a portal " +
        "session (cookie from `POST /api/session/ticket/exchange`) instead of an API key, `x-csrf-token` on mutations; see docs/frontend-api.md.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    tags: [
      ...[...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
      { name: SVIX_TAG, description: SVIX_TAG_DESCRIPTION },
    ],
    paths: { ...paths, ...svixOpenApi.paths },
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", bearerFormat: "hk_..." },
        portalSession: {
          type: "apiKey",
          in: "cookie",
          name: "hookline_portal",
          description:
            "Frontend API: the portal session cookie set by `POST /api/session/ticket/exchange` (partitioned, for embedded use).",
        },
        portalSessionTopLevel: {
          type: "apiKey",
          in: "cookie",
          name: "hookline_portal_top",
          description:
            "Frontend API: the same session as a first-party cookie, for browsers that refuse partitioned cookies.",
        },
      },
      schemas: { Error: errorSchema, ...svixOpenApi.schemas },
      responses: errorResponses,
      headers: {
        RequestId: {
          description:
            "The request's id (echoes a valid incoming `x-request-id`); quote it to support.",
          schema: { type: "string" },
        },
      },
      parameters: {
        CsrfToken: {
          name: "x-csrf-token",
          in: "header",
          required: true,
          description:
            "The session's `csrf_token` (from the ticket exchange or `GET /api/frontend/webhook/session`); required on every state-changing frontend API call.",
          schema: { type: "string" },
        },
      },
    },
  });
}

/**
 * `z.toJSONSchema` puts a recursive schema (a payload filter) in the `$defs` of each schema that
 * uses it, with `#/$defs/Name` references, which in an OpenAPI document would point at the
 * document's root. They move to `components.schemas` once, and the references follow.
 */
function hoistSchemaDefinitions(doc: JsonObject): JsonObject {
  const schemas = (doc.components as JsonObject).schemas as JsonObject;
  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit);
    if (!node || typeof node !== "object") return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node as JsonObject)) {
      if (key === "$defs") {
        for (const [name, def] of Object.entries(value as JsonObject)) {
          const hoisted = visit(def);
          if (
            schemas[name] !== undefined &&
            JSON.stringify(schemas[name]) !== JSON.stringify(hoisted)
          ) {
            throw new Error(`OpenAPI: two different schemas are named ${name}`);
          }
          schemas[name] = hoisted;
        }
      } else if (key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")) {
        out[key] = `#/components/schemas/${value.slice("#/$defs/".length)}`;
      } else {
        out[key] = visit(value);
      }
    }
    return out;
  };
  const { components, ...rest } = doc;
  const body = visit(rest) as JsonObject;
  return { ...body, components };
}

let cached: JsonObject | undefined;

/** The document, built once per process (the routes and schemas are static). */
export function getOpenApiDocument(): JsonObject {
  cached ??= buildOpenApiDocument();
  return cached;
}
