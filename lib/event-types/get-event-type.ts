import type { App, EventType, Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

export async function getEventType(
  app: Pick<App, "id">,
  name: string,
  db: Prisma.TransactionClient = getDb().prisma,
): Promise<EventType> {
  const eventType = await db.eventType.findUnique({
    where: { appId_name: { appId: app.id, name } },
  });
  if (!eventType) throw apiErrors.notFound(`Event type "${name}"`);
  return eventType;
}
