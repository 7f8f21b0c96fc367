import { listDeliveriesHandler } from "@/lib/delivery-log/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(listDeliveriesHandler);
