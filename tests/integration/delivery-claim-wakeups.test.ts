/**
 * What wakes the claim loop. A finished attempt claims again only while a claim could find rows
 * that no announcement brings (lib/jobs/claim-gate.ts); everything else reaches the loop by
 * announcement, retry timers and the poll. Here the poll is 30 s, so work that waited for it would
 * show as a 30 s gap at the receiver: a backlog must drain by claims alone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

const POLL_MS = 30_000;
/** Longer than any pause a loaded machine makes between two deliveries, far shorter than the poll. */
const STALL_MS = POLL_MS / 3;
let driver: EmbeddedDriver;
const receivers: Receiver[] = [];

beforeAll(async () => {
  driver = startEmbeddedDriver({
    pollIntervalMs: POLL_MS,
    concurrency: 8,
    endpointConcurrency: 8,
    batchSize: 50,
    shutdownGraceMs: 2_000,
    replays: false,
  });
  // Without the notification channel the loop polls every 500 ms, which would hide a stall.
  await eventually(
    async () => (driver.status().details?.listening === true ? true : undefined),
    20_000,
    "the driver listening for announcements",
  );
});
afterAll(async () => {
  await driver?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A receiver that holds every request until `release()`, then answers at once. */
async function heldReceiver() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const r = await startReceiver(async (_req, res) => {
    await released;
    res.end("ok");
  });
  receivers.push(r);
  return Object.assign(r, { release });
}

async function triggerMany(app: Awaited<ReturnType<typeof createTestApp>>, count: number) {
  for (let i = 0; i < count; i++)
    await triggerEvent(app, { event_name: "order.paid", payload: { i } });
}

/** Each delivery of the app reached the receiver once (a native delivery's webhook-id is its id). */
async function expectEachDeliveredOnce(appId: string, receiver: Receiver, count: number) {
  const deliveries = await db().prisma.delivery.findMany({
    where: { appId },
    select: { id: true },
  });
  expect(deliveries).toHaveLength(count);
  expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"]))).toEqual(
    new Set(deliveries.map((d) => d.id)),
  );
  expect(receiver.requests).toHaveLength(count);
}

describe("claim wake-ups", () => {
  it("drain a one-endpoint backlog built while every worker was busy, without waiting for the poll", async () => {
    const receiver = await heldReceiver();
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url, timeoutSeconds: 30 });
    // Every worker is held at the receiver while the backlog builds: fan-out can lease only a
    // little of it, and announces the rest while the loop is too busy to claim.
    await triggerMany(app, 8);
    await receiver.waitFor(8, 20_000);
    await triggerMany(app, 600);
    await eventually(
      async () =>
        (await db().prisma.delivery.count({ where: { appId: app.id } })) === 608 ? true : undefined,
      30_000,
      "every event fanned out",
    );
    receiver.release();
    await receiver.waitWhileArriving(608, STALL_MS);
    await expectEachDeliveredOnce(app.id, receiver, 608);
  });

  it("claim what fan-out could not lease, announced while every worker was busy", async () => {
    const receiver = await heldReceiver();
    const app = await createTestApp();
    const ENDPOINTS = 80;
    for (let i = 0; i < ENDPOINTS; i++)
      await createTestEndpoint(app, { url: `${receiver.url}/${i}`, timeoutSeconds: 30 });
    // The last claim found nothing (nothing was due), so only an announcement can say there is
    // more. Fan-out leases what fits in the worker (8 running + 50 queued) and announces the rest
    // while the loop is too busy to claim; once the receiver answers, the rest must follow.
    driver.wake();
    await triggerEvent(app, { event_name: "order.paid", payload: {} });
    await receiver.waitFor(8, 20_000);
    await eventually(
      async () =>
        (await db().prisma.delivery.count({ where: { appId: app.id } })) === ENDPOINTS
          ? true
          : undefined,
      30_000,
      "the event fanned out",
    );
    receiver.release();
    await receiver.waitWhileArriving(ENDPOINTS, STALL_MS);
    await expectEachDeliveredOnce(app.id, receiver, ENDPOINTS);
  });

  it("drain a backlog that arrives at an idle worker whose last claim found nothing", async () => {
    const receiver = await startReceiver();
    receivers.push(receiver);
    const app = await createTestApp();
    await createTestEndpoint(app, { url: receiver.url });
    // A claim that finds nothing closes the gate; the flood that follows must open it again.
    driver.wake();
    await triggerMany(app, 1_000);
    await receiver.waitWhileArriving(1_000, STALL_MS);
    await expectEachDeliveredOnce(app.id, receiver, 1_000);
  });
});
