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

interface PendingRow extends OperationalEventRow {
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

/** `SET` columns recording a send's outcome: $A error (null: sent), $B give up, $C retry delay. */
const outcomeColumns = (a: number) =>
  `sent_at = CASE WHEN $${a}::text IS NULL THEN now() END, last_send_error = $${a},
   next_send_at = CASE WHEN $${a}::text IS NULL OR $${a + 1}::boolean THEN NULL ELSE now() + make_interval(secs => $${a + 2}) END`;

interface Send {
  row: PendingRow;
  url: string;
  body: string;
  secrets: string[];
  headers?: Record<string, string>;
  /** Records the outcome: `UPDATE ... SET ${outcomeColumns(n)}` with the outcome's three values. */
  record(
    outcome: [error: string | null, giveUp: boolean, retryInSeconds: number],
  ): Promise<unknown>;
  /** Add `svix-*` headers beside the `webhook-*` ones (endpoints registered through the Svix API). */
  svixHeaders: boolean;
  /** What a failure is logged as, and with which fields. */
  logMessage: string;
  logFields: Record<string, unknown>;
}

/** Signs and posts one operational webhook and records what happened. */
async function sendOne(send: Send): Promise<boolean> {
  const { row } = send;
  const webhook = buildWebhookHeaders({
    msgId: row.id,
    timestamp: Math.floor(Date.now() / 1000),
    body: send.body,
    secrets: send.secrets,
    customHeaders: send.headers,
  });
  // The same values under both names: Standard Webhooks and Svix receivers verify it alike.
  const headers = send.svixHeaders
    ? {
        ...webhook,
        "svix-id": webhook["webhook-id"]!,
        "svix-timestamp": webhook["webhook-timestamp"]!,
        "svix-signature": webhook["webhook-signature"]!,
      }
    : webhook;
  // The operator configured these URLs themselves: private addresses are expected.
  const result = await postWebhook({
    url: send.url,
    headers,
    body: send.body,
    timeoutMs: SEND_TIMEOUT_MS,
    allowPrivate: true,
  });
  const error = result.ok ? null : (result.error ?? `HTTP ${result.status}`);
  const giveUp = row.send_attempts >= MAX_SEND_ATTEMPTS;
  await send.record([error, giveUp, backoffSeconds(row.send_attempts)]);
  if (error !== null)
    log.warn(send.logMessage, {
      ...send.logFields,
      operational_event_id: row.id,
      type: row.type,
      error,
      gave_up: giveUp,
    });
  return error === null;
}

async function sendAll(sends: Send[]): Promise<{ sent: number; failed: number }> {
  const ok = await Promise.all(sends.map(sendOne));
  const sent = ok.filter(Boolean).length;
  return { sent, failed: ok.length - sent };
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
  return sendAll(
    claimed.rows.map((row) => ({
      row,
      url,
      body: operationalEventBody(row),
      secrets: [secret],
      record: (outcome) =>
        pool.query(`UPDATE operational_events SET ${outcomeColumns(2)} WHERE id = $1`, [
          row.id,
          ...outcome,
        ]),
      svixHeaders: false,
      logMessage: "operator webhook failed",
      logFields: {},
    })),
  );
}

interface DueSend extends PendingRow {
  endpoint_id_to: string;
  url: string;
  headers: Record<string, string>;
  secret_encrypted: string;
  previous_secret_encrypted: string | null;
  previous_secret_expires_at: Date | null;
}

/** Due sends to operational-webhook endpoints registered through the Svix API, once. */
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
  const sends: Send[] = [];
  for (const row of claimed.rows) {
    const key = [row.id, row.endpoint_id_to];
    const record: Send["record"] = (outcome) =>
      pool.query(
        `UPDATE operational_webhook_sends SET ${outcomeColumns(3)}
         WHERE operational_event_id = $1 AND endpoint_id = $2`,
        [...key, ...outcome],
      );
    const shaped = await svixOperationalBody(pool, row);
    // No Svix shape for it (or its attempt is gone): nothing to send, ever.
    if (!shaped) await record(["no Svix shape for this event", true, 0]);
    else
      sends.push({
        row,
        url: row.url,
        body: JSON.stringify(shaped),
        secrets: operationalEndpointSecrets({
          secretEncrypted: row.secret_encrypted,
          previousSecretEncrypted: row.previous_secret_encrypted,
          previousSecretExpiresAt: row.previous_secret_expires_at,
        }),
        headers: row.headers,
        record,
        svixHeaders: true,
        logMessage: "operational webhook failed",
        logFields: { operational_endpoint_id: row.endpoint_id_to },
      });
  }
  return sendAll(sends);
}

// One per process: the routes and the job driver (instrumentation) are bundled apart.
const dispatch = processSingleton<{ running?: Promise<unknown>; again?: boolean }>(
  "operational-events/dispatch",
  () => ({}),
);

/**
 * Fire-and-forget send after a commit that recorded operational events; one run at a time. A
 * kick during a run starts one more run after it (the run may have claimed before that commit).
 */
export function kickOperationalEventDispatch(): void {
  if (dispatch.running) {
    dispatch.again = true;
    return;
  }
  dispatch.again = false;
  dispatch.running = sendPendingOperationalEvents()
    .catch((err: unknown) =>
      log.warn("could not send operational events", { error: (err as Error).message }),
    )
    .finally(() => {
      dispatch.running = undefined;
      if (dispatch.again) kickOperationalEventDispatch();
    });
}
