import type { PoolClient } from "pg";
import type { Prisma } from "@/generated/prisma/client";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { newId } from "@/lib/ids";
import { SVIX_TYPE_OF } from "@/lib/operational-events/webhook-payload";

/**
 * - `endpoint.failing`: an endpoint reached HOOKLINE_FAILING_ALERT_AFTER deliveries failing in a row (a delivery retried within the streak counts once).
 * - `endpoint.recovered`: an endpoint that had raised `endpoint.failing` delivered successfully again (lib/delivery/recovered-events.ts).
 * - `endpoint.disabled`: Hookline disabled an endpoint (410 Gone, or failing for too long).
 * - `endpoint.enabled`: an endpoint was turned back on (reactivated).
 * - `endpoint.created` / `endpoint.updated` / `endpoint.deleted`: through any API (native, portal, Svix).
 * - `delivery.exhausted`: a delivery spent its retries and ended `failed`.
 */
export type OperationalEventType =
  | "endpoint.failing"
  | "endpoint.recovered"
  | "endpoint.disabled"
  | "endpoint.enabled"
  | "endpoint.created"
  | "endpoint.updated"
  | "endpoint.deleted"
  | "delivery.exhausted";

export interface OperationalEventInput {
  type: OperationalEventType;
  appId: string;
  endpointId?: string;
  deliveryId?: string;
  data: Record<string, unknown>;
}

// Due at once to every enabled operational-webhook endpoint that takes its (Svix) type.
const RECORD_SQL = `WITH ev AS (
     INSERT INTO operational_events (id, type, app_id, endpoint_id, delivery_id, data, next_send_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, CASE WHEN $7::boolean THEN now() END) RETURNING id)
   INSERT INTO operational_webhook_sends (operational_event_id, endpoint_id)
   SELECT ev.id, w.id FROM ev, operational_webhook_endpoints w
   WHERE NOT w.disabled AND (w.event_types = '{}' OR $8::text = ANY(w.event_types))`;

function recordValues(id: string, event: OperationalEventInput): unknown[] {
  return [
    id,
    event.type,
    event.appId,
    event.endpointId ?? null,
    event.deliveryId ?? null,
    JSON.stringify(event.data),
    getEngineConfig().operatorWebhookUrl !== undefined,
    SVIX_TYPE_OF[event.type],
  ];
}

/**
 * Records an operational event in the caller's transaction (it commits with the change that
 * caused it). When an operator webhook is configured it is due for sending at once, and so it
 * is to the operational-webhook endpoints that take it (lib/operational-events/webhook-endpoints.ts).
 */
export async function recordOperationalEvent(
  client: PoolClient,
  event: OperationalEventInput,
): Promise<string> {
  const id = newId("ope");
  await client.query(RECORD_SQL, recordValues(id, event));
  return id;
}

/**
 * `recordOperationalEvent` in a Prisma interactive transaction. Answers whether the event is due
 * to anyone (the operator webhook, or an operational-webhook endpoint): whether to kick
 * `kickOperationalEventDispatch` once the transaction commits.
 */
export async function recordOperationalEventTx(
  tx: Prisma.TransactionClient,
  event: OperationalEventInput,
): Promise<boolean> {
  const values = recordValues(newId("ope"), event);
  // The statement's count is the operational-webhook sends it made due.
  const sends = await tx.$executeRawUnsafe(RECORD_SQL, ...values);
  return sends > 0 || values[6] === true;
}
