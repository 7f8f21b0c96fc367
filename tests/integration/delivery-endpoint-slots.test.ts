/**
 * Per-endpoint concurrency in the embedded driver: an endpoint never has more than
 * `endpointConcurrency` requests open at once, although the worker claims a little ahead of
 * that, and a busy endpoint's backlog does not hold up another endpoint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

const ENDPOINT_CONCURRENCY = 3;
let driver: EmbeddedDriver;
const receivers: Receiver[] = [];

beforeAll(() => {
  driver = startEmbeddedDriver({
    pollIntervalMs: 200,
    concurrency: 16,
    endpointConcurrency: ENDPOINT_CONCURRENCY,
    shutdownGraceMs: 2_000,
    replays: false,
  });
});
afterAll(async () => {
  await driver?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

/** A receiver that holds each request `holdMs` and records how many were open at once. */
async function slowReceiver(holdMs: number) {
  let open = 0;
  const seen = { maxOpen: 0 };
  const r = await startReceiver(async (_req, res) => {
    open++;
    seen.maxOpen = Math.max(seen.maxOpen, open);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    open--;
    res.end("ok");
  });
  receivers.push(r);
  return Object.assign(r, { seen });
}

describe("endpoint slots", () => {
  it("keep each endpoint at its concurrency while another endpoint is served alongside", async () => {
    const busy = await slowReceiver(150);
    const other = await slowReceiver(10);
    const busyApp = await createTestApp();
    await createTestEndpoint(busyApp, { url: busy.url });
    const otherApp = await createTestApp();
    await createTestEndpoint(otherApp, { url: other.url });

    for (let i = 0; i < 24; i++)
      await triggerEvent(busyApp, { event_name: "order.paid", payload: { i } });
    // Triggered after the busy endpoint's whole backlog, yet delivered long before it drains.
    const otherEvent = await triggerEvent(otherApp, { event_name: "order.paid", payload: {} });
    await other.waitFor(1, 10_000);
    expect(busy.requests.length).toBeLessThan(24);

    await busy.waitFor(24, 20_000);
    expect(busy.seen.maxOpen).toBe(ENDPOINT_CONCURRENCY);
    expect(other.seen.maxOpen).toBe(1);
    const done = await eventually(
      async () => {
        const n = await db().prisma.delivery.count({
          where: { appId: busyApp.id, status: "success" },
        });
        return n === 24 ? n : undefined;
      },
      10_000,
      "all deliveries recorded",
    );
    expect(done).toBe(24);
    expect(
      await db().prisma.delivery.findFirstOrThrow({ where: { eventId: otherEvent.event_id } }),
    ).toMatchObject({ status: "success" });
  });
});
