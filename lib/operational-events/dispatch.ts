/**
 * Sends recorded operational events to HOOKLINE_OPERATOR_WEBHOOK_URL, signed like every other
 * delivery (Standard Webhooks, webhook-id = the operational event's id), and to the
 * operational-webhook endpoints registered through the Svix API, in Svix's shapes, signed with
 * each endpoint's secret (`svix-*` and `webhook-*` headers). At-least-once: rows are claimed by
 * pushing `next_send_at` forward, marked sent on a 2xx, retried with backoff.
 */
import { getDb } from "@/lib/db/client";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { postWebhook } from "@/lib/delivery/http-client";
import { buildWebhookHeaders } from "@/lib/delivery/sign";
import { log } from "@/lib/log";
import { operationalEndpointSecrets } from "@/lib/operational-events/webhook-endpoints";
import {
  svixOperationalBody,
  type OperationalEventRow,
} from "@/lib/operational-events/webhook-payload";
import { processSingleton } from "@/lib/runtime/process-singleton";

const SEND_TIMEOUT_MS = 10_000;
const CLAIM_SECONDS = 60;
const MAX_SEND_ATTEMPTS = 20;

interface PendingRow {
  id: string;
  type: string;
  app_id: string | null;
  endpoint_id: string | null;
  delivery_id: string | null;
  data: Record<string, unknown>;
  created_at: Date;
  send_attempts: number;
}

/** The operator webhook body: `{ type, timestamp, data }` like customer deliveries. */
export function operationalEventBody(
  row: Pick<PendingRow, "type" | "app_id" | "endpoint_id" | "delivery_id" | "data" | "created_at">,
): string {
  return JSON.stringify({
    type: row.type,
    timestamp: row.created_at.toISOString(),
    data: {
      app_id: row.app_id,
      endpoint_id: row.endpoint_id,
      delivery_id: row.delivery_id,
      ...row.data,
    },
  });
}

function backoffSeconds(attempts: number): number {
  return Math.min(3_600, 30 * 2 ** Math.max(0, attempts - 1));
}

/** Sends due operational events once; returns how many were accepted and how many failed. */
export async function sendPendingOperationalEvents(
  limit = 50,
): Promise<{ sent: number; failed: number }> {
  const [operator, registered] = await Promise.all([
    sendToOperatorWebhook(limit),
    sendToOperationalEndpoints(limit),
  ]);
  return { sent: operator.sent + registered.sent, failed: operator.failed + registered.failed };
}

async function sendToOperatorWebhook(limit: number): Promise<{ sent: number; failed: number }> {
  const { operatorWebhookUrl: url, operatorWebhookSecret: secret } = getEngineConfig();
  if (!url || !secret) return { sent: 0, failed: 0 };
  const { pool } = getDb();
  const claimed = await pool.query<PendingRow>(
    `UPDATE operational_events SET next_send_at = now() + make_interval(secs => $2), send_attempts = send_attempts + 1
     WHERE id IN (
       SELECT id FROM operational_events
       WHERE sent_at IS NULL AND next_send_at <= now()
       ORDER BY next_send_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id, type, app_id, endpoint_id, delivery_id, data, created_at, send_attempts`,
    [limit, CLAIM_SECONDS],
  );
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.rows.map(async (row) => {
      const body = operationalEventBody(row);
      const headers = buildWebhookHeaders({
        msgId: row.id,
        timestamp: Math.floor(Date.now() / 1000),
        body,
        secrets: [secret],
      });
      // The operator configured this URL themselves: private addresses are expected.
      const result = await postWebhook({
        url,
        headers,
        body,
        timeoutMs: SEND_TIMEOUT_MS,
        allowPrivate: true,
      });
      if (result.ok) {
        sent++;
        await pool.query(
          "UPDATE operational_events SET sent_at = now(), next_send_at = NULL, last_send_error = NULL WHERE id = $1",
          [row.id],
        );
        return;
      }
      failed++;
      const error = result.error ?? `HTTP ${result.status}`;
      const giveUp = row.send_attempts >= MAX_SEND_ATTEMPTS;
      await pool.query(
        `UPDATE operational_events SET last_send_error = $2,
           next_send_at = CASE WHEN $3::boolean THEN NULL ELSE now() + make_interval(secs => $4) END
         WHERE id = $1`,
        [row.id, error, giveUp, backoffSeconds(row.send_attempts)],
      );
      log.warn("operator webhook failed", {
        operational_event_id: row.id,
        type: row.type,
        error,
        gave_up: giveUp,
      });
    }),
  );
  return { sent, failed };
}

