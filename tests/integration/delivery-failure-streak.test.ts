/**
 * An endpoint's failure streak counts deliveries, each once, whatever order their attempts'
 * outcomes are written in. Workers write outcomes in the order requests end, not the order they
 * started: a delivery attempted first may be recorded after another's failure began the streak,
 * and its next failure must not count it again.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { attemptResult, createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import { withTransaction } from "@/lib/delivery/sql";
import { claimDelivery } from "@/lib/delivery/claim-deliveries";
import { insertPendingDeliveries } from "@/lib/delivery/enqueue-deliveries";
import { recordAttemptOutcome } from "@/lib/delivery/record-attempt";
import { newId } from "@/lib/ids";

const db = useTestDatabase({ HOOKLINE_RETRY_SCHEDULE: "1" });

const failed = attemptResult(false, { status: 503 });

async function claim(deliveryId: string) {
  const claimed = await claimDelivery(deliveryId, "worker-1", { onlyIfDue: false });
  if (!claimed.claimed)
    throw new Error(`could not claim ${deliveryId}: ${JSON.stringify(claimed)}`);
  return claimed;
}

async function failAt(deliveryId: string, attemptedAt: Date) {
  const transition = await recordAttemptOutcome(await claim(deliveryId), {
    attemptedAt,
    requestHeaders: {},
    result: failed,
  });
  expect(transition).toMatchObject({ recorded: true, status: "retrying" });
}

describe("failure streaks", () => {
  it("count a delivery once when its first failure is recorded after a later one began the streak", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, {
      url: "http://127.0.0.1:9/",
      maxRetries: 5,
    });
    const eventId = newId("msg");
    await db().pool.query(
      "INSERT INTO events (id, app_id, name, payload) VALUES ($1, $2, 'order.paid', '{}')",
      [eventId, app.id],
    );
    const [early, late] = await withTransaction((c) =>
      insertPendingDeliveries(c, {
        appId: app.id,
        eventId,
        eventName: "order.paid",
        endpointIds: [endpoint.id, endpoint.id],
        createdAt: new Date(),
      }),
    );
    const t = Date.now();
    // `late` was attempted second but is recorded first; then `early`, attempted a second before.
    await failAt(late!, new Date(t));
    await failAt(early!, new Date(t - 1_000));
    const streak = () =>
      db().prisma.endpoint.findUniqueOrThrow({
        where: { id: endpoint.id },
        select: { consecutiveFailures: true, failingSince: true },
      });
    expect(await streak()).toEqual({ consecutiveFailures: 2, failingSince: new Date(t - 1_000) });
    // Their retries fail too: the same two deliveries, still two in a row.
    await failAt(early!, new Date(t + 1_000));
    await failAt(late!, new Date(t + 2_000));
    expect(await streak()).toEqual({ consecutiveFailures: 2, failingSince: new Date(t - 1_000) });
  });
});
