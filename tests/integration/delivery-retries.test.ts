/**
 * Retries and endpoint health through the embedded driver, against real receivers on 127.0.0.1,
 * with a one-second retry schedule.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAttempts, findAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1,1,1",
  HOOKLINE_FAILING_ALERT_AFTER: "3",
});

let driver: EmbeddedDriver;
const receivers: Receiver[] = [];

beforeAll(() => {
  driver = startEmbeddedDriver({ pollIntervalMs: 200, shutdownGraceMs: 2_000, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(handler: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

async function finalDelivery(eventId: string) {
  return eventually(
    async () => {
      const d = await db().prisma.delivery.findFirst({ where: { eventId } });
      return d && ["success", "failed", "cancelled"].includes(d.status) ? d : undefined;
    },
    20_000,
    "the delivery to finish",
  );
}

describe("retries", () => {
  it("500, 500, 200: three attempts one schedule step apart, then success with three attempts logged", async () => {
    const r = await receiver((_req, res, i) => {
      res.statusCode = i < 2 ? 500 : 200;
      res.end(i < 2 ? "boom" : "ok");
    });
    const app = await createTestApp();
    await createTestEndpoint(app, { url: r.url });
    const event = await triggerEvent(app, { event_name: "invoice.paid", payload: { n: 1 } });

    const delivery = await finalDelivery(event.event_id);
    expect(delivery.status).toBe("success");
    expect(delivery.attemptCount).toBe(3);
    expect(delivery.lastStatusCode).toBe(200);
    const attempts = await findAttempts({ deliveryId: delivery.id }, { orderBy: "attemptNumber" });
    expect(attempts.map((a) => [a.attemptNumber, a.responseStatus, a.trigger])).toEqual([
      [1, 500, "auto"],
      [2, 500, "auto"],
      [3, 200, "auto"],
    ]);
    expect(attempts[0]!.responseBody).toBe("boom");
    // Same webhook-id on every attempt; no retry before its schedule step (1 s, ±20% jitter
    // rounds to 1 s). Only a lower bound: a busy machine makes gaps longer, never shorter.
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"]))).toEqual(new Set([delivery.id]));
    const gaps = r.requests.slice(1).map((q, i) => q.at - r.requests[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    const endpoint = await db().prisma.endpoint.findFirstOrThrow({ where: { appId: app.id } });
    expect(endpoint.consecutiveFailures).toBe(0);
    expect(endpoint.failingSince).toBeNull();
    // Summed over the endpoint's rollup slots, as the analytics read them.
    const rows = await db().prisma.deliveryRollupHourly.findMany({
      where: { endpointId: endpoint.id },
    });
    const sum = (pick: (r: (typeof rows)[number]) => number) =>
      rows.reduce((total, r) => total + pick(r), 0);
    expect({
      created: sum((r) => r.created),
      succeeded: sum((r) => r.succeeded),
      failed: sum((r) => r.failed),
      attempts: sum((r) => r.attempts),
      attemptsFailed: sum((r) => r.attemptsFailed),
    }).toEqual({ created: 1, succeeded: 1, failed: 0, attempts: 3, attemptsFailed: 2 });
    expect(sum((r) => r.latencyHistogram.reduce((a, b) => a + b, 0))).toBe(3);
  });

  it("an always-failing receiver: failed after max_retries + 1 attempts, delivery.exhausted; endpoint.failing counts deliveries in a row", async () => {
    const r = await receiver((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: r.url, maxRetries: 2 });
    const events = await Promise.all(
      [1, 2, 3].map((n) => triggerEvent(app, { event_name: "invoice.paid", payload: { n } })),
    );
    const deliveries = await Promise.all(events.map((e) => finalDelivery(e.event_id)));
    for (const delivery of deliveries) {
      expect(delivery).toMatchObject({
        status: "failed",
        attemptCount: 3,
        lastStatusCode: 503,
        nextAttemptAt: null,
      });
      expect(await countAttempts({ deliveryId: delivery.id })).toBe(3);
    }
    expect(r.requests).toHaveLength(9);
    const ops = await db().prisma.operationalEvent.findMany({
      where: { endpointId: endpoint.id },
      orderBy: { createdAt: "asc" },
    });
    expect(ops.filter((o) => o.type === "delivery.exhausted")).toHaveLength(3);
    // HOOKLINE_FAILING_ALERT_AFTER=3: three deliveries failing in a row (nine failed attempts) alert once.
    expect(ops.filter((o) => o.type === "endpoint.failing")).toHaveLength(1);
    const after = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(after.consecutiveFailures).toBe(3);
    expect(after.failingSince).not.toBeNull();
    expect(after.isActive).toBe(true);
  });

  it("410 Gone disables the endpoint at once and cancels its waiting deliveries", async () => {
    const r = await receiver((_req, res) => {
      res.statusCode = 410;
      res.end("gone");
    });
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: r.url, rateLimit: 1 });
    const first = await triggerEvent(app, { event_name: "a.b", payload: {} });
    const delivery = await finalDelivery(first.event_id);
    expect(delivery.status).toBe("failed");
    expect(delivery.attemptCount).toBe(1);
    expect(delivery.lastError).toMatch(/410/);
    const disabled = await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(disabled.isActive).toBe(false);
    expect(disabled.disabledReason).toMatch(/410 Gone/);
    expect(disabled.disabledAt).not.toBeNull();
    const ops = await db().prisma.operationalEvent.findMany({ where: { endpointId: endpoint.id } });
    expect(ops.map((o) => o.type)).toEqual(["endpoint.disabled"]);
    expect(
      await db().prisma.auditLog.count({
        where: { targetId: endpoint.id, action: "endpoint.disabled", actor: "system" },
      }),
    ).toBe(1);
    // A disabled endpoint gets no new deliveries.
    const second = await triggerEvent(app, { event_name: "a.b", payload: {} });
    await eventually(
      async () =>
        (await db().prisma.eventFanOut.count({ where: { eventId: second.event_id } })) === 0
          ? true
          : undefined,
      10_000,
      "the fan-out",
    );
    expect(await db().prisma.delivery.count({ where: { eventId: second.event_id } })).toBe(0);
    expect(r.requests).toHaveLength(1);
  });

  it("410 while other deliveries wait: they end cancelled with the reason", async () => {
    // The first event's delivery fails once, then meets 410 on its retry; the others are told to
    // come back in a minute (429, Retry-After), so they are certainly waiting at the 410.
    let firstId: string | undefined;
    const r = await receiver((req, res) => {
      const id = req.headers["webhook-id"] ?? "";
      firstId ??= id;
      if (id === firstId) {
        res.statusCode = r.countsById().get(id)! > 1 ? 410 : 500;
      } else {
        res.statusCode = 429;
        res.setHeader("retry-after", "60");
      }
      res.end();
    });
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: r.url, maxRetries: 5 });
    const first = await triggerEvent(app, { event_name: "a.b", payload: { i: 0 } });
    await r.waitFor(1);
    for (let i = 1; i < 3; i++) await triggerEvent(app, { event_name: "a.b", payload: { i } });
    const rows = await eventually(async () => {
      const rows = await db().prisma.delivery.findMany({ where: { endpointId: endpoint.id } });
      return rows.length === 3 &&
        rows.every((d) => d.status === "failed" || d.status === "cancelled")
        ? rows
        : undefined;
    });
    const failed = rows.filter((d) => d.status === "failed");
    expect(failed.map((d) => [d.eventId, d.lastStatusCode])).toEqual([[first.event_id, 410]]);
    const cancelled = rows.filter((d) => d.status === "cancelled");
    expect(cancelled).toHaveLength(2);
    for (const d of cancelled) expect(d.lastError).toMatch(/Endpoint disabled: .*410/);
    expect(
      (await db().prisma.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).isActive,
    ).toBe(false);
  });

  it("429 with Retry-After postpones the next attempt beyond the schedule", async () => {
    const r = await receiver((_req, res, i) => {
      if (i === 0) {
        res.statusCode = 429;
        res.setHeader("retry-after", "3");
      }
      res.end();
    });
    const app = await createTestApp();
    await createTestEndpoint(app, { url: r.url });
    const event = await triggerEvent(app, { event_name: "x", payload: {} });
    const delivery = await finalDelivery(event.event_id);
    expect(delivery.status).toBe("success");
    expect(r.requests).toHaveLength(2);
    // Not before the receiver's 3 s, although the schedule alone would retry after 1 s (a lower
    // bound only: a busy machine makes the gap longer, never shorter).
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(2_900);
  });
});
