import { svixRouteHandlers } from "@/lib/svix/router";

export const dynamic = "force-dynamic";

/** Svix-compatible `/api/v1/auth/...` (lib/svix/routes/auth.ts, auth-portal.ts). */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = svixRouteHandlers();
