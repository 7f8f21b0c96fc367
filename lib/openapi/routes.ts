import { analyticsRoutes } from "@/lib/analytics/openapi";
import { appRoutes } from "@/lib/apps/openapi";
import { compatRoutes } from "@/lib/compat/openapi";
import { deliveryRoutes } from "@/lib/delivery-log/openapi";
import { endpointRoutes } from "@/lib/endpoints/openapi";
import { eventTypeRoutes } from "@/lib/event-types/openapi";
import { eventRoutes } from "@/lib/events/openapi";
import { filterRoutes } from "@/lib/filters/openapi";
import { openapiRoutes } from "@/lib/openapi/openapi";
import type { ApiRoute } from "@/lib/openapi/registry";
import { replayRoutes } from "@/lib/replays/openapi";
import { frontendRoutes } from "@/lib/portal/openapi";
import { sessionRoutes } from "@/lib/sessions/openapi";

/**
 * Every `/api/v1` route, by domain. A new domain adds its `lib/<domain>/openapi.ts` here; the
 * openapi test walks app/api/v1 and fails for any route file or method missing from this list.
 */
export const apiRoutes: ApiRoute[] = [
  ...appRoutes,
  ...endpointRoutes,
  ...filterRoutes,
  ...eventTypeRoutes,
  ...eventRoutes,
  ...deliveryRoutes,
  ...replayRoutes,
  ...analyticsRoutes,
  ...compatRoutes,
  ...sessionRoutes,
  ...openapiRoutes,
  // The browser's API (portal and React hooks), tagged "Frontend API".
  ...frontendRoutes,
];
