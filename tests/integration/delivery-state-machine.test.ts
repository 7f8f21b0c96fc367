/**
 * Transitions outside the happy path: test sends, manual attempts and replays, endpoints that
 * are disabled, deleted or failing too long, expired leases, rate limits and graceful shutdown.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  createTestApp,
  createTestEndpoint,
  eventually,
  triggerAndFanOut,
  deliveryWithAttempts,
} from "../helpers/delivery-fixtures";
import { sendTestEvent } from "@/lib/delivery/send-test-event";
import { cancelPendingDeliveriesForEndpoint } from "@/lib/delivery/cancel-deliveries";
import { scheduleManualAttempts } from "@/lib/delivery/schedule-manual-attempts";
import { attemptDeliveryStep } from "@/lib/jobs/inngest-steps";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

let receiver: Receiver;
let status = 200;
beforeAll(async () => {
  receiver = await startReceiver((_req, res) => {
    res.statusCode = status;
    res.end(`answered ${status}`);
  });
});
afterAll(async () => {
  await receiver?.close();
});

async function pendingDelivery(appId: string) {
  return db().prisma.delivery.findFirstOrThrow({
    where: { appId },
    orderBy: { createdAt: "desc" },
  });
}

describe("test sends", () => {
  it("sends one signed test event now and reports the answer; no retry, no effect on endpoint health", async () => {
    const app = await createTestApp();
    const { endpoint, secret } = await createTestEndpoint(app, {
      url: receiver.url,
      subscriptions: ["other.*"],
    });
    receiver.requests.length = 0;
    status = 200;
    const ok = await sendTestEvent({
      app,
      endpoint,
      eventName: "invoice.paid",
      payload: { invoice_id: "inv_123" },
      actor: "api_key:test",
    });
    expect(ok).toMatchObject({
      success: true,
      status_code: 200,
      error: null,
      response_body: "answered 200",
    });
    const req = receiver.requests[0]!;
    expect(req.headers["webhook-id"]).toBe(ok.delivery_id);
    expect(new Webhook(secret).verify(req.body, req.headers)).toMatchObject({
      type: "invoice.paid",
      data: { invoice_id: "inv_123" },
    });
    const delivery = await deliveryWithAttempts(ok.delivery_id);
    expect(delivery).toMatchObject({
      status: "success",
      attemptCount: 1,
      eventName: "invoice.paid",
    });
    expect(delivery.attempts[0]!.trigger).toBe("test");
    // The answer reports the attempt it recorded.
    expect(ok.duration_ms).toBe(delivery.attempts[0]!.durationMs);
    expect(
      await db().prisma.auditLog.count({
        where: { action: "endpoint.tested", targetId: endpoint.id, actor: "api_key:test" },
      }),
    ).toBe(1);

    status = 500;
    const failed = await sendTestEvent({
      app,
      endpoint,
      eventName: "invoice.paid",
      payload: {},
      actor: "test",
    });
    expect(failed).toMatchObject({
      success: false,
      status_code: 500,
      response_body: "answered 500",
    });
    expect(failed.error).toMatch(/HTTP 500/);
    const failedDelivery = await db().prisma.delivery.findUniqueOrThrow({
      where: { id: failed.delivery_id },
    });
    expect(failedDelivery).toMatchObject({
      status: "failed",
      attemptCount: 1,
      nextAttemptAt: null,
    });
    const health = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(health).toMatchObject({ consecutiveFailures: 0, failingSince: null, isActive: true });
  });

  it("works on a disabled endpoint (to check a fix before reactivating)", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    const disabled = await db().prisma.endpoint.update({
      where: { id: endpoint.id },
      data: { isActive: false, disabledReason: "manual" },
    });
    status = 204;
    expect(
      await sendTestEvent({
        app,
        endpoint: disabled,
        eventName: "ping",
        payload: {},
        actor: "test",
      }),
    ).toMatchObject({ success: true, status_code: 204 });
  });
});

describe("manual attempts and replays", () => {
  it("puts a failed delivery back to due-now with the same webhook-id; the attempt is recorded as a replay", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url, maxRetries: 0 });
    status = 500;
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const delivery = await pendingDelivery(app.id);
    expect(await attemptDeliveryStep(delivery.id, "run-1")).toEqual({
      done: true,
      status: "failed",
    });

    status = 200;
    receiver.requests.length = 0;
    const result = await scheduleManualAttempts([delivery.id, "dlv_missing"], "replay");
    expect(result.scheduled).toEqual([delivery.id]);
    expect(result.skipped).toEqual([{ id: "dlv_missing", reason: "not_found" }]);
    expect(await attemptDeliveryStep(delivery.id, "run-2")).toEqual({
      done: true,
      status: "success",
    });
    const after = await deliveryWithAttempts(delivery.id);
    expect(after).toMatchObject({ status: "success", attemptCount: 2, nextAttemptTrigger: "auto" });
    expect(after.attempts.map((a) => [a.attemptNumber, a.trigger, a.responseStatus])).toEqual([
      [1, "auto", 500],
      [2, "replay", 200],
    ]);
    expect(receiver.requests[0]!.headers["webhook-id"]).toBe(delivery.id);
  });

  it("skips deliveries in flight or whose endpoint is disabled", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const [first, second] = await db().prisma.delivery.findMany({
      where: { appId: app.id },
      orderBy: { id: "asc" },
    });
    await db().pool.query(
      "INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at) SELECT id, app_id, endpoint_id, now(), 'w', now() + interval '1 minute' FROM deliveries WHERE id = $1 ON CONFLICT (delivery_id) DO UPDATE SET leased_by = EXCLUDED.leased_by, lease_expires_at = EXCLUDED.lease_expires_at",
      [first!.id],
    );
    expect((await scheduleManualAttempts([first!.id], "manual")).skipped).toEqual([
      { id: first!.id, reason: "in_flight" },
    ]);
    await db().prisma.endpoint.update({ where: { id: endpoint.id }, data: { isActive: false } });
    expect((await scheduleManualAttempts([second!.id], "manual")).skipped).toEqual([
      { id: second!.id, reason: "endpoint_inactive" },
    ]);
  });
});

describe("endpoint health", () => {
  it("disables an endpoint that has failed continuously for the configured window", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url, maxRetries: 5 });
    await db().pool.query(
      "UPDATE endpoints SET failing_since = now() - interval '6 days', consecutive_failures = 40 WHERE id = $1",
      [endpoint.id],
    );
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const delivery = await pendingDelivery(app.id);
    status = 503;
    expect(await attemptDeliveryStep(delivery.id, "run")).toEqual({ done: true, status: "failed" });
    const after = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(after.isActive).toBe(false);
    expect(after.disabledReason).toMatch(
      /^Failing continuously since .* \(41 deliveries failed in a row\)$/,
    );
    const deliveries = await db().prisma.delivery.findMany({ where: { appId: app.id } });
    expect(deliveries.map((d) => d.status).sort()).toEqual(["cancelled", "failed"]);
    expect(deliveries.find((d) => d.status === "failed")!.lastError).toMatch(
      /disabled for failing too long/,
    );
    const ops = await db().prisma.operationalEvent.findMany({ where: { endpointId: endpoint.id } });
    expect(ops.map((o) => o.type)).toEqual(["endpoint.disabled"]);
    expect(ops[0]!.data).toMatchObject({ kind: "failing", cancelled_deliveries: 1 });
  });

  it("cancels waiting deliveries of an endpoint on request, leaving in-flight ones to their worker", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    for (let i = 0; i < 3; i++) await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const inFlight = await pendingDelivery(app.id);
    await db().pool.query(
      "INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at) SELECT id, app_id, endpoint_id, now(), 'w', now() + interval '1 minute' FROM deliveries WHERE id = $1 ON CONFLICT (delivery_id) DO UPDATE SET leased_by = EXCLUDED.leased_by, lease_expires_at = EXCLUDED.lease_expires_at",
      [inFlight.id],
    );
    expect(await cancelPendingDeliveriesForEndpoint(endpoint.id, "Endpoint deleted")).toBe(2);
    const rows = await db().prisma.delivery.findMany({ where: { appId: app.id } });
    expect(
      rows
        .filter((d) => d.status === "cancelled")
        .every((d) => d.lastError === "Endpoint deleted" && d.completedAt !== null),
    ).toBe(true);
    expect(rows.find((d) => d.id === inFlight.id)!.status).toBe("pending");
  });

  it("a worker cancels deliveries whose endpoint was deleted instead of sending them", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    await db().prisma.endpoint.update({
      where: { id: endpoint.id },
      data: { deletedAt: new Date() },
    });
    receiver.requests.length = 0;
    const delivery = await pendingDelivery(app.id);
    expect(await attemptDeliveryStep(delivery.id, "run")).toMatchObject({
      done: true,
      status: "cancelled",
    });
    const rows = await db().prisma.delivery.findMany({ where: { appId: app.id } });
    expect(rows.map((d) => [d.status, d.lastError])).toEqual([
      ["cancelled", "Endpoint deleted"],
      ["cancelled", "Endpoint deleted"],
    ]);
    expect(receiver.requests).toHaveLength(0);
  });
});

describe("embedded driver", () => {
  it("claims a delivery whose lease expired (a crashed worker) and delivers it", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url });
    await triggerAndFanOut(app, { event_name: "a", payload: {} });
    const delivery = await pendingDelivery(app.id);
    await db().pool.query(
      "INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at) SELECT id, app_id, endpoint_id, now(), 'dead-worker', now() + interval '1 second' FROM deliveries WHERE id = $1 ON CONFLICT (delivery_id) DO UPDATE SET leased_by = EXCLUDED.leased_by, lease_expires_at = EXCLUDED.lease_expires_at",
      [delivery.id],
    );
    status = 200;
    const driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
    try {
      const done = await eventually(async () => {
        const d = await db().prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
        return d.status === "success" ? d : undefined;
      });
      expect(done.attemptCount).toBe(1);
    } finally {
      await driver.stop();
    }
  });

  it("keeps an endpoint's rate_limit (deliveries per second)", { timeout: 30_000 }, async () => {
    const app = await createTestApp();
    const limited = await startReceiver();
    try {
      await createTestEndpoint(app, { url: limited.url, rateLimit: 4 });
      for (let i = 0; i < 20; i++) await triggerAndFanOut(app, { event_name: "a", payload: { i } });
      const driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
      try {
        await limited.waitFor(20, 15_000);
      } finally {
        await driver.stop();
      }
      // 20 at 4 a second start over at least 4 s. Measured where they arrive, which a busy test
      // process may shift by a little: hence half a second of slack, and no per-second check.
      const times = limited.requests.map((r) => r.at);
      expect(times[19]! - times[0]!).toBeGreaterThanOrEqual(3_500);
    } finally {
      await limited.close();
    }
  });

  it(
    "on stop, finishes in-flight attempts within the grace period and releases the rest",
    { timeout: 20_000 },
    async () => {
      // Both requests are held: the quick one is let go once the stop has begun, the slower one
      // only after the stop (it outlives the grace period whatever the machine's speed).
      let releaseQuick!: () => void;
      const quickReleased = new Promise<void>((resolve) => (releaseQuick = resolve));
      let releaseSlower!: () => void;
      const slowerReleased = new Promise<void>((resolve) => (releaseSlower = resolve));
      const slow = await startReceiver(async (req, res) => {
        await (req.path.includes("slower") ? slowerReleased : quickReleased);
        res.end("ok");
      });
      try {
        const app = await createTestApp();
        await createTestEndpoint(app, {
          url: slow.url,
          subscriptions: ["quick"],
          timeoutSeconds: 10,
        });
        await createTestEndpoint(app, {
          url: `${slow.url}/slower`,
          subscriptions: ["slow"],
          timeoutSeconds: 10,
        });
        const quick = await triggerAndFanOut(app, { event_name: "quick", payload: {} });
        const slowEvent = await triggerAndFanOut(app, { event_name: "slow", payload: {} });
        const driver = startEmbeddedDriver({
          pollIntervalMs: 100,
          shutdownGraceMs: 3_000,
          replays: false,
        });
        await slow.waitFor(2, 5_000);
        const stopping = driver.stop();
        releaseQuick();
        await stopping;
        expect(driver.status().status).toBe("stopped");
        const finished = await db().prisma.delivery.findFirstOrThrow({
          where: { eventId: quick.event_id },
        });
        expect(finished.status).toBe("success");
        const released = await db().prisma.delivery.findFirstOrThrow({
          where: { eventId: slowEvent.event_id },
        });
        expect(released).toMatchObject({ status: "pending", attemptCount: 0 });
        expect(
          await db().prisma.deliveryQueueEntry.findUniqueOrThrow({
            where: { deliveryId: released.id },
          }),
        ).toMatchObject({ leasedBy: null, leaseExpiresAt: null });
      } finally {
        releaseSlower();
        await slow.close();
      }
    },
  );
});
