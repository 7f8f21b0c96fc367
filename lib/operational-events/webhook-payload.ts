/**
 * Operational events in Svix's operational-webhook shapes (`{ type, data }`), for endpoints
 * registered through `/operational-webhook/endpoint`:
 *
 * - `delivery.exhausted` → `message.attempt.exhausted` (the delivery's last attempt)
 * - `endpoint.failing`   → `message.attempt.failing` (the endpoint's last attempt)
 * - `endpoint.disabled`  → `endpoint.disabled` (`trigger` manual or automatic)
 */
import type { PoolClient } from "pg";
import type { OperationalEventType } from "@/lib/operational-events/record";

/** Svix's operational event types this server can send (also what `eventTypes` accepts). */
export const SVIX_OPERATIONAL_TYPES = [
  "endpoint.disabled",
  "message.attempt.exhausted",
  "message.attempt.failing",
] as const;
export type SvixOperationalType = (typeof SVIX_OPERATIONAL_TYPES)[number];

export const SVIX_TYPE_OF: Record<OperationalEventType, SvixOperationalType> = {
  "delivery.exhausted": "message.attempt.exhausted",
  "endpoint.failing": "message.attempt.failing",
  "endpoint.disabled": "endpoint.disabled",
};

export interface OperationalEventRow {
  id: string;
  type: string;
  app_id: string | null;
  endpoint_id: string | null;
  delivery_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

interface LastAttempt {
  id: string;
  response_status: number | null;
  created_at: Date;
  event_id: string;
  uid: string | null;
}

/** The delivery's (or else the endpoint's) most recent attempt, with its message. */
async function lastAttemptOf(
  client: Pick<PoolClient, "query">,
  row: OperationalEventRow,
): Promise<LastAttempt | undefined> {
  const { rows } = await client.query<LastAttempt>(
    `SELECT a.id, a.response_status, a.created_at, d.event_id, e.uid
     FROM attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
     WHERE a.app_id = $1 AND ${row.delivery_id ? "a.delivery_id = $2" : "a.endpoint_id = $2"}
     ORDER BY a.created_at DESC, a.id DESC LIMIT 1`,
    [row.app_id, row.delivery_id ?? row.endpoint_id],
  );
  return rows[0];
}

/** The Svix body of an operational event, or null for a type Svix has no shape for. */
export async function svixOperationalBody(
  client: Pick<PoolClient, "query">,
  row: OperationalEventRow,
): Promise<{ type: SvixOperationalType; data: Record<string, unknown> } | null> {
  const type = SVIX_TYPE_OF[row.type as OperationalEventType] as SvixOperationalType | undefined;
  if (!type) return null;
  const ids = { appId: row.app_id, endpointId: row.endpoint_id };
  if (type === "endpoint.disabled") {
    return {
      type,
      data: {
        ...ids,
        trigger: row.data.kind === "manual" ? "manual" : "automatic",
        ...(typeof row.data.failing_since === "string" && { failSince: row.data.failing_since }),
      },
    };
  }
  const last = await lastAttemptOf(client, row);
  if (!last) return null;
  return {
    type,
    data: {
      ...ids,
      msgId: last.event_id,
      ...(last.uid && { msgEventId: last.uid }),
      lastAttempt: {
        id: last.id,
        responseStatusCode: last.response_status ?? 0,
        timestamp: last.created_at.toISOString(),
      },
    },
  };
}
