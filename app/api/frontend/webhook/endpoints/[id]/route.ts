import { deleteEndpointHandler, getEndpointHandler, updateEndpointHandler } from "@/lib/endpoints/handlers";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const GET = frontendAppRoute<{ id: string }>(getEndpointHandler);
export const PATCH = frontendAppRoute<{ id: string }>(updateEndpointHandler);
export const DELETE = frontendAppRoute<{ id: string }>(deleteEndpointHandler);
