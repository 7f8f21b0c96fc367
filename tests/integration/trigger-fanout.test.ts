/**
 * One event to 10,000 endpoints: the trigger fans out in one transaction and the embedded
 * workers deliver every one (the receiver counts distinct webhook-ids).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase, TEST_SECRET } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, eventually } from "../helpers/delivery-fixtures";
import { encryptSecret, generateSigningSecret } from "@/lib/crypto/secrets";
import { newId } from "@/lib/ids";
import { triggerEvent } from "@/lib/events/trigger-event";
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";

const ENDPOINTS = 10_000;
const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe("fan-out", () => {
  it(
    `delivers one event to ${ENDPOINTS.toLocaleString("en")} endpoints`,
    // Bounded by progress (no arrival for 30 s fails it), not by the machine's speed.
    { timeout: 900_000 },
    async () => {
      const app = await createTestApp();
      const ids = Array.from({ length: ENDPOINTS }, () => newId("ep"));
      // Raw inserts for speed; one secret (encrypted once) shared by all.
      const secret = encryptSecret(generateSigningSecret(), TEST_SECRET);
      await db().pool.query(
        `INSERT INTO endpoints (id, app_id, url, subscriptions, timeout_seconds, updated_at)
       SELECT id, $2, $3, ARRAY['order.*'], 10, now() FROM unnest($1::text[]) AS id`,
        [ids, app.id, receiver.url],
      );
      await db().pool.query(
        `INSERT INTO endpoint_secrets (id, endpoint_id, secret_encrypted) SELECT 'sec_' || id, id, $2 FROM unnest($1::text[]) AS id`,
        [ids, secret],
      );

      const event = await triggerEvent(app, { event_name: "order.shipped", payload: { order: 1 } });
      // Fan-out happens behind the answer: the event is queued, no delivery made yet.
      expect(await db().prisma.delivery.count({ where: { eventId: event.event_id } })).toBe(0);
      expect(await db().prisma.eventFanOut.count({ where: { eventId: event.event_id } })).toBe(1);

      const driver = startEmbeddedDriver({ pollIntervalMs: 200, replays: false });
      try {
        await receiver.waitWhileArriving(ENDPOINTS);
        expect(receiver.countsById().size).toBe(ENDPOINTS);
        await eventually(
          async () => {
            const { rows } = await db().pool.query<{ n: string }>(
              "SELECT count(*) AS n FROM deliveries WHERE event_id = $1 AND status = 'success'",
              [event.event_id],
            );
            return Number(rows[0]!.n) === ENDPOINTS ? true : undefined;
          },
          60_000,
          "every delivery to be success",
        );
      } finally {
        await driver.stop();
      }
      const { rows } = await db().pool.query<{ created: string; succeeded: string }>(
        "SELECT sum(created) AS created, sum(succeeded) AS succeeded FROM delivery_rollups_hourly WHERE app_id = $1",
        [app.id],
      );
      expect(Number(rows[0]!.created)).toBe(ENDPOINTS);
      expect(Number(rows[0]!.succeeded)).toBe(ENDPOINTS);
    },
  );
});
