import type { PoolClient } from "pg";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { newId } from "@/lib/ids";

/**
 * - `endpoint.failing`: an endpoint reached HOOKLINE_FAILING_ALERT_AFTER deliveries failing in a row (a delivery retried within the streak counts once).
 * - `endpoint.disabled`: Hookline disabled an endpoint (410 Gone, or failing for too long).
 * - `delivery.exhausted`: a delivery spent its retries and ended `failed`.
 */
export type OperationalEventType = "endpoint.failing" | "endpoint.disabled" | "delivery.exhausted";

export interface OperationalEventInput {
  type: OperationalEventType;
  appId: string;
  endpointId?: string;
  deliveryId?: string;
  data: Record<string, unknown>;
}

/**
 * Records an operational event in the caller's transaction (it commits with the change that
 * caused it). When an operator webhook is configured it is due for sending at once.
 */
export async function recordOperationalEvent(
  client: PoolClient,
  event: OperationalEventInput,
): Promise<string> {
  const id = newId("ope");
  const sendable = getEngineConfig().operatorWebhookUrl !== undefined;
  await client.query(
    `INSERT INTO operational_events (id, type, app_id, endpoint_id, delivery_id, data, next_send_at)
     VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $7::boolean THEN now() END)`,
    [
      id,
      event.type,
      event.appId,
      event.endpointId ?? null,
      event.deliveryId ?? null,
      JSON.stringify(event.data),
      sendable,
    ],
  );
  return id;
}
