import { rotateEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

/** A new signing secret; the previous one keeps signing for the grace period unless expired at once. */
export const POST = backendAppRoute<{ id: string }>(rotateEndpointSecretHandler);
