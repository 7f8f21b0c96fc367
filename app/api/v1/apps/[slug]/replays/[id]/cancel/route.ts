import { backendAppRoute } from "@/lib/http/app-scope";
import { cancelReplayTaskHandler } from "@/lib/replays/handlers";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const POST = backendAppRoute(cancelReplayTaskHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { GET, PUT, PATCH, DELETE } = methodsNotAllowed("POST");
