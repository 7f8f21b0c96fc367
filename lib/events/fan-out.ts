import type { PoolClient } from "pg";
import { insertPendingDeliveries } from "@/lib/delivery/state-machine";
import { notifyDeliveriesDue } from "@/lib/jobs/wakeup";
import { matchingPatterns } from "@/lib/events/subscriptions";

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
 * event), and queues the workers' wake-up for commit. Returns the number of deliveries.
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
  await notifyDeliveriesDue(client);
  return endpointIds.length;
}
