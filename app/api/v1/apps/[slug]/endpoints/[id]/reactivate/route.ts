import { reactivateEndpointHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Turns a disabled endpoint back on. */
export const POST = backendAppRoute<{ id: string }>(reactivateEndpointHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
