import {
  deleteEndpointHandler,
  getEndpointHandler,
  updateEndpointHandler,
} from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute<{ id: string }>(getEndpointHandler);
export const PATCH = backendAppRoute<{ id: string }>(updateEndpointHandler);
export const DELETE = backendAppRoute<{ id: string }>(deleteEndpointHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT } = methodsNotAllowed("GET", "PATCH", "DELETE");
