import type { App, Endpoint } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/** The app's endpoints (deleted ones excluded), newest first, by keyset. */
export async function listEndpoints(
  app: Pick<App, "id">,
  query: { limit: number; cursor?: string },
): Promise<{ data: Endpoint[]; nextCursor: string | null }> {
  const scope = { list: "endpoints", app: app.id };
  const rows = await getDb().prisma.endpoint.findMany({
    where: { appId: app.id, deletedAt: null, ...afterKeyset(decodeCursor(query.cursor, scope)) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
