import { backendAppRoute } from "@/lib/http/app-scope";
import { cancelReplayTaskHandler } from "@/lib/replays/handlers";

export const dynamic = "force-dynamic";

export const POST = backendAppRoute(cancelReplayTaskHandler);
