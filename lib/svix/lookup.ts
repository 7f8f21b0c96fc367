/**
 * "id or uid": wherever Svix takes `{app_id}` or `{endpoint_id}`, the Hookline id or the
 * caller's own uid names the resource. Ids win when a uid happens to equal another's id.
 */
import type { App, Endpoint } from "@/generated/prisma/client";
import { findAppById } from "@/lib/apps/get-app";
import { getDb } from "@/lib/db/client";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { apiErrors } from "@/lib/http/errors";
import { assertMayActOnApp, type SvixPrincipal } from "@/lib/svix/auth";

/** The app by id or uid, whoever asks (null when there is none). */
export async function findSvixApp(idOrUid: string): Promise<App | null> {
  return (
    (await findAppById(idOrUid)) ??
    (await getDb().prisma.app.findUnique({ where: { svixUid: idOrUid } }))
  );
}

/** The app by id or uid, if the principal may act on it; else 404 (the same as a missing one). */
export async function resolveSvixApp(principal: SvixPrincipal, idOrUid: string): Promise<App> {
  const app = await findSvixApp(idOrUid);
  if (!app) throw apiErrors.notFound("Application");
  assertMayActOnApp(principal, app);
  return app;
}

/** A live endpoint of the app by id or uid; 404 otherwise. */
export async function resolveSvixEndpoint(
  app: Pick<App, "id">,
  idOrUid: string,
): Promise<Endpoint> {
  const byUid = await getDb().prisma.endpoint.findFirst({
    where: { appId: app.id, deletedAt: null, OR: [{ id: idOrUid }, { svixUid: idOrUid }] },
    orderBy: { id: "asc" },
  });
  if (byUid && byUid.id !== idOrUid) {
    // A uid matched; an endpoint whose id is exactly this string still wins.
    const byId = await getDb().prisma.endpoint.findFirst({
      where: { appId: app.id, deletedAt: null, id: idOrUid },
    });
    return byId ?? byUid;
  }
  return byUid ?? getEndpoint(app, idOrUid);
}
