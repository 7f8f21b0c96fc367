import { skipDeliveryHandler } from "@/lib/delivery-log/skip-handler";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const POST = frontendAppRoute<{ id: string }>(skipDeliveryHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
