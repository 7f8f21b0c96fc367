/** `/auth/...`: signing out a token, and ending every portal session of an app. */
import { z } from "zod";
import { revokeAppPortalSessions } from "@/lib/sessions/revocation";
import { assertEnvironmentPrincipal, endSvixSession } from "@/lib/svix/auth";
import { svixReply, type SvixRoute } from "@/lib/svix/router";

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
      // `expiry` (a grace before old sessions end) is accepted, but they end at once;
      // `sessionIds` would pick sessions by the caller's ids, which portal sessions do not carry.
      await ctx.body(
        z.object({
          expiry: z.number().int().min(0).max(259_200).nullish(),
          sessionIds: z
            .array(z.string())
            .max(0, "is not supported: every session of the app ends")
            .nullish(),
        }),
      );
      await revokeAppPortalSessions(await ctx.app(), ctx.principal.actor);
      return svixReply(204);
    },
  },
];
