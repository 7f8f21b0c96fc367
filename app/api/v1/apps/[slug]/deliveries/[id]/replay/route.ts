import { replayDeliveryHandler } from "@/lib/delivery-log/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const POST = backendAppRoute(replayDeliveryHandler);
