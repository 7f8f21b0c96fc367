import { rotateEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** A new signing secret; the previous one keeps signing for the grace period unless expired at once. */
export const POST = backendAppRoute<{ id: string }>(rotateEndpointSecretHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
