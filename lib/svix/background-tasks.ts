/**
 * Svix background tasks over Hookline replay tasks (lib/replays): `replay-missing` and
 * `bulk-replay` create a replay task of the endpoint, and `background-task` get/list read them.
 *
 * A replay task redelivers deliveries that exist (the same delivery, so the same `svix-id`);
 * Svix's "missing" messages are those not delivered to the endpoint, which in Hookline are its
 * failed (or cancelled) deliveries in the window. Task states: queued/running → `running`,
 * completed → `finished`, cancelled/failed → `failed`. `task` is `endpoint.replay` for a task
 * of failed deliveries and `endpoint.bulk-replay` for one of every delivery.
 */
import { z } from "zod";
import type { App, Endpoint, ReplayTask, ReplayTaskStatus } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { createReplayTask } from "@/lib/replays/create-replay-task";
import type { StoredReplayFilter } from "@/lib/replays/schemas";
import { svixValidationError } from "@/lib/svix/errors";
import { svixEventTypeName } from "@/lib/svix/messages";
import { svixListQuery, svixPage, mapPage, type SvixListPage } from "@/lib/svix/pagination";

const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** `ReplayIn` (replay-missing). */
export const svixReplayIn = z.object({ since: instant, until: instant.nullish() });

/** `BulkReplayIn`: the filters Hookline's replays have; the others are refused by name. */
export const svixBulkReplayIn = svixReplayIn.extend({
  eventTypes: z.array(svixEventTypeName).min(1).max(100).nullish(),
  status: z
    .union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
      message: "must be 0, 1, 2 or 3",
    })
    .nullish(),
  channel: z.null({ message: "replaying by channel is not supported" }).optional(),
  tag: z.null({ message: "replaying by tag is not supported" }).optional(),
  statusCodeClass: z
    .null({ message: "replaying by status code class is not supported" })
    .optional(),
});
export type SvixReplayIn = z.output<typeof svixReplayIn>;
export type SvixBulkReplayIn = z.output<typeof svixBulkReplayIn>;

const BACKGROUND_TASK_STATUSES = ["running", "finished", "failed"] as const;
type BackgroundTaskStatus = (typeof BACKGROUND_TASK_STATUSES)[number];
const TASK_TYPES = ["endpoint.replay", "endpoint.bulk-replay"] as const;

export const backgroundTaskListQuery = svixListQuery.extend({
  status: z.enum(BACKGROUND_TASK_STATUSES).optional(),
  /** Svix's other task types never exist here: they list nothing. */
  task: z.string().max(100).optional(),
});
export type BackgroundTaskListQuery = z.output<typeof backgroundTaskListQuery>;

const STATUS_OF: Record<ReplayTaskStatus, BackgroundTaskStatus> = {
  queued: "running",
  running: "running",
  completed: "finished",
  cancelled: "failed",
  failed: "failed",
};
const REPLAY_STATUSES_OF: Record<BackgroundTaskStatus, ReplayTaskStatus[]> = {
  running: ["queued", "running"],
  finished: ["completed"],
  failed: ["cancelled", "failed"],
};

export interface SvixReplayOut {
  id: string;
  status: BackgroundTaskStatus;
  task: (typeof TASK_TYPES)[number];
  updatedAt: string;
}
export interface SvixBackgroundTaskOut extends SvixReplayOut {
  data: Record<string, unknown>;
}

/**
 * Svix's task id shape, `qtask_` and 27 characters, made from a replay task's id (`rpl_` and 26)
 * and back; a plain replay task id is taken as well.
 */
export const svixTaskId = (replayTaskId: string) => `qtask_${replayTaskId.slice(4)}0`;
const replayTaskIdOf = (taskId: string) => {
  const m = /^qtask_([0-9a-z]{26})0$/.exec(taskId);
  return m ? `rpl_${m[1]}` : taskId;
};