interface DueSend extends OperationalEventRow {
  endpoint_id_to: string;
  url: string;
  headers: Record<string, string>;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
  send_attempts: number;
}

/** Due sends to registered operational-webhook endpoints, once. */
async function sendToOperationalEndpoints(
  limit: number,
): Promise<{ sent: number; failed: number }> {
  const { pool } = getDb();
  const claimed = await pool.query<DueSend>(
    `WITH c AS (
       UPDATE operational_webhook_sends SET next_send_at = now() + make_interval(secs => $2), send_attempts = send_attempts + 1
       WHERE (operational_event_id, endpoint_id) IN (
         SELECT operational_event_id, endpoint_id FROM operational_webhook_sends
         WHERE next_send_at <= now() ORDER BY next_send_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING operational_event_id, endpoint_id, send_attempts)
     SELECT o.id, o.type, o.app_id, o.endpoint_id, o.delivery_id, o.data, o.created_at,
            c.endpoint_id AS endpoint_id_to, c.send_attempts, w.url, w.headers, w.secret_encrypted,
            w.previous_secret_encrypted, w.previous_secret_expires_at
     FROM c JOIN operational_events o ON o.id = c.operational_event_id
     JOIN operational_webhook_endpoints w ON w.id = c.endpoint_id`,
    [limit, CLAIM_SECONDS],
  );
  let sent = 0;
  let failed = 0;
  await Promise.all(
    claimed.rows.map(async (row) => {
      const key = [row.id, row.endpoint_id_to];
      const shaped = await svixOperationalBody(pool, row);
      if (!shaped) {
        await pool.query(
          "UPDATE operational_webhook_sends SET next_send_at = NULL, last_send_error = 'no Svix shape' WHERE operational_event_id = $1 AND endpoint_id = $2",
          key,
        );
        return;
      }
      const body = JSON.stringify(shaped);
      const webhook = buildWebhookHeaders({
        msgId: row.id,
        timestamp: Math.floor(Date.now() / 1000),
        body,
        secrets: operationalEndpointSecrets({
          secretEncrypted: row.secret_encrypted,
          previousSecretEncrypted: row.previous_secret_encrypted,
          previousSecretExpiresAt: row.previous_secret_expires_at,
        }),
        customHeaders: row.headers,
      });
      const headers = {
        ...webhook,
        "svix-id": webhook["webhook-id"]!,
        "svix-timestamp": webhook["webhook-timestamp"]!,
        "svix-signature": webhook["webhook-signature"]!,
      };
      // Registered by the operator's own API key: private addresses are expected.
      const result = await postWebhook({
        url: row.url,
        headers,
        body,
        timeoutMs: SEND_TIMEOUT_MS,
        allowPrivate: true,
      });
      if (result.ok) {
        sent++;
        await pool.query(
          "UPDATE operational_webhook_sends SET sent_at = now(), next_send_at = NULL, last_send_error = NULL WHERE operational_event_id = $1 AND endpoint_id = $2",
          key,
        );
        return;
      }
      failed++;
      const error = result.error ?? `HTTP ${result.status}`;
      const giveUp = row.send_attempts >= MAX_SEND_ATTEMPTS;
      await pool.query(
        `UPDATE operational_webhook_sends SET last_send_error = $3,
           next_send_at = CASE WHEN $4::boolean THEN NULL ELSE now() + make_interval(secs => $5) END
         WHERE operational_event_id = $1 AND endpoint_id = $2`,
        [...key, error, giveUp, backoffSeconds(row.send_attempts)],
      );
      log.warn("operational webhook failed", {
        operational_event_id: row.id,
        operational_endpoint_id: row.endpoint_id_to,
        type: row.type,
        error,
        gave_up: giveUp,
      });
    }),
  );
  return { sent, failed };
}

// One per process: the routes and the job driver (instrumentation) are bundled apart.
const dispatch = processSingleton<{ running?: Promise<unknown> }>(
  "operational-events/dispatch",
  () => ({}),
);

/** Fire-and-forget send after a commit that recorded operational events; one run at a time. */
export function kickOperationalEventDispatch(): void {
  if (dispatch.running) return;
  dispatch.running = sendPendingOperationalEvents()
    .catch((err: unknown) =>
      log.warn("could not send operational events", { error: (err as Error).message }),
    )
    .finally(() => {
      dispatch.running = undefined;
    });
}
