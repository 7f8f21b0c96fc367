/**
 * Every operation of the Svix-compatible surface: one array per area, each in its own file.
 * Add an area by writing `lib/svix/routes/<area>.ts` exporting a `SvixRoute[]` and listing it
 * here; add a catch-all route file under app/api/v1 if its first path segment is new.
 */
import type { SvixRoute } from "@/lib/svix/router";
import { appRoutes } from "@/lib/svix/routes/apps";
import { attemptRoutes } from "@/lib/svix/routes/attempts";
import { authRoutes } from "@/lib/svix/routes/auth";
import { authPortalRoutes } from "@/lib/svix/routes/auth-portal";
import { backgroundTaskRoutes } from "@/lib/svix/routes/background-tasks";
import { endpointRoutes } from "@/lib/svix/routes/endpoints";
import { eventTypeRoutes } from "@/lib/svix/routes/event-types";
import { healthRoutes } from "@/lib/svix/routes/health";
import { messageRoutes } from "@/lib/svix/routes/messages";
import { operationalWebhookRoutes } from "@/lib/svix/routes/operational-webhooks";

export const svixRoutes: SvixRoute[] = [
  ...healthRoutes,
  ...appRoutes,
  ...endpointRoutes,
  ...eventTypeRoutes,
  ...messageRoutes,
  ...attemptRoutes,
  ...backgroundTaskRoutes,
  ...operationalWebhookRoutes,
  ...authRoutes,
  ...authPortalRoutes,
];
