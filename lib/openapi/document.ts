import { z } from "zod";
import { errorBody } from "@/lib/openapi/shared-schemas";
import { apiRoutes } from "@/lib/openapi/routes";
import type { ApiRoute } from "@/lib/openapi/registry";

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the same zod schemas the routes
 * validate with (JSON Schema 2020-12 is OpenAPI 3.1's dialect, so `z.toJSONSchema` output
 * drops in as it is).
 */
type JsonObject = Record<string, unknown>;

const STATUS_TEXT: Record<number, string> = {
  400: "Malformed request or query parameter (the message names the field)",
  401: "Missing, unknown or revoked API key",
  403: "Not allowed",
  404: "Not found (also for resources of another app)",
  409: "Conflict with the current state (the message says which)",
  413: "Request body too large",
  422: "A field failed validation (the message and `details.fields` name it)",
  429: "Rate limited",
  500: "Unexpected server error",
  503: "Database unavailable; nothing was changed",
};

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as JsonObject;
  delete out.$schema;
  return out;
}

function parameters(route: ApiRoute): JsonObject[] {
  const params: JsonObject[] = [];
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
    responses[status] = spec.schema
      ? { description: spec.description, content: { "application/json": { schema: jsonSchema(spec.schema, "output") } } }
      : { description: spec.description };
  }
  const errors = new Set([...(route.errors ?? []), 500]);
  if (route.auth !== "none") errors.add(401);
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
    op.requestBody = { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input") } } };
  }
  op.security = route.auth === "none" ? [] : [{ apiKey: [] }];
  return op;
}

export function buildOpenApiDocument(routes: ApiRoute[] = apiRoutes): JsonObject {
  const paths: Record<string, JsonObject> = {};
  const seen = new Set<string>();
  const statuses = new Set<number>();
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    if (seen.has(key)) throw new Error(`OpenAPI: ${key} is registered twice`);
    if (seen.has(route.operationId)) throw new Error(`OpenAPI: operationId ${route.operationId} is used twice`);
    seen.add(key).add(route.operationId);
    const op = operation(route);
    for (const status of Object.keys(op.responses as JsonObject)) statuses.add(Number(status));
    (paths[`/api/v1${route.path}`] ??= {})[route.method] = op;
  }
  const errorSchema = jsonSchema(errorBody, "output");
  const errorResponses: JsonObject = {};
  for (const status of [...statuses].filter((s) => STATUS_TEXT[s]).sort()) {
    errorResponses[`Error${status}`] = {
      description: STATUS_TEXT[status],
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Hookline API",
      version: "1",
      description:
        "Backend API of Hookline, self-hostable webhook delivery. Authenticate with `Authorization: Bearer hk_...`. " +
        "Errors share one envelope: `{ \"error\": { \"code\", \"message\", \"details\" } }`. Lists page by an opaque `cursor`.",
    },
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    servers: [{ url: "/" }],
    tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { apiKey: { type: "http", scheme: "bearer", bearerFormat: "hk_..." } },
      schemas: { Error: errorSchema },
      responses: errorResponses,
    },
  };
}

let cached: JsonObject | undefined;

/** The document, built once per process (the routes and schemas are static). */
export function getOpenApiDocument(): JsonObject {
  cached ??= buildOpenApiDocument();
  return cached;
}
