/** Endpoint replays and background tasks: Hookline replay tasks, through lib/svix/background-tasks.ts. */
import { assertEnvironmentPrincipal } from "@/lib/svix/auth";
import {
  backgroundTaskListQuery,
  bulkReplay,
  getBackgroundTask,
  listBackgroundTasks,
  replayMissing,
  svixBulkReplayIn,
  svixReplayIn,
} from "@/lib/svix/background-tasks";
import { resolveSvixEndpoint } from "@/lib/svix/lookup";
import { svixReply, type SvixRoute } from "@/lib/svix/router";

export const backgroundTaskRoutes: SvixRoute[] = [
  {
    method: "POST",
    path: "/app/{app_id}/endpoint/{endpoint_id}/replay-missing",
    operationId: "v1.endpoint.replay-missing",
    handler: async (ctx) => {
      const body = await ctx.body(svixReplayIn);
      const app = await ctx.app();
      const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
      return svixReply(202, await replayMissing(app, endpoint, body, ctx.principal.actor));
    },
  },
  {
    method: "POST",
    path: "/app/{app_id}/endpoint/{endpoint_id}/bulk-replay",
    operationId: "v1.endpoint.bulk-replay",
    handler: async (ctx) => {
      const body = await ctx.body(svixBulkReplayIn);
      const app = await ctx.app();
      const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
      return svixReply(202, await bulkReplay(app, endpoint, body, ctx.principal.actor));
    },
  },
  {
    method: "GET",
    path: "/background-task",
    operationId: "v1.background-task.list",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      return listBackgroundTasks(null, ctx.query(backgroundTaskListQuery));
    },
  },
  {
    method: "GET",
    path: "/background-task/{task_id}",
    operationId: "v1.background-task.get",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      return getBackgroundTask(null, ctx.params.task_id!);
    },
  },
];
