import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

/**
 * The app a route names, by slug or by id (seed 004's `/apps/:appId` takes either). Unknown:
 * 404 — the same answer whether or not it exists for someone else.
 */
export async function getAppBySlugOrId(slugOrId: string): Promise<App> {
  const { prisma } = getDb();
  const app = slugOrId.startsWith("app_")
    ? await prisma.app.findFirst({ where: { OR: [{ id: slugOrId }, { slug: slugOrId }] } })
    : await prisma.app.findUnique({ where: { slug: slugOrId } });
  if (!app) throw apiErrors.notFound(`App "${slugOrId}"`);
  return app;
}
