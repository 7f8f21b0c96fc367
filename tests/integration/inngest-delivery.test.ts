/**
 * The Inngest driver, run in-process with @inngest/test against the test database and real
 * receivers. Sleeps are mocked by step id (they wait the real, one-second schedule so the
 * state machine sees the retry as due).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  createTestApp,
  createTestEndpoint,
  fanOutNow,
  deliveryWithAttempts,
} from "../helpers/delivery-fixtures";
import { deliverWebhook } from "@/inngest/functions/deliver";
import { fanOutEvent } from "@/inngest/functions/fan-out";
import { reconcileDeliveries } from "@/inngest/functions/reconcile";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

const receivers: Receiver[] = [];
let statuses: number[] = [];
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver((_req, res, i) => {
    res.statusCode = statuses[i] ?? 200;
    res.end();
  });
  receivers.push(receiver);
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

/** `backoff-1` … `backoff-n` mocked with a real wait of just over the schedule step. */
function backoffMocks(n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `backoff-${i + 1}`,
    handler: () => new Promise<void>((r) => setTimeout(r, 1_050)),
  }));
}

async function deliveryFor(appId: string) {
  await fanOutNow();
  return db().prisma.delivery.findFirstOrThrow({
    where: { appId },
    orderBy: { createdAt: "desc" },
  });
}

describe("Inngest delivery function", () => {
  it(
    "runs a retry sequence: attempt-1 (500), backoff-1, attempt-2 (500), backoff-2, attempt-3 (200)",
    { timeout: 30_000 },
    async () => {
      const app = await createTestApp();
      await createTestEndpoint(app, { url: receiver.url });
      receiver.requests.length = 0;
      statuses = [500, 500, 200];
      await triggerEvent(app, { event_name: "invoice.paid", payload: { n: 1 } });
      const delivery = await deliveryFor(app.id);

      const t = new InngestTestEngine({ function: deliverWebhook });
      const { result, ctx } = await t.execute({
        events: [
          {
            name: "webhook/delivery.scheduled",
            data: { delivery_id: delivery.id, endpoint_id: delivery.endpointId },
          },
        ],
        steps: backoffMocks(5),
      });
      expect(result).toEqual({ delivery_id: delivery.id, status: "success", steps: 3 });
      expect(ctx.step.run).toHaveBeenCalledWith("attempt-1", expect.any(Function));
      expect(ctx.step.run).toHaveBeenCalledWith("attempt-3", expect.any(Function));
      expect(ctx.step.sleep).toHaveBeenCalledWith("backoff-1", "1s");
      expect(ctx.step.sleep).toHaveBeenCalledWith("backoff-2", "1s");
      expect(ctx.step.sleep).not.toHaveBeenCalledWith("backoff-3", expect.anything());

      expect(receiver.requests.map((r) => r.headers["webhook-id"])).toEqual([
        delivery.id,
        delivery.id,
        delivery.id,
      ]);
      const after = await deliveryWithAttempts(delivery.id);
      expect(after).toMatchObject({ status: "success", attemptCount: 3 });
      expect(
        await db().prisma.deliveryQueueEntry.count({ where: { deliveryId: delivery.id } }),
      ).toBe(0);
      expect(after.attempts.map((a) => a.responseStatus)).toEqual([500, 500, 200]);
    },
  );

  it("410 ends the run at once, fails the delivery and disables the endpoint", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    receiver.requests.length = 0;
    statuses = [410];
    await triggerEvent(app, { event_name: "a", payload: {} });
    const delivery = await deliveryFor(app.id);
    const t = new InngestTestEngine({ function: deliverWebhook });
    const { result, ctx } = await t.execute({
      events: [
        {
          name: "webhook/delivery.scheduled",
          data: { delivery_id: delivery.id, endpoint_id: endpoint.id },
        },
      ],
      steps: backoffMocks(2),
    });
    expect(result).toMatchObject({ status: "failed", steps: 1 });
    expect(ctx.step.sleep).not.toHaveBeenCalled();
    const disabled = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.isActive).toBe(false);
    expect(disabled.disabledReason).toMatch(/410/);
  });

  it("a run for a delivery another worker holds, or one already final, ends without a request", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
    await triggerEvent(app, { event_name: "a", payload: {} });
    const delivery = await deliveryFor(app.id);
    await db().pool.query(
      "UPDATE delivery_queue SET leased_by = 'someone', lease_expires_at = now() + interval '1 minute' WHERE delivery_id = $1",
      [delivery.id],
    );
    receiver.requests.length = 0;
    const event = {
      name: "webhook/delivery.scheduled",
      data: { delivery_id: delivery.id, endpoint_id: endpoint.id },
    };
    const leased = await new InngestTestEngine({ function: deliverWebhook }).execute({
      events: [event],
    });
    expect(leased.result).toMatchObject({ status: "leased", steps: 1 });
    await db().pool.query("UPDATE deliveries SET status = 'success' WHERE id = $1", [delivery.id]);
    await db().pool.query("DELETE FROM delivery_queue WHERE delivery_id = $1", [delivery.id]);
    const final = await new InngestTestEngine({ function: deliverWebhook }).execute({
      events: [event],
    });
    expect(final.result).toMatchObject({ status: "success", steps: 1 });
    expect(receiver.requests).toHaveLength(0);
  });
});

