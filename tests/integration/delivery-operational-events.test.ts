/**
 * Operational events reach the operator webhook signed like any delivery, with retries; and
 * GET /api/metrics serves Prometheus text behind an API key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  createTestApp,
  createTestEndpoint,
  eventually,
  triggerAndFanOut,
} from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { generateSigningSecret } from "@/lib/crypto/secrets";
import { resetEngineConfigForTests } from "@/lib/delivery/engine-config";
import { attemptDeliveryStep } from "@/lib/jobs/inngest-steps";
import { sendPendingOperationalEvents } from "@/lib/operational-events/dispatch";
import * as metricsRoute from "@/app/api/metrics/route";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});
const operatorSecret = generateSigningSecret();
let operator: Receiver;
let receiver: Receiver;
let operatorStatus = 200;

beforeAll(async () => {
  operator = await startReceiver((_req, res) => {
    res.statusCode = operatorStatus;
    res.end();
  });
  receiver = await startReceiver((_req, res) => {
    res.statusCode = 410;
    res.end();
  });
  process.env.HOOKLINE_OPERATOR_WEBHOOK_URL = operator.url;
  process.env.HOOKLINE_OPERATOR_WEBHOOK_SECRET = operatorSecret;
  resetEngineConfigForTests();
});
afterAll(async () => {
  await Promise.all([operator?.close(), receiver?.close()]);
  delete process.env.HOOKLINE_OPERATOR_WEBHOOK_URL;
  delete process.env.HOOKLINE_OPERATOR_WEBHOOK_SECRET;
  resetEngineConfigForTests();
});

describe("operational events", () => {
  it("endpoint.disabled is recorded and sent to the operator webhook, signed; a failed send is retried", async () => {
    operatorStatus = 500;
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const delivery = await db().prisma.delivery.findFirstOrThrow({ where: { appId: app.id } });
    expect(await attemptDeliveryStep(delivery.id, "run")).toEqual({ done: true, status: "failed" });

    // The first send (right after the commit) fails: recorded, with a later retry time.
    const pending = await eventually(async () => {
      const row = await db().prisma.operationalEvent.findFirst({
        where: { endpointId: endpoint.id },
      });
      // (the send is claimed, counting the attempt, before its outcome is written)
      return row && row.sendAttempts > 0 && row.lastSendError !== null ? row : undefined;
    });
    expect(pending).toMatchObject({ type: "endpoint.disabled", sentAt: null, sendAttempts: 1 });
    expect(pending.lastSendError).toMatch(/HTTP 500/);
    expect(pending.nextSendAt!.getTime()).toBeGreaterThan(Date.now());

    operatorStatus = 204;
    await db().pool.query("UPDATE operational_events SET next_send_at = now() WHERE id = $1", [
      pending.id,
    ]);
    expect(await sendPendingOperationalEvents()).toEqual({ sent: 1, failed: 0 });
    const sent = await db().prisma.operationalEvent.findUniqueOrThrow({
      where: { id: pending.id },
    });
    expect(sent.sentAt).not.toBeNull();

    const last = operator.requests.at(-1)!;
    expect(last.headers["webhook-id"]).toBe(pending.id);
    const body = new Webhook(operatorSecret).verify(last.body, last.headers) as {
      type: string;
      data: Record<string, unknown>;
    };
    expect(body.type).toBe("endpoint.disabled");
    expect(body.data).toMatchObject({
      app_id: app.id,
      endpoint_id: endpoint.id,
      kind: "gone",
      url: receiver.url,
    });
    expect(await sendPendingOperationalEvents()).toEqual({ sent: 0, failed: 0 });
  });
});

describe("GET /api/metrics", () => {
  it("serves Prometheus text behind an API key", async () => {
    const anonymous = await callRoute(metricsRoute.GET, { path: "/api/metrics" });
    expect(anonymous.status).toBe(401);

    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://waiting.example/hook" });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const { key } = await createApiKey({ name: "prometheus" }, "test");
    const res = await callRoute<string>(metricsRoute.GET, { path: "/api/metrics", apiKey: key });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0.0.4/);
    const text = res.body;
    expect(text).toMatch(/^hookline_deliveries_due 1$/m);
    expect(text).toMatch(/^hookline_delivery_lag_seconds \d+\.\d{3}$/m);
    expect(text).toMatch(/^hookline_endpoints_disabled 1$/m);
    expect(text).toMatch(/^hookline_delivery_attempts_total\{result="http_4xx"\} 1$/m);
    expect(text).toMatch(/^hookline_deliveries_completed_total\{status="failed"\} 1$/m);
    expect(text).toMatch(
      /^hookline_attempt_duration_seconds_bucket\{result="failure",le="\+Inf"\} 1$/m,
    );
    expect(text).toMatch(/^hookline_attempt_duration_seconds_count\{result="failure"\} 1$/m);
    expect(text).toMatch(/^hookline_endpoints_disabled_total\{reason="gone"\} 1$/m);
    expect(text).toMatch(/^# TYPE hookline_attempt_duration_seconds histogram$/m);
  });
});

describe("endpoint.recovered", () => {
  it("is recorded once when a success clears a streak that had raised endpoint.failing, not below it", async () => {
    const ok = await startReceiver();
    try {
      const app = await createTestApp();
      const { endpoint: failing } = await createTestEndpoint(app, { url: ok.url });
      const { endpoint: wobbly } = await createTestEndpoint(app, { url: ok.url });
      // HOOKLINE_FAILING_ALERT_AFTER is 5 (the default): 5 raised endpoint.failing, 4 did not.
      await db().pool.query(
        `UPDATE endpoints SET consecutive_failures = CASE WHEN id = $1 THEN 5 ELSE 4 END,
           failing_since = now() - interval '1 minute' WHERE id IN ($1, $2)`,
        [failing.id, wobbly.id],
      );
      await triggerAndFanOut(app, { event_name: "a", payload: {} });
      const deliveries = await db().prisma.delivery.findMany({ where: { appId: app.id } });
      expect(deliveries).toHaveLength(2);
      for (const d of deliveries)
        expect(await attemptDeliveryStep(d.id, "run")).toEqual({ done: true, status: "success" });

      for (const e of [failing, wobbly])
        expect(await db().prisma.endpoint.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject(
          { consecutiveFailures: 0, failingSince: null },
        );
      const events = await db().prisma.operationalEvent.findMany({ where: { appId: app.id } });
      expect(events.map((e) => [e.type, e.endpointId])).toEqual([
        ["endpoint.recovered", failing.id],
      ]);
      const attempt = await findFirstAttemptOrThrow({ endpointId: failing.id });
      expect(events[0]).toMatchObject({ deliveryId: attempt.deliveryId });
      expect(events[0]!.data).toMatchObject({ attempt_id: attempt.id, consecutive_failures: 5 });

      // Sent to the operator webhook right after the commit.
      const sent = await eventually(async () =>
        operator.requests.find((r) => r.headers["webhook-id"] === events[0]!.id),
      );
      expect(new Webhook(operatorSecret).verify(sent.body, sent.headers)).toMatchObject({
        type: "endpoint.recovered",
        data: { app_id: app.id, endpoint_id: failing.id, attempt_id: attempt.id },
      });
    } finally {
      await ok.close();
    }
  });
});
