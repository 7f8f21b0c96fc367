/**
 * Portal access: `appPortalAccess` answers `{ url, token }` (lib/svix/app-portal-access.ts).
 * Logging out and `expire-all` are in auth.ts.
 */
import { z } from "zod";
import { createAppPortalAccess } from "@/lib/svix/app-portal-access";
import {
  APP_PORTAL_CAPABILITIES,
  APP_TOKEN_MAX_LIFE_SECONDS,
  APP_TOKEN_MIN_LIFE_SECONDS,
  type AppPortalCapability,
} from "@/lib/svix/app-tokens";
import { assertEnvironmentPrincipal } from "@/lib/svix/auth";
import { findSvixApp } from "@/lib/svix/lookup";
import type { SvixRoute } from "@/lib/svix/router";
import { applicationIn, createSvixApp } from "@/lib/svix/routes/apps";
import { svixUid } from "@/lib/svix/shared";

export const svixSessionId = z
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
  sessionId: svixSessionId.nullish(),
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
];
