/**
 * With HOOKLINE_JOBS=inngest the trigger (after commit) and manual attempts send their Inngest
 * events; when Inngest cannot be reached the rows are still committed and the trigger answers.
 * A local HTTP server stands in for Inngest's event API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";
import { setJobDriver } from "@/lib/jobs/job-driver";

// The Inngest client reads its environment when it is created: these modules are imported
// only after the fake event API is listening.
let triggerEvent: typeof import("@/lib/events/trigger-event").triggerEvent;
let scheduleManualAttempt: typeof import("@/lib/delivery/schedule-manual-attempts").scheduleManualAttempt;
let inngestApi: Receiver;
const db = useTestDatabase({
  HOOKLINE_JOBS: "inngest",
  INNGEST_EVENT_KEY: "test-key",
  INNGEST_DEV: "0",
});

beforeAll(async () => {
  inngestApi = await startReceiver((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ids: ["01"], status: 200 }));
  });
  process.env.INNGEST_BASE_URL = `http://127.0.0.1:${inngestApi.port}`;
  process.env.INNGEST_EVENT_API_BASE_URL = `http://127.0.0.1:${inngestApi.port}`;
  ({ triggerEvent } = await import("@/lib/events/trigger-event"));
  ({ scheduleManualAttempt } = await import("@/lib/delivery/schedule-manual-attempts"));
  // What start-up does with HOOKLINE_JOBS=inngest.
  const { createInngestDriver } = await import("@/lib/jobs/inngest-driver");
  setJobDriver(createInngestDriver());
});
afterAll(async () => {
  setJobDriver(undefined);
  await inngestApi?.close();
});

describe("trigger with the Inngest driver", () => {
  it("sends webhook/event.triggered after the event is committed", async () => {
    const app = await createTestApp();
    await createTestEndpoint(app, { url: "https://a.example/hook" });
    const result = await triggerEvent(app, { event_name: "order.created", payload: { n: 1 } });
    expect(inngestApi.requests).toHaveLength(1);
    expect(await db().prisma.eventFanOut.count({ where: { eventId: result.event_id } })).toBe(1);
    const sent = JSON.parse(inngestApi.requests[0]!.body) as {
      name: string;
      data: unknown;
      id: string;
    }[];
    const events = Array.isArray(sent) ? sent : [sent];
    expect(events[0]).toMatchObject({
      name: "webhook/event.triggered",
      data: { event_id: result.event_id, app_id: app.id },
      id: `trigger-${result.event_id}`,
    });
    expect(inngestApi.requests[0]!.path).toContain("test-key");
  });

  it("a manual attempt sends webhook/delivery.scheduled for the delivery", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: "https://a.example/hook" });
    await triggerEvent(app, { event_name: "a", payload: {} });
    await fanOutNow();
    const delivery = await db().prisma.delivery.findFirstOrThrow({ where: { appId: app.id } });
    await db().pool.query(
      "UPDATE deliveries SET status = 'failed', next_attempt_at = NULL, completed_at = now() WHERE id = $1",
      [delivery.id],
    );
    await db().pool.query("DELETE FROM delivery_queue WHERE delivery_id = $1", [delivery.id]);
    inngestApi.requests.length = 0;
    expect(await scheduleManualAttempt(delivery.id, "replay")).toEqual({ scheduled: true });
    const body = JSON.parse(inngestApi.requests[0]!.body) as { name: string; data: unknown }[];
    expect(body[0]).toMatchObject({
      name: "webhook/delivery.scheduled",
      data: { delivery_id: delivery.id, endpoint_id: endpoint.id },
    });
    const after = await db().prisma.delivery.findUniqueOrThrow({ where: { id: delivery.id } });
    expect(after).toMatchObject({
      status: "pending",
      nextAttemptTrigger: "replay",
      completedAt: null,
    });
  });

  it(
    "when Inngest is unreachable the trigger still answers and its rows stay committed",
    { timeout: 30_000 },
    async () => {
      await inngestApi.close();
      const app = await createTestApp();
      await createTestEndpoint(app, { url: "https://a.example/hook" });
      const result = await triggerEvent(app, { event_name: "a", payload: {} });
      expect(result).toMatchObject({ duplicate: false });
      expect(await db().prisma.eventFanOut.count({ where: { eventId: result.event_id } })).toBe(1);
      expect(await fanOutNow()).toBe(1);
      expect(
        await db().prisma.delivery.count({
          where: { eventId: result.event_id, status: "pending" },
        }),
      ).toBe(1);
    },
  );
});
