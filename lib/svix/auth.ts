/**
 * Who is calling the Svix-compatible surface. Every Svix operation authenticates through
 * `authenticateSvixRequest` and reaches apps only through `assertMayActOnApp` (directly or via
 * lib/svix/lookup.ts), so a principal scoped to one app cannot touch another.
 *
 * Today a principal is an operator API key (`hk_...`), which may act on every app. Other kinds
 * (an app-scoped browser token) join the union and the two checks below.
 */
import type { App } from "@/generated/prisma/client";
import { authenticateApiKey, type ApiKeySummary } from "@/lib/auth/api-keys";
import { apiErrors } from "@/lib/http/errors";

export interface ApiKeyPrincipal {
  kind: "api_key";
  /** Stable per credential: scopes idempotency keys. */
  id: string;
  /** For the audit log. */
  actor: string;
  apiKey: ApiKeySummary;
}

export type SvixPrincipal = ApiKeyPrincipal;

export async function authenticateSvixRequest(req: Request): Promise<SvixPrincipal> {
  const apiKey = await authenticateApiKey(req.headers.get("authorization"));
  return { kind: "api_key", id: apiKey.id, actor: `api_key:${apiKey.id}`, apiKey };
}

/** Whether the principal may read and change this app and everything under it. */
export function mayActOnApp(principal: SvixPrincipal, app: Pick<App, "id">): boolean {
  switch (principal.kind) {
    case "api_key":
      return app.id.length > 0; // every app of the environment
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
  }
}
