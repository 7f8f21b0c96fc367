import type { App, ReplayTask } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { afterKeyset, decodeCursor, pageOf } from "@/lib/http/pagination";
import type { ReplayTaskStatus } from "@/lib/replays/schemas";

/** An app's replay tasks, newest first, by keyset. */
export async function listReplayTasks(
  app: Pick<App, "id">,
  query: { status?: ReplayTaskStatus; limit: number; cursor?: string },
): Promise<{ data: ReplayTask[]; nextCursor: string | null }> {
  const scope = { list: "replay_tasks", app: app.id, status: query.status ?? null };
  const rows = await getDb().prisma.replayTask.findMany({
    where: {
      appId: app.id,
      ...(query.status && { status: query.status }),
      ...afterKeyset(decodeCursor(query.cursor, scope)),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  return pageOf(rows, query.limit, scope);
}
