import { testEndpointHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

/** Seed 002 testWebhookEndpoint: one signed delivery now; the answer says how it went. */
export const POST = backendAppRoute<{ id: string }>(testEndpointHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
