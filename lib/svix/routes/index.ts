/**
 * Every operation of the Svix-compatible surface: one array per area, each in its own file.
 * Add an area by writing `lib/svix/routes/<area>.ts` exporting a `SvixRoute[]` and listing it
 * here; add a catch-all route file under app/api/v1 if its first path segment is new.
 */
import type { SvixRoute } from "@/lib/svix/router";
import { appRoutes } from "@/lib/svix/routes/apps";
import { authPortalRoutes } from "@/lib/svix/routes/auth-portal";
import { healthRoutes } from "@/lib/svix/routes/health";

export const svixRoutes: SvixRoute[] = [...healthRoutes, ...appRoutes, ...authPortalRoutes];
