import { backendAppRoute } from "@/lib/http/app-scope";
import { createReplayTaskHandler, listReplayTasksHandler } from "@/lib/replays/handlers";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(listReplayTasksHandler);
export const POST = backendAppRoute(createReplayTaskHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { PUT, PATCH, DELETE } = methodsNotAllowed("GET", "POST");
