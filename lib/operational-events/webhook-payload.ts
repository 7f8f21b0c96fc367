/**
 * Operational events in Svix's operational-webhook shapes (`{ type, data }`), for endpoints
 * registered through `/operational-webhook/endpoint`:
 *
 * - `delivery.exhausted` → `message.attempt.exhausted` (the delivery's last attempt)
 * - `endpoint.failing`   → `message.attempt.failing` (the endpoint's last attempt)
 * - `endpoint.recovered` → `message.attempt.recovered` (the attempt that succeeded)
 * - `endpoint.disabled`  → `endpoint.disabled` (`trigger` manual or automatic)
 * - `endpoint.enabled`   → `endpoint.enabled`
 * - `endpoint.created` / `endpoint.updated` / `endpoint.deleted` → the same names
 *
 * `appUid` and `endpointUid` are the Svix uids (null when none) as they are when it is sent.
 */
import type { PoolClient } from "pg";
import {
  attemptsMadeSql,
  readAttemptPageInWindows,
  type AttemptWindow,
} from "@/lib/delivery-log/attempt-log";
import type { OperationalEventType } from "@/lib/operational-events/record";

/** Svix's operational event types this server can send (also what `eventTypes` accepts). */
export const SVIX_OPERATIONAL_TYPES = [
  "endpoint.created",
  "endpoint.deleted",
  "endpoint.disabled",
  "endpoint.enabled",
  "endpoint.updated",
  "message.attempt.exhausted",
  "message.attempt.failing",
  "message.attempt.recovered",
] as const;
export type SvixOperationalType = (typeof SVIX_OPERATIONAL_TYPES)[number];

export const SVIX_TYPE_OF: Record<OperationalEventType, SvixOperationalType> = {
  "delivery.exhausted": "message.attempt.exhausted",
  "endpoint.failing": "message.attempt.failing",
  "endpoint.recovered": "message.attempt.recovered",
  "endpoint.disabled": "endpoint.disabled",
  "endpoint.enabled": "endpoint.enabled",
  "endpoint.created": "endpoint.created",
  "endpoint.updated": "endpoint.updated",
  "endpoint.deleted": "endpoint.deleted",
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

/** The event's own attempt (`data.attempt_id`), else the delivery's (or else the endpoint's) most recent one, with its message. */
async function lastAttemptOf(
  client: Pick<PoolClient, "query">,
  row: OperationalEventRow,
): Promise<LastAttempt | undefined> {
  const attemptId = typeof row.data.attempt_id === "string" ? row.data.attempt_id : null;
  const by = attemptId ? "a.id" : row.delivery_id ? "a.delivery_id" : "a.endpoint_id";
  // Attempts are keyed (delivery_id, id): the delivery, when known, keeps this to one partition.
  const values = [row.app_id, attemptId ?? row.delivery_id ?? row.endpoint_id];
  const ofDelivery =
    attemptId && row.delivery_id ? ` AND a.delivery_id = $${values.push(row.delivery_id)}` : "";
  const read = async (window: AttemptWindow) => {
    const bounds = window.from
      ? attemptsMadeSql("a", ">=", `$${values.length + 1}::timestamptz`)
      : [];
    const { rows } = await client.query<LastAttempt>(
      `SELECT a.id, a.response_status, a.created_at, d.event_id, e.uid
       FROM all_attempts a JOIN deliveries d ON d.id = a.delivery_id JOIN events e ON e.id = d.event_id
       WHERE a.app_id = $1 AND ${by} = $2${ofDelivery}${bounds.map((b) => ` AND ${b}`).join("")}
       ORDER BY a.created_at DESC, a.id DESC LIMIT 1`,
      window.from ? [...values, window.from] : values,
    );
    return rows;
  };
  // An endpoint's last attempt is read by time, the newest first (lib/delivery-log/attempt-log.ts).
  const rows =
    by === "a.endpoint_id"
      ? await readAttemptPageInWindows({ at: new Date(), descending: true }, 1, read)
      : await read({ from: null, to: null });
  return rows[0];
}

/** The app's and the endpoint's Svix uids (null when none). */
async function uidsOf(
  client: Pick<PoolClient, "query">,
  row: OperationalEventRow,
): Promise<{ appUid: string | null; endpointUid: string | null }> {
  const { rows } = await client.query<{ app_uid: string | null; endpoint_uid: string | null }>(
    `SELECT a.svix_uid AS app_uid, e.svix_uid AS endpoint_uid
     FROM apps a LEFT JOIN endpoints e ON e.id = $2 AND e.app_id = a.id WHERE a.id = $1`,
    [row.app_id, row.endpoint_id],
  );
  return { appUid: rows[0]?.app_uid ?? null, endpointUid: rows[0]?.endpoint_uid ?? null };
}

const ENDPOINT_LIFECYCLE = new Set<SvixOperationalType>([
  "endpoint.created",
  "endpoint.updated",
  "endpoint.deleted",
  "endpoint.enabled",
]);

/** The Svix body of an operational event, or null for a type Svix has no shape for. */
export async function svixOperationalBody(
  client: Pick<PoolClient, "query">,
  row: OperationalEventRow,
): Promise<{ type: SvixOperationalType; data: Record<string, unknown> } | null> {
  const type = SVIX_TYPE_OF[row.type as OperationalEventType] as SvixOperationalType | undefined;
  if (!type) return null;
  const { appUid, endpointUid } = await uidsOf(client, row);
  const ids = { appId: row.app_id, appUid, endpointId: row.endpoint_id };
  if (ENDPOINT_LIFECYCLE.has(type)) return { type, data: { ...ids, endpointUid } };
  if (type === "endpoint.disabled") {
    return {
      type,
      data: {
        ...ids,
        endpointUid,
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
