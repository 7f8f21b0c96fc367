import { listReplayTasksHandler } from "@/lib/replays/handlers";
import { frontendAppRoute } from "@/lib/http/app-scope";
import { corsPreflight } from "@/lib/http/cors";
import { methodsNotAllowed } from "@/lib/http/route";

export const dynamic = "force-dynamic";
export const OPTIONS = corsPreflight;
export const GET = frontendAppRoute(listReplayTasksHandler);

/** The other methods: 405 with the error envelope and `Allow`. */
export const { POST, PUT, PATCH, DELETE } = methodsNotAllowed("GET");
