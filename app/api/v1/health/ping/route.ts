import { svixRouteHandlers } from "@/lib/svix/router";

export const dynamic = "force-dynamic";

/** Svix-compatible `/api/v1/health/ping` (lib/svix/routes/health.ts). */
export const { GET, POST, PUT, PATCH, DELETE } = svixRouteHandlers();
