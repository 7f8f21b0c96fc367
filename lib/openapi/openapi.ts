import { z } from "zod";
import { defineRoutes } from "@/lib/openapi/registry";

export const openapiRoutes = defineRoutes([
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    tag: "Meta",
    auth: "none",
    database: false,
    responses: {
      200: {
        description: "The OpenAPI 3.1 document of /api/v1 and the frontend API",
        schema: z.looseObject({
          openapi: z.string(),
          info: z.looseObject({ title: z.string(), version: z.string() }),
          paths: z.record(z.string(), z.unknown()),
        }),
      },
    },
  },
]);
