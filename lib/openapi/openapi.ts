import { defineRoutes } from "@/lib/openapi/registry";

export const openapiRoutes = defineRoutes([
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    tag: "Meta",
    auth: "none",
    responses: { 200: { description: "The OpenAPI 3.1 document of /api/v1" } },
  },
]);
