/**
 * Sends recorded operational events to HOOKLINE_OPERATOR_WEBHOOK_URL, signed like every other
 * delivery (Standard Webhooks, webhook-id = the operational event's id). At-least-once: rows
 * are claimed by pushing `next_send_at` forward, marked sent on a 2xx, retried with backoff.
 */
import { getDb } from "@/lib/db/client";
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { postWebhook } from "@/lib/delivery/http-client";
import { buildWebhookHeaders } from "@/lib/delivery/sign";
import { log } from "@/lib/log";
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

// One per process: the routes and the job driver (instrumentation) are bundled apart.
const dispatch = processSingleton<{ running?: Promise<unknown> }>(
  "operational-events/dispatch",
  () => ({}),
);

/** Fire-and-forget send after a commit that recorded operational events; one run at a time. */
export function kickOperationalEventDispatch(): void {
  if (!getEngineConfig().operatorWebhookUrl || dispatch.running) return;
  dispatch.running = sendPendingOperationalEvents()
    .catch((err: unknown) =>
      log.warn("could not send operational events", { error: (err as Error).message }),
    )
    .finally(() => {
      dispatch.running = undefined;
    });
}
