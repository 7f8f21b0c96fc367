import { createEndpointHandler, listEndpointsHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(listEndpointsHandler);
export const POST = backendAppRoute(createEndpointHandler);
