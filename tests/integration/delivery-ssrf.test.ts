/**
 * SSRF: without HOOKLINE_ALLOW_PRIVATE_TARGETS, deliveries to loopback, private, link-local and
 * metadata addresses are refused — checked on the resolved address, so a hostname that resolves
 * to 127.0.0.1 is refused too — and nothing reaches the receiver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import { sendTestEvent } from "@/lib/delivery/send-test-event";
import { triggerEvent } from "@/lib/events/trigger-event";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { eventually } from "../helpers/delivery-fixtures";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "false",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe("SSRF protection", () => {
  it.each([
    ["loopback IPv4", (port: number) => `http://127.0.0.1:${port}/hook`],
    ["private 10.x", () => "http://10.1.2.3/hook"],
    ["metadata", () => "http://169.254.169.254/latest/meta-data/"],
    ["loopback IPv6", (port: number) => `http://[::1]:${port}/hook`],
    ["IPv4-mapped IPv6 loopback", (port: number) => `http://[::ffff:127.0.0.1]:${port}/hook`],
    ["a hostname resolving to 127.0.0.1", (port: number) => `http://localhost:${port}/hook`],
  ])("refuses %s", async (_name, url) => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, {
      url: url(receiver.port),
      timeoutSeconds: 2,
    });
    const result = await sendTestEvent({
      app,
      endpoint,
      eventName: "ssrf.check",
      payload: {},
      actor: "test",
    });
    expect(result.success).toBe(false);
    expect(result.status_code).toBeNull();
    expect(result.error).toMatch(/not allowed/);
    const attempt = await findFirstAttemptOrThrow({ deliveryId: result.delivery_id });
    expect(attempt.error).toMatch(/not allowed/);
    expect(receiver.requests).toHaveLength(0);
  });

  it("the scheduled path refuses too: the delivery retries and fails without a request", async () => {
    const driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: false });
    try {
      const app = await createTestApp();
      await createTestEndpoint(app, {
        url: `http://localhost:${receiver.port}/hook`,
        maxRetries: 1,
      });
      const event = await triggerEvent(app, { event_name: "a", payload: {} });
      const delivery = await eventually(async () => {
        const d = await db().prisma.delivery.findFirst({ where: { eventId: event.event_id } });
        return d?.status === "failed" ? d : undefined;
      });
      expect(delivery.attemptCount).toBe(2);
      expect(delivery.lastError).toMatch(/not allowed/);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await driver.stop();
    }
  });
});
