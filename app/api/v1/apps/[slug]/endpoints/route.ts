import { createEndpointHandler, listEndpointsHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(listEndpointsHandler);
export const POST = backendAppRoute(createEndpointHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
