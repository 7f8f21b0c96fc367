import type { App, Endpoint } from "@/generated/prisma/client";
import { newId } from "@/lib/ids";
import { apiErrors } from "@/lib/http/errors";
import { runClaimedAttempt } from "@/lib/delivery/attempt";
import { activeSigningMaterial } from "@/lib/endpoints/ed25519-signing-keys";
import { openHeaders } from "@/lib/endpoints/stored-headers";
import { withTransaction } from "@/lib/delivery/sql";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { insertPendingDeliveries } from "@/lib/delivery/enqueue-deliveries";
import { LEASE_MARGIN_SECONDS } from "@/lib/delivery/states";
import { effectiveDeliveryFormat } from "@/lib/endpoints/delivery-format";

export interface TestEventResult {
  delivery_id: string;
  success: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response_body: string | null;
}

export interface SendTestEventInput {
  app: App;
  endpoint: Endpoint;
  eventName: string;
  payload: Record<string, unknown>;
  /** For the audit log. */
  actor: string;
}

/**
 * `POST .../endpoints/{id}/test`: records an event and a delivery to this one endpoint (whatever
 * its subscriptions, and even while it is disabled, so a fix can be checked before reactivating)
 * and makes one attempt now through the normal attempt path, with trigger `test`. The delivery
 * is created already leased to this call, so no worker races it; test deliveries are not retried
 * and do not count towards the endpoint's failure streak.
 */
export async function sendTestEvent(input: SendTestEventInput): Promise<TestEventResult> {
  const { app, endpoint } = input;
  if (endpoint.deletedAt || endpoint.appId !== app.id)
    throw apiErrors.notFound(`Endpoint "${endpoint.id}"`);
  const eventId = newId("msg");
  const holder = `test:${eventId}`;
  const createdAt = new Date();
  const payloadText = JSON.stringify(input.payload);

  const deliveryId = await withTransaction(async (client) => {
    await client.query(
      "INSERT INTO events (id, app_id, name, payload, payload_text, created_at) VALUES ($1, $2, $3, $4::text::jsonb, $4::text, $5)",
      [eventId, app.id, input.eventName, payloadText, createdAt],
    );
    const [id] = await insertPendingDeliveries(client, {
      appId: app.id,
      eventId,
      eventName: input.eventName,
      endpointIds: [endpoint.id],
      createdAt,
      lease: { holder, seconds: endpoint.timeoutSeconds + LEASE_MARGIN_SECONDS },
      trigger: "test",
    });
    await client.query(
      `INSERT INTO audit_logs (id, app_id, actor, action, target_type, target_id, details)
       VALUES ($1, $2, $3, 'endpoint.tested', 'endpoint', $4, $5)`,
      [
        newId("aud"),
        app.id,
        input.actor,
        endpoint.id,
        JSON.stringify({ event_name: input.eventName, delivery_id: id }),
      ],
    );
    return id!;
  });

  const claim: ClaimedDelivery = {
    deliveryId,
    appId: app.id,
    endpointId: endpoint.id,
    leasedBy: holder,
    fifo: false,
    attemptCount: 0,
    trigger: "test",
    deliveryCreatedAt: createdAt,
    lastFailedAt: null,
    url: endpoint.url,
    customHeaders: openHeaders(endpoint),
    timeoutSeconds: endpoint.timeoutSeconds,
    maxRetries: 0,
    rateLimit: endpoint.rateLimit,
    endpointActive: endpoint.isActive,
    endpointDeleted: false,
    event: {
      id: eventId,
      name: input.eventName,
      createdAt,
      payloadText,
      expired: false,
    },
    ...(await activeSigningMaterial(endpoint)),
    deliveryFormat: effectiveDeliveryFormat(endpoint.deliveryFormat, app.deliveryFormat),
  };
  const run = await runClaimedAttempt(claim);
  if (run.kind === "cancelled") {
    return {
      delivery_id: deliveryId,
      success: false,
      status_code: null,
      error: run.reason,
      duration_ms: 0,
      response_body: null,
    };
  }
  const { result } = run;
  return {
    delivery_id: deliveryId,
    success: result.ok,
    status_code: result.status,
    error: result.ok ? null : (result.error ?? `the receiver answered HTTP ${result.status}`),
    duration_ms: result.durationMs,
    response_body: result.body,
  };
}
