/**
 * A receiver that redirects: through the whole delivery path (trigger, fan-out, the embedded
 * driver, the attempt, its record) the redirect is not followed, so it cannot carry a delivery to
 * an internal address. The receiver itself is on 127.0.0.1, so private targets are allowed here;
 * the internal service it points at is a second local receiver that must hear nothing, and the
 * cloud metadata address must not even be tried (an attempt there would end as a network error
 * or a timeout, not as a redirect).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

let driver: EmbeddedDriver;
let internal: Receiver;
const receivers: Receiver[] = [];
beforeAll(async () => {
  internal = await startReceiver();
  receivers.push(internal);
  driver = startEmbeddedDriver({ pollIntervalMs: 200, shutdownGraceMs: 2_000, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

describe("a redirecting receiver", () => {
  it.each([
    ["an internal service", 307, () => `http://127.0.0.1:${internal.port}/admin`],
    ["the metadata address", 302, () => "http://169.254.169.254/latest/meta-data/"],
  ])(
    "pointing at %s: the delivery fails as a redirect, nothing follows it",
    async (_name, code, target) => {
      const location = target();
      const redirecting = await startReceiver((_req, res) => {
        res.statusCode = code;
        res.setHeader("location", location);
        res.end();
      });
      receivers.push(redirecting);
      const app = await createTestApp();
      const { endpoint } = await createTestEndpoint(app, { url: redirecting.url, maxRetries: 0 });
      const event = await triggerEvent(app, { event_name: "order.paid", payload: {} });
      const delivery = await eventually(
        async () => {
          const d = await db().prisma.delivery.findFirst({ where: { eventId: event.event_id } });
          return d && d.status !== "pending" && d.status !== "retrying" ? d : undefined;
        },
        20_000,
        "the delivery to finish",
      );
      expect(delivery).toMatchObject({
        endpointId: endpoint.id,
        status: "failed",
        attemptCount: 1,
        lastStatusCode: code,
      });
      const attempt = await findFirstAttemptOrThrow({ deliveryId: delivery.id });
      expect(attempt.error).toBe(`redirect (${code}) to ${location} not followed`);
      expect(redirecting.requests).toHaveLength(1);
      expect(internal.requests).toHaveLength(0);
    },
  );
});
