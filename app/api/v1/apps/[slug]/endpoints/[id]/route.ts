import { deleteEndpointHandler, getEndpointHandler, updateEndpointHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute<{ id: string }>(getEndpointHandler);
export const PATCH = backendAppRoute<{ id: string }>(updateEndpointHandler);
export const DELETE = backendAppRoute<{ id: string }>(deleteEndpointHandler);
