import { replayDeliveryHandler } from "@/lib/deliveries/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const POST = backendAppRoute(replayDeliveryHandler);
