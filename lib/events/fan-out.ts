import type { PoolClient } from "pg";
import { hourOf, ROLLUP_KEY, ROLLUP_SLOT_SQL } from "@/lib/analytics/rollups";
import { insertPendingDeliveries } from "@/lib/delivery/state-machine";
import { matchingPatterns } from "@/lib/events/subscriptions";
import { newId } from "@/lib/ids";

/**
 * Active, undeleted endpoints of the app subscribed to the event. An endpoint with channels only
 * receives events that carry one of them; an endpoint without channels receives all.
 */
export async function findSubscribedEndpoints(
  client: PoolClient,
  event: { appId: string; name: string; channels: readonly string[] },
): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(
    `SELECT id FROM endpoints
     WHERE app_id = $1 AND is_active AND deleted_at IS NULL
       AND subscriptions && $2::text[]
       AND (cardinality(channels) = 0 OR channels && $3::text[])
     ORDER BY id`,
    [event.appId, matchingPatterns(event.name), event.channels],
  );
  return rows.map((r) => r.id);
}

export interface FanOutInput {
  eventId: string;
  appId: string;
  name: string;
  channels: readonly string[];
  createdAt: Date;
}

/**
 * Creates one pending delivery per subscribed endpoint, in the caller's transaction (with the
 * event). The caller announces them after commit (announceEventTriggered). Returns the number
 * of deliveries.
 */
export async function fanOutEvent(client: PoolClient, event: FanOutInput): Promise<number> {
  const endpointIds = await findSubscribedEndpoints(client, event);
  if (endpointIds.length === 0) return 0;
  await insertPendingDeliveries(client, {
    appId: event.appId,
    eventId: event.eventId,
    eventName: event.name,
    endpointIds,
    createdAt: event.createdAt,
  });
  return endpointIds.length;
}

export interface NewEventInput extends FanOutInput {
  payload: unknown;
}

const CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * An event without an idempotency key and its fan-out as ONE statement, committed on its own:
 * the event row, one pending delivery per subscribed endpoint and their rollup counts (workers
 * are woken afterwards by announceEventTriggered). Nothing is held between statements, so the
 * hourly rollup rows (which every trigger and every recorded attempt of an endpoint update) stay
 * locked only while it runs, not across a client round trip to COMMIT, which serialised
 * concurrent triggers of an app.
 *
 * Delivery ids keep newId's form (`dlv_` + 10 time + 16 random Crockford characters): one id
 * stem per event (time + 10 random characters) and the endpoint's ordinal (6 characters) last.
 * Returns the number of deliveries.
 */
export async function insertEventAndFanOut(db: Pick<PoolClient, "query">, event: NewEventInput): Promise<number> {
  const stem = newId("dlv").slice(0, "dlv_".length + 10 + 10);
  const { rows } = await db.query<{ deliveries: number }>(
    `WITH ev AS (
       INSERT INTO events (id, app_id, name, payload, idempotency_key, channels, created_at)
       VALUES ($1, $2, $3, $4, NULL, $5, $6)
       RETURNING id),
     eps AS (
       SELECT id, (row_number() OVER (ORDER BY id) - 1) AS n FROM endpoints
       WHERE app_id = $2 AND is_active AND deleted_at IS NULL
         AND subscriptions && $7::text[]
         AND (cardinality(channels) = 0 OR channels && $5::text[])),
     ins AS (
       INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, next_attempt_at, created_at, updated_at,
                               leased_by, lease_expires_at, next_attempt_trigger)
       SELECT $8 || (SELECT string_agg(substr($9, ((eps.n >> (5 * k)) & 31)::int + 1, 1), '' ORDER BY k DESC) FROM generate_series(0, 5) AS k),
              $2, ev.id, eps.id, $3, 'pending', $6, $6, $6, NULL, NULL, 'auto'
       FROM eps, ev
       RETURNING endpoint_id),
     r AS (
       INSERT INTO delivery_rollups_hourly (app_id, endpoint_id, hour, slot, created)
       SELECT $2, endpoint_id, $10, ${ROLLUP_SLOT_SQL}, count(*)::int FROM ins GROUP BY endpoint_id ORDER BY endpoint_id
       ON CONFLICT ${ROLLUP_KEY} DO UPDATE SET created = delivery_rollups_hourly.created + EXCLUDED.created)
     SELECT (SELECT count(*) FROM ins)::int AS deliveries`,
    [
      event.eventId,
      event.appId,
      event.name,
      JSON.stringify(event.payload),
      event.channels,
      event.createdAt,
      matchingPatterns(event.name),
      stem,
      CROCKFORD,
      hourOf(event.createdAt),
    ],
  );
  return rows[0]!.deliveries;
}