export function serializeReplayOut(t: ReplayTask): SvixReplayOut {
  const filter = t.filter as Partial<StoredReplayFilter> | null;
  return {
    id: svixTaskId(t.id),
    status: STATUS_OF[t.status],
    task: filter?.status === "all" ? "endpoint.bulk-replay" : "endpoint.replay",
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function serializeBackgroundTask(t: ReplayTask): SvixBackgroundTaskOut {
  const filter = (t.filter ?? {}) as Partial<StoredReplayFilter>;
  return {
    ...serializeReplayOut(t),
    data: {
      replayTaskId: t.id,
      appId: t.appId,
      endpointId: filter.endpoint_id ?? null,
      since: filter.start_date ?? null,
      until: filter.end_date ?? null,
      eventTypes: filter.event_names ?? null,
      total: t.total,
      processed: t.processed,
      replayed: t.replayed,
      failed: t.failed,
      error: t.error,
    },
  };
}

async function replayEndpoint(
  app: Pick<App, "id">,
  endpoint: Pick<Endpoint, "id">,
  input: SvixReplayIn & { eventTypes?: string[] | null },
  status: StoredReplayFilter["status"],
  actor: string,
): Promise<SvixReplayOut> {
  const until = input.until ?? new Date();
  if (until <= input.since)
    throw svixValidationError("body", [{ loc: ["until"], msg: "must be later than since" }]);
  const result = await createReplayTask(
    app,
    {
      start_date: input.since,
      end_date: until,
      endpoint_id: endpoint.id,
      status,
      ...(input.eventTypes && { event_names: input.eventTypes }),
    },
    actor,
  );
  if (result.dryRun) throw new Error("replay created as a dry run");
  return serializeReplayOut(result.task);
}

/** `endpoint.replay-missing`: the endpoint's failed deliveries since `since`, sent again. */
export function replayMissing(
  app: Pick<App, "id">,
  endpoint: Pick<Endpoint, "id">,
  input: SvixReplayIn,
  actor: string,
): Promise<SvixReplayOut> {
  return replayEndpoint(app, endpoint, input, "failed", actor);
}

/** `endpoint.bulk-replay`: status 2 (fail) replays the failed deliveries, otherwise all of them. */
export function bulkReplay(
  app: Pick<App, "id">,
  endpoint: Pick<Endpoint, "id">,
  input: SvixBulkReplayIn,
  actor: string,
): Promise<SvixReplayOut> {
  return replayEndpoint(app, endpoint, input, input.status === 2 ? "failed" : "all", actor);
}

/** `background-task.list`, over the apps `appIds` names (every app when null). */
export async function listBackgroundTasks(
  appIds: string[] | null,
  query: BackgroundTaskListQuery,
): Promise<SvixListPage<SvixBackgroundTaskOut>> {
  if (query.task !== undefined && !(TASK_TYPES as readonly string[]).includes(query.task))
    return { data: [], iterator: null, prevIterator: null, done: true };
  const scope = {
    list: "svix.background_tasks",
    apps: appIds,
    status: query.status ?? null,
    task: query.task ?? null,
  };
  const taskFilter =
    query.task === undefined
      ? {}
      : query.task === "endpoint.bulk-replay"
        ? { filter: { path: ["status"], equals: "all" } }
        : { NOT: { filter: { path: ["status"], equals: "all" } } };
  const page = await svixPage(query, scope, "descending", ({ where, orderBy, take }) =>
    getDb().prisma.replayTask.findMany({
      where: {
        AND: [
          appIds ? { appId: { in: appIds } } : {},
          query.status ? { status: { in: REPLAY_STATUSES_OF[query.status] } } : {},
          taskFilter,
          where,
        ],
      },
      orderBy,
      take,
    }),
  );
  return mapPage(page, serializeBackgroundTask);
}

/** `background-task.get`; a task of an app outside `appIds` is the same 404 as none. */
export async function getBackgroundTask(
  appIds: string[] | null,
  id: string,
): Promise<SvixBackgroundTaskOut> {
  const task = await getDb().prisma.replayTask.findUnique({ where: { id: replayTaskIdOf(id) } });
  if (!task || (appIds && !appIds.includes(task.appId)))
    throw apiErrors.notFound("Background task");
  return serializeBackgroundTask(task);
}
