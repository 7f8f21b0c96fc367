import { backendAppRoute } from "@/lib/http/app-scope";
import { getReplayTaskHandler } from "@/lib/replays/handlers";

export const dynamic = "force-dynamic";

export const GET = backendAppRoute(getReplayTaskHandler);
