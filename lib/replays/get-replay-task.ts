import type { App, ReplayTask } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";

export const replayTaskNotFound = (id: string) => apiErrors.notFound(`Replay task "${id}"`);

/** A replay task of this app; another app's task is the same 404 as an unknown id. */
export async function getReplayTask(app: Pick<App, "id">, id: string): Promise<ReplayTask> {
  const task = await getDb().prisma.replayTask.findFirst({ where: { id, appId: app.id } });
  if (!task) throw replayTaskNotFound(id);
  return task;
}
