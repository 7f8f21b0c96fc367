import type { App, EventType, Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

/** Whose catalog: an app's, or the environment's (`{ id: null }`, the Svix-compatible surface's). */
export type CatalogOwner = Pick<App, "id"> | { id: null };
export const ENVIRONMENT_CATALOG: CatalogOwner = { id: null };

/** The event types an app sees: its own and the environment's. */
export function visibleCatalog(app: Pick<App, "id">) {
  return { OR: [{ appId: app.id }, { appId: null }] };
}

export async function getEventType(
  app: CatalogOwner,
  name: string,
  db: Prisma.TransactionClient = getDb().prisma,
): Promise<EventType> {
  const eventType = await db.eventType.findFirst({ where: { appId: app.id, name } });
  if (!eventType) throw apiErrors.notFound(`Event type "${name}"`);
  return eventType;
}
