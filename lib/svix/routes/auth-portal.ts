/**
 * Portal access (`/auth`): `appPortalAccess` answers `{ url, token }` (lib/svix/app-portal-access.ts),
 * `expire-all` cuts an app's tokens short and `logout` ends the presented app token
 * (lib/svix/app-tokens.ts).
 */
import { z } from "zod";
import { bearerToken } from "@/lib/auth/api-keys";
import { apiErrors } from "@/lib/http/errors";
import { createAppPortalAccess } from "@/lib/svix/app-portal-access";
import {
  APP_PORTAL_CAPABILITIES,
  APP_TOKEN_MAX_GRACE_SECONDS,
  APP_TOKEN_MAX_LIFE_SECONDS,
  APP_TOKEN_MIN_LIFE_SECONDS,
  revokeAppToken,
  revokeAppTokens,
  type AppPortalCapability,
} from "@/lib/svix/app-tokens";
import { assertEnvironmentPrincipal } from "@/lib/svix/auth";
import { findSvixApp } from "@/lib/svix/lookup";
import { svixReply, type SvixRoute } from "@/lib/svix/router";
import { applicationIn, createSvixApp } from "@/lib/svix/routes/apps";
import { svixUid } from "@/lib/svix/shared";

const sessionId = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .regex(/^[a-zA-Z0-9@_-]+$/, "must contain only a-z, A-Z, 0-9, @, _ and -");

const featureFlag = z
  .string()
  .max(256, "must be at most 256 characters")
  .regex(/^[a-zA-Z0-9\-_.]+$/, "must contain only a-z, A-Z, 0-9, -, _ and .");

const appPortalAccessIn = z.object({
  application: applicationIn.nullish(),
  /** Deprecated in Svix: the same as `capabilities: ["ViewBase"]`. */
  readOnly: z.boolean().nullish(),
  capabilities: z.array(z.enum(APP_PORTAL_CAPABILITIES)).nullish(),
  featureFlags: z.array(featureFlag).max(25, "must list at most 25 flags").optional(),
  expiry: z
    .number()
    .int("must be a whole number of seconds")
    .min(APP_TOKEN_MIN_LIFE_SECONDS, `must be at least ${APP_TOKEN_MIN_LIFE_SECONDS}`)
    .max(APP_TOKEN_MAX_LIFE_SECONDS, `must be at most ${APP_TOKEN_MAX_LIFE_SECONDS}`)
    .nullish(),
  sessionId: sessionId.nullish(),
});

const applicationTokenExpireIn = z.object({
  expiry: z
    .number()
    .int("must be a whole number of seconds")
    .min(0, "must be at least 0")
    .max(APP_TOKEN_MAX_GRACE_SECONDS, `must be at most ${APP_TOKEN_MAX_GRACE_SECONDS}`)
    .nullish(),
  sessionIds: z.array(sessionId).max(1000, "must list at most 1000 session ids").optional(),
});

/** Svix: `ViewBase` is always granted; `readOnly` alone means only it. Empty: all of them. */
function grantedCapabilities(body: z.output<typeof appPortalAccessIn>): AppPortalCapability[] {
  if (body.capabilities?.length) return [...new Set(["ViewBase" as const, ...body.capabilities])];
  return body.readOnly ? ["ViewBase"] : [];
}

export const authPortalRoutes: SvixRoute[] = [
  {
    method: "POST",
    path: "/auth/app-portal-access/{app_id}",
    operationId: "v1.authentication.app-portal-access",
    // The answer holds a new token: a repeat mints another rather than storing this one.
    idempotency: "off",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const body = await ctx.body(appPortalAccessIn);
      const appId = ctx.params.app_id!;
      // Svix: `application` creates the app when the path names none (else it is ignored).
      const app =
        body.application && !(await findSvixApp(appId))
          ? await createSvixApp(ctx, {
              ...body.application,
              uid: body.application.uid ?? svixUid.parse(appId),
            })
          : await ctx.app();
      return createAppPortalAccess(
        app,
        {
          lifeSeconds: body.expiry ?? undefined,
          sessionId: body.sessionId,
          capabilities: grantedCapabilities(body),
          featureFlags: body.featureFlags,
        },
        ctx.principal.actor,
      );
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
      await revokeAppTokens(
        app.id,
        { graceSeconds: body.expiry ?? 0, sessionIds: body.sessionIds },
        ctx.principal.actor,
      );
      return svixReply(204);
    },
  },
  {
    method: "POST",
    path: "/auth/logout",
    operationId: "v1.authentication.logout",
    handler: async (ctx) => {
      if (ctx.principal.kind !== "app_token")
        throw apiErrors.forbidden("Only an app token can log out (it ends itself)");
      await revokeAppToken(bearerToken(ctx.req.headers.get("authorization"))!, ctx.principal.actor);
      return svixReply(204);
    },
  },
];
