import type { App, EventType } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/** The app's catalog, newest first, by keyset. */
export async function listEventTypes(
  app: Pick<App, "id">,
  query: { limit: number; cursor?: string; archived?: boolean },
): Promise<{ data: EventType[]; nextCursor: string | null }> {
  const scope = { list: "event_types", app: app.id, archived: query.archived ?? null };
  const rows = await getDb().prisma.eventType.findMany({
    where: {
      appId: app.id,
      ...(query.archived === undefined ? {} : { archived: query.archived }),
      ...afterKeyset(decodeCursor(query.cursor, scope)),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
