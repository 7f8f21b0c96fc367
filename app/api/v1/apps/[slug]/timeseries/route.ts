import { getTimeseriesHandler } from "@/lib/analytics/handlers";
import { backendAppRoute } from "@/lib/http/app-scope";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(getTimeseriesHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
