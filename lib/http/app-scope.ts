/**
 * App-scoped handlers, written once and served twice: by the backend API under
 * `/api/v1/apps/{slug}/...` (API key; the app from the path) and by the frontend API under
 * `/api/frontend/webhook/...` (portal session; the app from the session). Same validation, same
 * domain call, same answer.
 */
import type { App } from "@/generated/prisma/client";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import {
  withApiKey,
  withPortalSession,
  type RequestContext,
  type RouteParams,
} from "@/lib/http/route";

export interface AppScopedContext<P> extends RequestContext<P> {
  app: App;
  /** `api_key:<id>` or `portal:<session>`, for the audit log. */
  actor: string;
}

export type AppScopedHandler<P = RouteParams> = (ctx: AppScopedContext<P>) => Promise<unknown>;

/** `/api/v1/apps/{slug}/...`: the app named by the path (slug or id). */
export function backendAppRoute<P = Record<string, never>>(handler: AppScopedHandler<P>) {
  return withApiKey<P & { slug: string }>(async (ctx) =>
    handler({ ...ctx, app: await getAppBySlugOrId(ctx.params.slug) }),
  );
}

/** `/api/frontend/webhook/...`: the app of the portal session. */
export function frontendAppRoute<P = Record<string, never>>(handler: AppScopedHandler<P>) {
  return withPortalSession<P>(handler);
}
