import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";

/** Apps, newest first, by keyset. */
export async function listApps(query: {
  limit: number;
  cursor?: string;
}): Promise<{ data: App[]; nextCursor: string | null }> {
  const scope = { list: "apps" };
  const after = decodeCursor(query.cursor, scope);
  const rows = await getDb().prisma.app.findMany({
    where: afterKeyset(after),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
