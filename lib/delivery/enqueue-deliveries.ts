/**
 * Creating deliveries: the log row, its queue row (due at once) and the rollup count, in one
 * statement. Fan-out (fan-out-events.ts) does the same for many events at once; this is for one
 * event and chosen endpoints (the synchronous test send).
 */
import type { PoolClient } from "pg";
import { foldIntoRollupsSql, NO_ATTEMPT_COLUMNS } from "@/lib/analytics/rollups";
import { SqlParams } from "@/lib/delivery/sql";
import type { AttemptTrigger } from "@/lib/delivery/states";
import { newId } from "@/lib/ids";

export interface InsertDeliveriesInput {
  appId: string;
  eventId: string;
  eventName: string;
  endpointIds: readonly string[];
  createdAt: Date;
  /** Create the deliveries already leased (the synchronous test-event path). */
  lease?: { holder: string; seconds: number };
  trigger?: AttemptTrigger;
}

/** Inserts `pending` deliveries, due at once; returns their ids in endpoint order. */
export async function insertPendingDeliveries(
  client: Pick<PoolClient, "query">,
  input: InsertDeliveriesInput,
): Promise<string[]> {
  const ids = input.endpointIds.map(() => newId("dlv"));
  if (ids.length === 0) return ids;
  const p = new SqlParams();
  const createdAt = p.add(input.createdAt, "::timestamptz");
  await client.query(
    `WITH ins AS (
       INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, next_attempt_at, created_at, updated_at, next_attempt_trigger)
       SELECT u.id, ${p.add(input.appId)}, ${p.add(input.eventId)}, u.endpoint_id, ${p.add(input.eventName)}, 'pending', ${createdAt}, ${createdAt}, ${createdAt},
              ${p.add(input.trigger ?? "auto", "::attempt_trigger")}
       FROM unnest(${p.add(ids, "::text[]")}, ${p.add(input.endpointIds, "::text[]")}) AS u(id, endpoint_id)
       RETURNING id, app_id, endpoint_id, created_at),
     q AS (
       INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at)
       SELECT id, app_id, endpoint_id, created_at, ${p.add(input.lease?.holder ?? null, "::text")},
              CASE WHEN ${p.add(input.lease ? 1 : 0, "::int")} = 1 THEN now() + make_interval(secs => ${p.add(input.lease?.seconds ?? 0)}) END
       FROM ins),
     r AS (${foldIntoRollupsSql(`(SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 1 AS created, 0 AS succeeded, 0 AS failed, ${NO_ATTEMPT_COLUMNS} FROM ins)`)})
     SELECT 1`,
    p.values,
  );
  return ids;
}
