import { methodsNotAllowed, withPublic } from "@/lib/http/route";
import { getOpenApiDocument } from "@/lib/openapi/document";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document of /api/v1; public, like any API reference. */
export const GET = withPublic(async () => getOpenApiDocument());

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
