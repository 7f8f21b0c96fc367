import { getDeliveryHandler } from "@/lib/delivery-log/handlers";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const GET = frontendAppRoute<{ id: string }>(getDeliveryHandler);
