import { appRoutes } from "@/lib/apps/openapi";
import { compatRoutes } from "@/lib/compat/openapi";
import { endpointRoutes } from "@/lib/endpoints/openapi";
import { eventTypeRoutes } from "@/lib/event-types/openapi";
import { openapiRoutes } from "@/lib/openapi/openapi";
import type { ApiRoute } from "@/lib/openapi/registry";

/**
 * Every `/api/v1` route, by domain. A new domain adds its `lib/<domain>/openapi.ts` here; the
 * openapi test walks app/api/v1 and fails for any route file or method missing from this list.
 */
export const apiRoutes: ApiRoute[] = [...appRoutes, ...endpointRoutes, ...eventTypeRoutes, ...compatRoutes, ...openapiRoutes];
