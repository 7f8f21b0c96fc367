import { testEndpointHandler } from "@/lib/endpoints/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

/** Seed 002 testWebhookEndpoint: one signed delivery now; the answer says how it went. */
export const POST = backendAppRoute<{ id: string }>(testEndpointHandler);
