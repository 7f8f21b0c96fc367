/** Replay task operations as app-scoped handlers, served by the backend and the frontend API alike. */
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { parseQuery } from "@/lib/http/parse";
import { json } from "@/lib/http/route";
import { toListPage } from "@/lib/openapi/shared-schemas";
import { cancelReplayTask } from "@/lib/replays/cancel-replay-task";
import { createReplayTask } from "@/lib/replays/create-replay-task";
import { getReplayTask } from "@/lib/replays/get-replay-task";
import { listReplayTasks } from "@/lib/replays/list-replay-tasks";
import {
  cancelReplayTaskRequest,
  listReplayTasksQuery,
  replayDeliveriesRequest,
} from "@/lib/replays/schemas";
import { serializeReplayTask } from "@/lib/replays/serialize";
import { presentReplayTask, presentReplayTasks } from "@/lib/replays/skipped";

type ById = { id: string };

/** A background replay task, 202 with `task_id` (or, with `dry_run`, `{ count }`) — `replayWebhookDeliveries`. */
export const createReplayTaskHandler: AppScopedHandler = async ({ app, body, actor }) => {
  const result = await createReplayTask(app, await body(replayDeliveriesRequest), actor);
  if (result.dryRun) return { count: result.count };
  return json(serializeReplayTask(result.task), { status: 202 });
};

/** The app's replay tasks, newest first. */
export const listReplayTasksHandler: AppScopedHandler = async ({ app, url }) => {
  const page = await listReplayTasks(app, parseQuery(url, listReplayTasksQuery));
  const shown = await presentReplayTasks(page.data);
  return toListPage({ data: shown, nextCursor: page.nextCursor }, (t) => t);
};

/** A task's status and progress. */
export const getReplayTaskHandler: AppScopedHandler<ById> = async ({ app, params }) =>
  presentReplayTask(await getReplayTask(app, params.id));

/** Stops a queued or running task between batches; 409 once finished. */
export const cancelReplayTaskHandler: AppScopedHandler<ById> = async ({
  app,
  params,
  body,
  actor,
}) => {
  await body(cancelReplayTaskRequest);
  return presentReplayTask(await cancelReplayTask(app, params.id, actor));
};
