import { revealEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

/** The current signing secret (audited). */
export const GET = backendAppRoute<{ id: string }>(revealEndpointSecretHandler);
