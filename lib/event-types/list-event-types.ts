import type { App, EventType } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { visibleCatalog } from "@/lib/event-types/get-event-type";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/** The app's catalog (its own types and the environment's), newest first, by keyset. */
export async function listEventTypes(
  app: Pick<App, "id">,
  query: { limit: number; cursor?: string; archived?: boolean },
): Promise<{ data: EventType[]; nextCursor: string | null }> {
  const scope = { list: "event_types", app: app.id, archived: query.archived ?? null };
  const rows = await getDb().prisma.eventType.findMany({
    where: {
      AND: [visibleCatalog(app), afterKeyset(decodeCursor(query.cursor, scope))],
      ...(query.archived === undefined ? {} : { archived: query.archived }),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
