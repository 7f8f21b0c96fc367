/**
 * CORS on the Svix-compatible surface, for svix-react's `SvixProvider` calling from a product
 * page with an app token: a browser on one of the app's `embed_origins` may call that app's
 * operations. API keys are backend secrets, so their answers never carry CORS headers.
 *
 * A preflight carries no credentials: it is allowed when the origin is one of the embed origins
 * of the app named in the path (`/app/{app_id}/...`, by id or uid), or, for paths without an
 * app (`/event-type`, `/auth/logout`), of any app; the request itself is then checked against
 * its token's app.
 */
import type { App } from "@/generated/prisma/client";
import { findAppById } from "@/lib/apps/get-app";
import { applyCors, crossOrigin, originAllowedByAnyApp } from "@/lib/http/cors";
import { apiError } from "@/lib/http/errors";
import type { SvixPrincipal } from "@/lib/svix/auth";
import { findSvixApp } from "@/lib/svix/lookup";

/** Headers the official JavaScript client sends (user-agent: browsers may let it through). */
const ALLOWED_HEADERS = [
  "authorization",
  "content-type",
  "accept",
  "idempotency-key",
  "svix-req-id",
  "svix-retry-count",
  "user-agent",
  "x-request-id",
].join(", ");

async function appNamedInPath(pathname: string, basePath: string): Promise<App | null> {
  const parts = pathname.slice(basePath.length).split("/").filter(Boolean);
  if (parts[0] !== "app" || !parts[1]) return null;
  try {
    return await findSvixApp(decodeURIComponent(parts[1]));
  } catch {
    return null;
  }
}

/** `OPTIONS` on the Svix surface. */
export async function svixPreflight(req: Request, basePath: string): Promise<Response> {
  const response = new Response(null, { status: 204 });
  const origin = crossOrigin(req);
  if (!origin) return response;
  const pathname = new URL(req.url).pathname;
  const allowed = pathname.slice(basePath.length).startsWith("/app/")
    ? ((await appNamedInPath(pathname, basePath))?.embedOrigins.includes(origin) ?? false)
    : await originAllowedByAnyApp(origin).catch(() => false);
  if (!allowed) return response;
  applyCors(response, origin);
  response.headers.set("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
  response.headers.set("access-control-allow-headers", ALLOWED_HEADERS);
  response.headers.set("access-control-max-age", "600");
  return response;
}

/**
 * Before running a browser's request: an app token used from an origin that is not one of its
 * app's embed origins is refused (403), so nothing runs for a page the app does not trust.
 */
export async function assertSvixOrigin(req: Request, principal: SvixPrincipal | null) {
  const origin = crossOrigin(req);
  if (!origin || principal?.kind !== "app_token") return;
  const app = await findAppById(principal.grant.appId);
  if (!app?.embedOrigins.includes(origin))
    throw apiError("origin_not_allowed", `Origin ${origin} is not one of this app's embed origins`);
}

/**
 * After the answer: CORS headers for an app token's own embed origins; error answers (an
 * expired token's 401, say) are readable by any origin some app embeds from, so the browser's
 * client sees the error rather than a network failure.
 */
export async function applySvixCors(
  req: Request,
  response: Response,
  principal: SvixPrincipal | null,
): Promise<void> {
  const origin = crossOrigin(req);
  if (!origin) return;
  if (principal?.kind === "app_token") {
    const app = await findAppById(principal.grant.appId);
    if (app?.embedOrigins.includes(origin)) applyCors(response, origin);
    return;
  }
  if (response.status >= 400 && !principal && (await originAllowedByAnyApp(origin)))
    applyCors(response, origin);
}
