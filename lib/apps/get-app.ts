import type { App } from "@/generated/prisma/client";
import { createLookupCache } from "@/lib/cache/lookup-cache";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

// Every app-scoped request starts here; unknown names are not cached (anyone can send any).
const appsByRouteName = createLookupCache<App | null>("apps", { keep: (app) => app !== null });
const appsById = createLookupCache<App | null>("apps", { keep: (app) => app !== null });

/**
 * The app a route names, by slug or by id (seed 004's `/apps/:appId` takes either). Unknown:
 * 404 — the same answer whether or not it exists for someone else.
 */
export async function getAppBySlugOrId(slugOrId: string): Promise<App> {
  const { prisma } = getDb();
  const app = await appsByRouteName.get(slugOrId, () =>
    slugOrId.startsWith("app_")
      ? prisma.app.findFirst({ where: { OR: [{ id: slugOrId }, { slug: slugOrId }] } })
      : prisma.app.findUnique({ where: { slug: slugOrId } }),
  );
  if (!app) throw apiErrors.notFound(`App "${slugOrId}"`);
  return app;
}

/** The app by id, or null (a portal session's app may have been deleted since). */
export function findAppById(id: string): Promise<App | null> {
  return appsById.get(id, () => getDb().prisma.app.findUnique({ where: { id } }));
}
