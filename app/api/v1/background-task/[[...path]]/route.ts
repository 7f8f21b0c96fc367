import { svixRouteHandlers } from "@/lib/svix/router";

export const dynamic = "force-dynamic";

/** Svix-compatible `/api/v1/background-task/...` (lib/svix/routes). */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = svixRouteHandlers();
