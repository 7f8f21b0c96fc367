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

/**
 * A receiver that holds every request until `release()` and records how many were open at
 * once: while held, the endpoint's slots are all that can be open, whatever the machine's speed.
 */
async function gatedReceiver() {
  let open = 0;
  const seen = { maxOpen: 0 };
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const r = await startReceiver(async (_req, res) => {
    open++;
    seen.maxOpen = Math.max(seen.maxOpen, open);
    await released;
    open--;
    res.end("ok");
  });
  receivers.push(r);
  return Object.assign(r, { seen, release });
}

async function settled(appIds: string[]) {
  await eventually(
    async () => {
      const open = await db().prisma.delivery.count({
        where: { appId: { in: appIds }, status: { in: ["pending", "retrying"] } },
      });
      return open === 0 ? true : undefined;
    },
    20_000,
    "every delivery settled",
  );
}

describe("endpoint slots", () => {
  it("keep each endpoint at its concurrency while another endpoint is served alongside", async () => {
    const busy = await gatedReceiver();
    const other = await startReceiver();
    receivers.push(other);
    const busyApp = await createTestApp();
    // A long timeout: the held requests must not time out on a slow machine.
    await createTestEndpoint(busyApp, { url: busy.url, timeoutSeconds: 30 });
    const otherApp = await createTestApp();
    await createTestEndpoint(otherApp, { url: other.url });

    for (let i = 0; i < 24; i++)
      await triggerEvent(busyApp, { event_name: "order.paid", payload: { i } });
    // Triggered after the busy endpoint's whole backlog, and delivered while that backlog is
    // held at the busy endpoint's slots.
    const otherEvent = await triggerEvent(otherApp, { event_name: "order.paid", payload: {} });
    await other.waitFor(1, 10_000);
    await busy.waitFor(ENDPOINT_CONCURRENCY, 10_000);
    expect(busy.requests.length).toBe(ENDPOINT_CONCURRENCY);
    expect(busy.seen.maxOpen).toBe(ENDPOINT_CONCURRENCY);

    busy.release();
    await busy.waitFor(24, 20_000);
    await settled([busyApp.id, otherApp.id]);
    expect(busy.seen.maxOpen).toBe(ENDPOINT_CONCURRENCY);
    expect(busy.requests).toHaveLength(24);
    expect(
      await db().prisma.delivery.count({ where: { appId: busyApp.id, status: "success" } }),
    ).toBe(24);
    expect(
      await db().prisma.delivery.findFirstOrThrow({ where: { eventId: otherEvent.event_id } }),
    ).toMatchObject({ status: "success" });
  });
});
