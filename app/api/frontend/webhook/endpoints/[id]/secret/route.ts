import { revealEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const GET = frontendAppRoute<{ id: string }>(revealEndpointSecretHandler, {
  sensitive: true,
});

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
