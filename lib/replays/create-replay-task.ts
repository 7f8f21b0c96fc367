import type { App, ReplayTask } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { checkEndpointFilter, DAY_MS } from "@/lib/delivery-log/date-range";
import { ApiError, apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { getReplayConfig } from "@/lib/replays/replay-config";
import { announceWork } from "@/lib/jobs/job-driver";
import { countReplayMatches, unknownDeliveryIds } from "@/lib/replays/replay-filter";
import type { ReplayDeliveriesRequest, StoredReplayFilter } from "@/lib/replays/schemas";

export type CreateReplayResult =
  { dryRun: true; count: number } | { dryRun: false; task: ReplayTask };

/** Replay tasks that still hold their app+endpoint slot. */
export const ACTIVE_REPLAY_STATUSES = ["queued", "running"] as const;

function toStoredFilter(input: ReplayDeliveriesRequest): StoredReplayFilter {
  const filter: StoredReplayFilter = {
    status: input.status ?? (input.delivery_ids ? "all" : "failed"),
  };
  if (input.delivery_ids) filter.delivery_ids = [...new Set(input.delivery_ids)];
  if (input.start_date) filter.start_date = input.start_date.toISOString();
  if (input.end_date) filter.end_date = input.end_date.toISOString();
  if (input.event_names) filter.event_names = [...new Set(input.event_names)];
  if (input.endpoint_id) filter.endpoint_id = input.endpoint_id;
  return filter;
}

/**
 * `POST /apps/{slug}/replays`: counts what the filter matches, enforces the limits (422 with the
 * numbers), then records a queued task (409 while another queued or running task of this app has
 * the same endpoint filter) with its audit row, and hands it to the job driver. Returns at once;
 * the task works in batches in the background. `dry_run` only counts.
 */
export async function createReplayTask(
  app: Pick<App, "id">,
  input: ReplayDeliveriesRequest,
  actor: string,
): Promise<CreateReplayResult> {
  const config = getReplayConfig();
  const filter = toStoredFilter(input);
  await checkEndpointFilter(app, filter.endpoint_id);

  if (input.start_date && input.end_date) {
    const days = (input.end_date.getTime() - input.start_date.getTime()) / DAY_MS;
    if (days > config.maxRangeDays) {
      throw new ApiError(
        422,
        "replay_limit_exceeded",
        `The date range spans ${Math.ceil(days * 100) / 100} days; a replay may span at most ${config.maxRangeDays} days`,
        {
          fields: [
            {
              field: "end_date",
              message: `is more than ${config.maxRangeDays} days after start_date`,
            },
          ],
          limit: "range_days",
          range_days: Math.ceil(days * 100) / 100,
          max_range_days: config.maxRangeDays,
        },
      );
    }
  }
  const { pool } = getDb();
  if (filter.delivery_ids) {
    const unknown = await unknownDeliveryIds(pool, app.id, filter.delivery_ids);
    if (unknown.length > 0) {
      throw apiErrors.validation(
        unknown.map((id) => ({
          field: "delivery_ids",
          message: `"${id}" is not a delivery of this app`,
        })),
      );
    }
  }
  // Range tasks never look past their creation time; count with the same bound.
  const now = new Date();
  const count = await countReplayMatches(pool, app.id, filter, filter.delivery_ids ? null : now);
  if (count > config.maxDeliveries) {
    throw new ApiError(
      422,
      "replay_limit_exceeded",
      `The filter matches ${count} deliveries; a replay may cover at most ${config.maxDeliveries}. Narrow the date range or filters.`,
      {
        fields: [
          {
            field: filter.delivery_ids ? "delivery_ids" : "start_date",
            message: `matches more than ${config.maxDeliveries} deliveries`,
          },
        ],
        limit: "deliveries",
        count,
        max_deliveries: config.maxDeliveries,
      },
    );
  }
  if (input.dry_run) return { dryRun: true, count };

  const task = await getDb().prisma.$transaction(async (tx) => {
    // One creator per app at a time, so two requests cannot both pass the check below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('hookline:replay:' || ${app.id}))`;
    const endpointFilter = filter.endpoint_id ?? null;
    const [active] = await tx.$queryRaw<{ id: string; status: string }[]>`
      SELECT id, status::text AS status FROM replay_tasks
      WHERE app_id = ${app.id} AND status IN ('queued', 'running')
        AND (filter->>'endpoint_id') IS NOT DISTINCT FROM ${endpointFilter}::text
      ORDER BY created_at LIMIT 1`;
    if (active) {
      throw apiErrors.conflict(
        `Replay task ${active.id} is still ${active.status} for ${endpointFilter ? `endpoint ${endpointFilter}` : "all endpoints"}; wait for it to finish or cancel it`,
        { task_id: active.id, status: active.status },
      );
    }
    const created = await tx.replayTask.create({
      data: {
        id: newId("rpl"),
        appId: app.id,
        status: "queued",
        filter: { ...filter },
        total: count,
        requestedBy: actor,
        createdAt: now,
      },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "replay.created",
      targetType: "replay_task",
      targetId: created.id,
      details: {
        filter: { ...filter, delivery_ids: filter.delivery_ids?.slice(0, 100) },
        delivery_id_count: filter.delivery_ids?.length ?? null,
        total: count,
        outcome: "queued",
      },
    });
    return created;
  });
  await announceWork({ replayTask: { id: task.id, appId: task.appId } });
  return { dryRun: false, task };
}
