import type { ReplayTask } from "@/generated/prisma/client";
import type { ReplaySkip, ReplayTaskResponse, StoredReplayFilter } from "@/lib/replays/schemas";

const iso = (d: Date | null) => d?.toISOString() ?? null;
const SHOWN_IDS = 100;

export function serializeReplayFilter(stored: unknown): ReplayTaskResponse["filter"] {
  const f = (stored ?? {}) as Partial<StoredReplayFilter>;
  return {
    delivery_ids: f.delivery_ids ? f.delivery_ids.slice(0, SHOWN_IDS) : null,
    delivery_id_count: f.delivery_ids ? f.delivery_ids.length : null,
    start_date: f.start_date ?? null,
    end_date: f.end_date ?? null,
    event_names: f.event_names ?? null,
    endpoint_id: f.endpoint_id ?? null,
    status: f.status === "all" || f.status === "failed_or_retrying" ? f.status : "failed",
  };
}

export function serializeReplayTask(t: ReplayTask, skipped: ReplaySkip[] = []): ReplayTaskResponse {
  const progress =
    t.total > 0
      ? Math.min(100, Math.round((t.processed / t.total) * 10_000) / 100)
      : t.status === "completed"
        ? 100
        : 0;
  return {
    id: t.id,
    task_id: t.id,
    app_id: t.appId,
    status: t.status,
    filter: serializeReplayFilter(t.filter),
    total: t.total,
    processed: t.processed,
    replayed: t.replayed,
    failed: t.failed,
    skipped,
    progress,
    requested_by: t.requestedBy,
    error: t.error,
    cancel_requested_at: iso(t.cancelRequestedAt),
    created_at: t.createdAt.toISOString(),
    started_at: iso(t.startedAt),
    finished_at: iso(t.finishedAt),
    updated_at: t.updatedAt.toISOString(),
  };
}
