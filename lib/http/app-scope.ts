/**
 * App-scoped handlers, written once and served twice: by the backend API under
 * `/api/v1/apps/{slug}/...` (API key; the app from the path) and by the frontend API under
 * `/api/frontend/webhook/...` (portal session; the app from the session, or a signed-in operator
 * on the app named by `x-hookline-operator-app`: the console's app page). Same validation, same
 * domain call, same answer.
 */
import type { App } from "@/generated/prisma/client";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import {
  portalOrOperator,
  withApiKey,
  withOperatorOnApp,
  withPortalSession,
  type RequestContext,
  type RouteParams,
} from "@/lib/http/route";

export interface AppScopedContext<P> extends RequestContext<P> {
  app: App;
  /** `api_key:<id>`, `portal:<session>` or `operator:<email>`, for the audit log. */
  actor: string;
}

export type AppScopedHandler<P = RouteParams> = (ctx: AppScopedContext<P>) => Promise<unknown>;

/** `/api/v1/apps/{slug}/...`: the app named by the path (slug or id). */
export function backendAppRoute<P = Record<string, never>>(handler: AppScopedHandler<P>) {
  return withApiKey<P & { slug: string }>(async (ctx) =>
    handler({ ...ctx, app: await getAppBySlugOrId(ctx.params.slug) }),
  );
}

/**
 * `/api/frontend/webhook/...`: the app of the portal session, or the one an operator names.
 * `sensitive`: a read only admins get through the console (a signing secret).
 */
export function frontendAppRoute<P = Record<string, never>>(
  handler: AppScopedHandler<P>,
  options: { sensitive?: boolean } = {},
) {
  return portalOrOperator(withPortalSession<P>(handler), withOperatorOnApp<P>(handler, options));
}
