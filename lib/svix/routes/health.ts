import type { SvixRoute } from "@/lib/svix/router";
import { svixReply } from "@/lib/svix/router";
import { checkHealth } from "@/lib/health/check-health";

/**
 * `GET /health`: 204 while the database answers (Svix answers 204 with no body). `GET
 * /health/ping`: 204 while the server answers at all (liveness, no database).
 */
export const healthRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: "/health",
    operationId: "v1.health.get",
    auth: "none",
    handler: async () => svixReply((await checkHealth()).status === "ok" ? 204 : 503),
  },
  {
    method: "GET",
    path: "/health/ping",
    operationId: "v1.health.ping",
    auth: "none",
    handler: async () => svixReply(204),
  },
];
