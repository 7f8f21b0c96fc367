import type { PoolClient } from "pg";
import type { ReplayTask } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { recordAuditSql } from "@/lib/replays/audit-sql";
import type { ReplaySkip, ReplaySkipReason, ReplayTaskResponse } from "@/lib/replays/schemas";
import { serializeReplayTask } from "@/lib/replays/serialize";

/**
 * What a bulk replay task could not replay, and why. Each batch that skips deliveries records
 * one `replay_task.skipped` audit row (in the batch's transaction) naming them; a task's answer
 * lists the first SHOWN of them. No column of its own: the audit log already keeps the trail.
 */
export const SKIPPED_ACTION = "replay_task.skipped";
export const SKIPPED_SHOWN = 100;

export const SKIP_MESSAGES: Record<ReplaySkipReason, string> = {
  endpoint_inactive:
    "Its endpoint is paused, disabled or deleted: enable the endpoint and replay again.",
  in_flight:
    "An attempt was being sent at that moment: it has its outcome already, or replay it again.",
  payload_expired: "Its payload was removed by the retention policy: there is nothing to send.",
  not_found: "The delivery no longer exists.",
};

export async function recordSkipped(
  client: PoolClient,
  task: { id: string; app_id: string },
  skipped: { id: string; reason: ReplaySkipReason }[],
): Promise<void> {
  if (skipped.length === 0) return;
  await recordAuditSql(client, {
    appId: task.app_id,
    actor: "system",
    action: SKIPPED_ACTION,
    targetType: "replay_task",
    targetId: task.id,
    details: { skipped: skipped.map((s) => ({ delivery_id: s.id, reason: s.reason })) },
  });
}

/** The skipped deliveries of these tasks, oldest batch first, at most SKIPPED_SHOWN each. */
export async function loadSkipped(taskIds: readonly string[]): Promise<Map<string, ReplaySkip[]>> {
  const out = new Map<string, ReplaySkip[]>();
  if (taskIds.length === 0) return out;
  const rows = await getDb().prisma.auditLog.findMany({
    where: { action: SKIPPED_ACTION, targetType: "replay_task", targetId: { in: [...taskIds] } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { targetId: true, details: true },
  });
  for (const row of rows) {
    const list = out.get(row.targetId!) ?? [];
    const entries =
      (row.details as { skipped?: { delivery_id: string; reason: ReplaySkipReason }[] }).skipped ??
      [];
    for (const e of entries) {
      if (list.length >= SKIPPED_SHOWN) break;
      list.push({
        delivery_id: e.delivery_id,
        reason: e.reason,
        message: SKIP_MESSAGES[e.reason] ?? e.reason,
      });
    }
    out.set(row.targetId!, list);
  }
  return out;
}

/** Tasks as answered by the API: each with its skipped deliveries. */
export async function presentReplayTasks(tasks: ReplayTask[]): Promise<ReplayTaskResponse[]> {
  const skipped = await loadSkipped(tasks.filter((t) => t.failed > 0).map((t) => t.id));
  return tasks.map((t) => serializeReplayTask(t, skipped.get(t.id) ?? []));
}

export async function presentReplayTask(task: ReplayTask): Promise<ReplayTaskResponse> {
  return (await presentReplayTasks([task]))[0]!;
}
