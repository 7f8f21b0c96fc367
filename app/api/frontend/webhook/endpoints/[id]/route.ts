import {
  deleteEndpointHandler,
  getEndpointHandler,
  updateEndpointHandler,
} from "@/lib/endpoints/handlers";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const GET = frontendAppRoute<{ id: string }>(getEndpointHandler);
export const PATCH = frontendAppRoute<{ id: string }>(updateEndpointHandler);
export const DELETE = frontendAppRoute<{ id: string }>(deleteEndpointHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
