/**
 * CORS for the browser-facing routes (ticket exchange, frontend API): a product page on another
 * origin may call them with credentials when that origin is one of the app's `embed_origins`.
 */
import { getDb } from "@/lib/db/client";
import { requestOrigin } from "@/lib/http/forwarded";

/** A browser's `Origin` that is not Hookline's own, or null (same-origin or not a browser). */
export function crossOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin || origin === "null") return origin;
  return origin === requestOrigin(req) || origin === new URL(req.url).origin ? null : origin;
}

/** Whether any app lists this origin (preflights carry no cookie, so no app is known yet). */
export async function originAllowedByAnyApp(origin: string): Promise<boolean> {
  const rows = await getDb().prisma.$queryRaw<
    unknown[]
  >`SELECT 1 FROM apps WHERE ${origin} = ANY(embed_origins) LIMIT 1`;
  return rows.length > 0;
}

export function applyCors(response: Response, origin: string): void {
  response.headers.set("access-control-allow-origin", origin);
  response.headers.set("access-control-allow-credentials", "true");
  response.headers.set("access-control-expose-headers", "x-request-id");
  response.headers.append("vary", "Origin");
}

/** `OPTIONS` for browser-facing routes. */
export async function corsPreflight(req: Request): Promise<Response> {
  const origin = crossOrigin(req);
  const response = new Response(null, { status: 204 });
  if (origin && (await originAllowedByAnyApp(origin).catch(() => false))) {
    applyCors(response, origin);
    response.headers.set("access-control-allow-methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
    response.headers.set(
      "access-control-allow-headers",
      "content-type, x-csrf-token, x-request-id",
    );
    response.headers.set("access-control-max-age", "600");
  }
  return response;
}
