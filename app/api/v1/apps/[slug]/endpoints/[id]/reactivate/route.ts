import { reactivateEndpointHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

/** Turns a disabled endpoint back on. */
export const POST = backendAppRoute<{ id: string }>(reactivateEndpointHandler);
