/**
 * `/auth/...`: signing out a token, and ending an app's app tokens and portal sessions.
 * (`app-portal-access` is in auth-portal.ts.)
 */
import { z } from "zod";
import { revokeAppPortalSessions } from "@/lib/sessions/revocation";
import { APP_TOKEN_MAX_GRACE_SECONDS, revokeAppTokens } from "@/lib/svix/app-tokens";
import { assertEnvironmentPrincipal, endSvixSession } from "@/lib/svix/auth";
import { svixReply, type SvixRoute } from "@/lib/svix/router";
import { svixSessionId } from "@/lib/svix/routes/auth-portal";

const applicationTokenExpireIn = z.object({
  expiry: z
    .number()
    .int("must be a whole number of seconds")
    .min(0, "must be at least 0")
    .max(APP_TOKEN_MAX_GRACE_SECONDS, `must be at most ${APP_TOKEN_MAX_GRACE_SECONDS}`)
    .nullish(),
  sessionIds: z.array(svixSessionId).max(1000, "must list at most 1000 session ids").nullish(),
});

export const authRoutes: SvixRoute[] = [
  {
    method: "POST",
    path: "/auth/logout",
    operationId: "v1.authentication.logout",
    handler: async (ctx) => {
      await endSvixSession(ctx.principal);
      return svixReply(204);
    },
  },
  {
    method: "POST",
    path: "/auth/app/{app_id}/expire-all",
    operationId: "v1.authentication.expire-all",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const body = await ctx.body(applicationTokenExpireIn);
      const app = await ctx.app();
      // App tokens end after `expiry` (only those of `sessionIds`, when given). Portal sessions
      // opened from appPortalAccess links carry no session id: they end at once, with all.
      await revokeAppTokens(
        app.id,
        { graceSeconds: body.expiry ?? 0, sessionIds: body.sessionIds ?? undefined },
        ctx.principal.actor,
      );
      if (!body.sessionIds?.length) await revokeAppPortalSessions(app, ctx.principal.actor);
      return svixReply(204);
    },
  },
];
