import { revealEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** The current signing secret (audited). */
export const GET = backendAppRoute<{ id: string }>(revealEndpointSecretHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
