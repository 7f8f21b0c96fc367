/**
 * Who is calling the Svix-compatible surface. Every Svix operation authenticates through
 * `authenticateSvixRequest` and reaches apps only through `assertMayActOnApp` (directly or via
 * lib/svix/lookup.ts), so a principal scoped to one app cannot touch another.
 *
 * A principal is an operator API key (`hk_...`), which may act on every app, or an app token
 * (`appsk_...`, from `appPortalAccess`), which may act only on its one app's endpoints,
 * messages and attempts (and read the event-type catalog, as svix-react's `useEventTypes`
 * does), within the capabilities it was given.
 */
import type { App } from "@/generated/prisma/client";
import { authenticateApiKey, bearerToken, type ApiKeySummary } from "@/lib/auth/api-keys";
import { apiErrors } from "@/lib/http/errors";
import {
  endAppToken,
  findAppToken,
  hasCapability,
  isAppToken,
  type AppPortalCapability,
  type AppTokenGrant,
} from "@/lib/svix/app-tokens";

export interface ApiKeyPrincipal {
  kind: "api_key";
  /** Stable per credential: scopes idempotency keys. */
  id: string;
  /** For the audit log. */
  actor: string;
  apiKey: ApiKeySummary;
}

export interface AppTokenPrincipal {
  kind: "app_token";
  id: string;
  actor: string;
  grant: AppTokenGrant;
}

export type SvixPrincipal = ApiKeyPrincipal | AppTokenPrincipal;

export async function authenticateSvixRequest(req: Request): Promise<SvixPrincipal> {
  const authorization = req.headers.get("authorization");
  const token = bearerToken(authorization);
  if (token && isAppToken(token)) {
    const grant = await findAppToken(token);
    if (!grant) throw apiErrors.unauthorized("Invalid, expired or revoked app token");
    return { kind: "app_token", id: grant.tokenId, actor: `app_token:${grant.tokenId}`, grant };
  }
  const apiKey = await authenticateApiKey(authorization);
  return { kind: "api_key", id: apiKey.id, actor: `api_key:${apiKey.id}`, apiKey };
}

/** Whether the principal may read and change this app and everything under it. */
export function mayActOnApp(principal: SvixPrincipal, app: Pick<App, "id">): boolean {
  switch (principal.kind) {
    case "api_key":
      return app.id.length > 0; // every app of the environment
    case "app_token":
      return app.id === principal.grant.appId;
  }
}

/** An app the principal may not act on answers like one that does not exist. */
export function assertMayActOnApp(principal: SvixPrincipal, app: Pick<App, "id">): void {
  if (!mayActOnApp(principal, app)) throw apiErrors.notFound("Application");
}

/**
 * Operations over the whole environment (list or create apps, change the event-type catalog,
 * expire an app's sessions) need an environment-wide principal.
 */
export function assertEnvironmentPrincipal(principal: SvixPrincipal): void {
  switch (principal.kind) {
    case "api_key":
      return;
    case "app_token":
      throw apiErrors.forbidden(
        "An app token may act only on its own app's endpoints, messages and attempts",
      );
  }
}

/**
 * `POST /auth/logout`: ends the credential the request came with, where that means something:
 * an app token ends at once. An operator API key is not a session (it is revoked through key
 * management), so nothing ends.
 */
export async function endSvixSession(principal: SvixPrincipal): Promise<void> {
  switch (principal.kind) {
    case "api_key":
      return;
    case "app_token":
      await endAppToken(principal.grant, principal.actor);
  }
}

/**
 * The capability an app token needs for an operation, from Svix's portal capabilities: reads
 * need `ViewBase` (every token has it), an endpoint's secret `ViewEndpointSecret`, rotating it
 * `ManageEndpointSecret`, resending and replaying `CreateAttempts`, transformations
 * `ManageTransformations`, and every other change `ManageEndpoint`.
 */
export function capabilityFor(route: { method: string; path: string }): AppPortalCapability {
  const { method, path } = route;
  if (path.endsWith("/secret") && method === "GET") return "ViewEndpointSecret";
  if (path.endsWith("/secret/rotate")) return "ManageEndpointSecret";
  if (path.includes("/transformation")) return "ManageTransformations";
  if (method === "GET") return "ViewBase";
  if (path === "/auth/logout") return "ViewBase";
  if (/\/(resend|recover|replay-missing|send-example)$/.test(path)) return "CreateAttempts";
  return "ManageEndpoint";
}

/** Operations an app token may reach at all: its app's own resources, and catalog reads. */
function appTokenMayReach(route: { method: string; path: string }): boolean {
  if (route.path === "/app/{app_id}") return route.method === "GET";
  if (route.path.startsWith("/app/{app_id}/")) return true;
  if (route.path === "/event-type" || route.path.startsWith("/event-type/"))
    return route.method === "GET";
  return route.path === "/auth/logout";
}

/**
 * Refuses (403) an app token an operation outside its app or its capabilities. Which app the
 * token may act on is checked where `{app_id}` is resolved (`assertMayActOnApp`).
 */
export function assertRouteAllowed(
  principal: SvixPrincipal | null,
  route: { method: string; path: string },
): void {
  if (principal?.kind !== "app_token") return;
  if (!appTokenMayReach(route))
    throw apiErrors.forbidden(
      "An app token may act only on its own app's endpoints, messages and attempts",
    );
  const needed = capabilityFor(route);
  if (!hasCapability(principal.grant, needed))
    throw apiErrors.forbidden(`This app token lacks the ${needed} capability`);
}
