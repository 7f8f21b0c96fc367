import { backendAppRoute } from "@/lib/http/app-scope";
import { createReplayTaskHandler, listReplayTasksHandler } from "@/lib/replays/handlers";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(listReplayTasksHandler);
export const POST = backendAppRoute(createReplayTaskHandler);
