import { getAnalyticsHandler } from "@/lib/analytics/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(getAnalyticsHandler);