describe("Inngest fan-out and reconciler", () => {
  it("fans a triggered event out to one delivery event per delivery, with the endpoint as concurrency key", async () => {
    const app = await createTestApp();
    const endpoints = await Promise.all(
      [0, 1, 2].map(() => createTestEndpoint(app, { url: receiver.url })),
    );
    const triggered = await triggerEvent(app, { event_name: "order.created", payload: {} });
    const t = new InngestTestEngine({ function: fanOutEvent });
    const { result, ctx } = await t.execute({
      events: [
        { name: "webhook/event.triggered", data: { event_id: triggered.event_id, app_id: app.id } },
      ],
      steps: [{ id: "schedule-0", handler: () => ({ ids: [] }) }],
    });
    expect(result).toEqual({ event_id: triggered.event_id, deliveries: 3 });
    const sent = (
      ctx.step.sendEvent as unknown as {
        mock: { calls: [string, { name: string; data: { endpoint_id: string } }[]][] };
      }
    ).mock.calls;
    expect(sent).toHaveLength(1);
    expect(sent[0]![0]).toBe("schedule-0");
    expect(sent[0]![1].map((e) => e.name)).toEqual(Array(3).fill("webhook/delivery.scheduled"));
    expect(sent[0]![1].map((e) => e.data.endpoint_id).sort()).toEqual(
      endpoints.map((e) => e.endpoint.id).sort(),
    );
  });

  it("restarts deliveries that are overdue with nobody working on them", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url });
    await triggerEvent(app, { event_name: "a", payload: {} });
    const delivery = await deliveryFor(app.id);
    await db().pool.query(
      "UPDATE delivery_queue SET run_at = now() - interval '10 minutes' WHERE delivery_id = $1",
      [delivery.id],
    );
    const t = new InngestTestEngine({ function: reconcileDeliveries });
    const { result, ctx } = await t.execute({
      steps: [{ id: "restart-overdue", handler: () => ({ ids: [] }) }],
    });
    expect(result).toMatchObject({ restarted: expect.any(Number) });
    const sent = (
      ctx.step.sendEvent as unknown as {
        mock: { calls: [string, { id: string; data: { delivery_id: string } }[]][] };
      }
    ).mock.calls;
    const restarted = sent[0]![1];
    expect(restarted.map((e) => e.data.delivery_id)).toContain(delivery.id);
    expect(restarted.find((e) => e.data.delivery_id === delivery.id)!.id).toBe(
      `overdue-${delivery.id}-0`,
    );
  });

  it("restarts the fan-out of an event accepted long ago and never fanned out (a lost send)", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url });
    const triggered = await triggerEvent(app, { event_name: "a", payload: {} });
    await db().pool.query(
      "UPDATE event_fanout_queue SET created_at = now() - interval '10 minutes' WHERE event_id = $1",
      [triggered.event_id],
    );
    const t = new InngestTestEngine({ function: reconcileDeliveries });
    const { result, ctx } = await t.execute({
      steps: [
        { id: "restart-fan-outs", handler: () => ({ ids: [] }) },
        { id: "restart-overdue", handler: () => ({ ids: [] }) },
      ],
    });
    expect(result).toMatchObject({ fan_outs_restarted: 1 });
    const sent = (
      ctx.step.sendEvent as unknown as {
        mock: { calls: [string, { id: string; name: string; data: { event_id: string } }[]][] };
      }
    ).mock.calls;
    const restart = sent.find(([id]) => id === "restart-fan-outs")![1];
    expect(restart).toEqual([
      expect.objectContaining({
        name: "webhook/event.triggered",
        id: `stalled-${triggered.event_id}`,
        data: { event_id: triggered.event_id, app_id: app.id },
      }),
    ]);
  });
});
