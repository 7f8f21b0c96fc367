/**
 * FIFO endpoints under the Inngest driver (in-process with @inngest/test): a delivery behind
 * another is refused by the attempt step and tried again after a sleep, and the head's run,
 * once final, starts the run of the next in line.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InngestTestEngine } from "@inngest/test";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  createTestApp,
  createTestEndpoint,
  fanOutNow,
  deliveriesWithEvents,
} from "../helpers/delivery-fixtures";
import { deliverWebhook } from "@/inngest/functions/deliver";
import { claimDelivery } from "@/lib/delivery/claim-deliveries";
import { triggerEvent } from "@/lib/events/trigger-event";
import { BLOCKED_WAIT_SECONDS } from "@/lib/jobs/inngest-steps";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

type SentEvents = {
  mock: { calls: [string, { id: string; data: { delivery_id: string; endpoint_id: string } }][] };
};

describe("Inngest delivery function, FIFO endpoint", () => {
  it(
    "refuses the second delivery while the first is waiting, retries it after a sleep, and the first's run starts the next",
    { timeout: 30_000 },
    async () => {
      const app = await createTestApp();
      const { endpoint } = await createTestEndpoint(app, { url: receiver.url });
      await db().prisma.endpoint.update({ where: { id: endpoint.id }, data: { ordering: "fifo" } });
      await triggerEvent(app, { event_name: "a", payload: { n: 0 } });
      await triggerEvent(app, { event_name: "a", payload: { n: 1 } });
      await fanOutNow();
      const rows = await deliveriesWithEvents(app.id);
      const [first, second] = rows.sort(
        (a, b) => (a.event.payload as { n: number }).n - (b.event.payload as { n: number }).n,
      );

      // By id, the second is refused while the first waits (even though it is due).
      expect(await claimDelivery(second!.id, "probe", { onlyIfDue: true })).toEqual({
        claimed: false,
        reason: "blocked",
        aheadId: first!.id,
      });

      // The second's run: attempt-1 is refused; during its sleep the first is delivered by its own run.
      let firstRun: Awaited<ReturnType<InngestTestEngine["execute"]>> | undefined;
      const secondRun = await new InngestTestEngine({ function: deliverWebhook }).execute({
        events: [
          {
            name: "webhook/delivery.scheduled",
            data: { delivery_id: second!.id, endpoint_id: endpoint.id },
          },
        ],
        steps: [
          {
            id: "backoff-1",
            handler: async () => {
              firstRun = await new InngestTestEngine({ function: deliverWebhook }).execute({
                events: [
                  {
                    name: "webhook/delivery.scheduled",
                    data: { delivery_id: first!.id, endpoint_id: endpoint.id },
                  },
                ],
                steps: [{ id: "start-next-in-line", handler: () => ({ ids: [] }) }],
              });
            },
          },
        ],
      });
      expect(secondRun.ctx.step.sleep).toHaveBeenCalledWith(
        "backoff-1",
        `${BLOCKED_WAIT_SECONDS}s`,
      );
      expect(secondRun.result).toEqual({ delivery_id: second!.id, status: "success", steps: 2 });
      expect(firstRun?.result).toEqual({ delivery_id: first!.id, status: "success", steps: 1 });
      const sent = (firstRun!.ctx.step.sendEvent as unknown as SentEvents).mock.calls;
      expect(sent.map(([id, event]) => [id, event.data.delivery_id])).toEqual([
        ["start-next-in-line", second!.id],
      ]);

      expect(receiver.requests.map((r) => r.headers["webhook-id"])).toEqual([
        first!.id,
        second!.id,
      ]);
    },
  );
});
