/**
 * The Svix message and attempt translation (lib/svix/messages.ts, attempts.ts,
 * background-tasks.ts) over the real database and a real receiver, without HTTP: `eventId`
 * stays unique while the message is kept (also inside one group-commit batch), lists filter like Svix's, attempts
 * and per-endpoint statuses come from Hookline's deliveries, replays become background tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startReceiver, type Receiver } from "../helpers/receiver";
import type { App } from "@/generated/prisma/client";
import { ApiError } from "@/lib/http/errors";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";
import {
  createSvixMessage,
  expungeSvixMessageContent,
  getSvixMessage,
  listSvixMessages,
  svixMessageIn,
  type SvixMessageOut,
} from "@/lib/svix/messages";
import {
  getSvixAttempt,
  listAttemptedDestinations,
  listAttemptedMessages,
  listAttemptsByEndpoint,
  listAttemptsByMsg,
  resendSvixMessage,
} from "@/lib/svix/attempts";
import {
  bulkReplay,
  getBackgroundTask,
  listBackgroundTasks,
  replayMissing,
} from "@/lib/svix/background-tasks";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const page = { limit: 50 };

async function rejects(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

describe("messages", () => {
  let app: App;
  beforeAll(async () => {
    app = await createTestApp();
  });

  it("creates a message with eventId, channels and tags, and finds it by id and by eventId", async () => {
    const msg = await createSvixMessage(app, {
      eventType: "invoice.paid",
      payload: { amount: 5 },
      eventId: "evt-1.a_b",
      channels: ["project_1"],
      tags: ["t/1"],
    });
    expect(msg).toMatchObject({
      eventType: "invoice.paid",
      eventId: "evt-1.a_b",
      payload: { amount: 5 },
      channels: ["project_1"],
      tags: ["t/1"],
    });
    expect(msg.id).toMatch(/^msg_/);
    expect(await getSvixMessage(app, msg.id)).toEqual(msg);
    expect(await getSvixMessage(app, "evt-1.a_b")).toEqual(msg);
    expect((await getSvixMessage(app, msg.id, false)).payload).toEqual({});
    const other = await createTestApp();
    expect((await rejects(getSvixMessage(other, msg.id))).status).toBe(404);
  });

  it("refuses a repeated eventId with 409, also within one group-commit batch", async () => {
    await createSvixMessage(app, { eventType: "a", payload: {}, eventId: "dup" });
    const err = await rejects(
      createSvixMessage(app, { eventType: "a", payload: {}, eventId: "dup" }),
    );
    expect(err.status).toBe(409);
    // Concurrent creates share a group-commit batch: exactly one wins.
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        createSvixMessage(app, { eventType: "a", payload: {}, eventId: "race" }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().prisma.event.count({ where: { appId: app.id, uid: "race" } })).toBe(1);
    // The same eventId in another app is another message.
    const other = await createTestApp();
    await expect(
      createSvixMessage(other, { eventType: "a", payload: {}, eventId: "dup" }),
    ).resolves.toMatchObject({ eventId: "dup" });
  });

  it("lists newest first with channel, tag, event type and time filters, page by page", async () => {
    const fresh = await createTestApp();
    const made: SvixMessageOut[] = [];
    for (let i = 0; i < 5; i++)
      made.push(
        await createSvixMessage(fresh, {
          eventType: i % 2 ? "odd" : "even",
          payload: { i },
          channels: i < 2 ? ["low"] : undefined,
          tags: i === 4 ? ["last"] : undefined,
        }),
      );
    const all = await listSvixMessages(fresh, page);
    expect(all.data.map((m) => m.payload.i)).toEqual([4, 3, 2, 1, 0]);
    expect(all.done).toBe(true);
    const first = await listSvixMessages(fresh, { limit: 2 });
    expect(first.data.map((m) => m.payload.i)).toEqual([4, 3]);
    expect(first.done).toBe(false);
    const second = await listSvixMessages(fresh, { limit: 2, iterator: first.iterator });
    expect(second.data.map((m) => m.payload.i)).toEqual([2, 1]);
    const back = await listSvixMessages(fresh, { limit: 2, iterator: second.prevIterator });
    expect(back.data.map((m) => m.payload.i)).toEqual([4, 3]);
    expect(
      (await listSvixMessages(fresh, { ...page, channel: "low" })).data.map((m) => m.payload.i),
    ).toEqual([1, 0]);
    expect((await listSvixMessages(fresh, { ...page, tag: "last" })).data).toHaveLength(1);
    expect(
      (await listSvixMessages(fresh, { ...page, event_types: ["odd"] })).data.map(
        (m) => m.payload.i,
      ),
    ).toEqual([3, 1]);
    const after = await listSvixMessages(fresh, { ...page, after: made[2]!.timestamp });
    expect(after.data.every((m) => m.timestamp > made[2]!.timestamp)).toBe(true);
    expect(
      (await listSvixMessages(fresh, { ...page, with_content: false })).data[0]!.payload,
    ).toEqual({});
  });

  it("expunges a message's content: the payload answers {} and the message stays", async () => {
    const msg = await createSvixMessage(app, { eventType: "secret", payload: { card: "4242" } });
    await expungeSvixMessageContent(app, msg.id);
    expect(await getSvixMessage(app, msg.id)).toMatchObject({ id: msg.id, payload: {} });
    const row = await db().prisma.event.findUniqueOrThrow({ where: { id: msg.id } });
    expect(row.payload).toBeNull();
    expect(row.payloadExpiredAt).not.toBeNull();
  });

  it("validates MessageIn the Svix way", () => {
    expect(svixMessageIn.safeParse({ eventType: "a b", payload: {} }).success).toBe(false);
    expect(svixMessageIn.safeParse({ eventType: "a", payload: [] }).success).toBe(false);
    expect(
      svixMessageIn.safeParse({ eventType: "a", payload: {}, channels: ["x", "x"] }).success,
    ).toBe(false);
    expect(
      svixMessageIn.safeParse({ eventType: "a", payload: {}, deliverAt: "2030-01-01T00:00:00Z" })
        .success,
    ).toBe(false);
    expect(
      svixMessageIn.safeParse({ eventType: "user-signup.v2", payload: {}, eventId: null }).success,
    ).toBe(true);
  });
});

describe("attempts, destinations and replays", () => {
  let receiver: Receiver;
  let driver: EmbeddedDriver;
  beforeAll(async () => {
    receiver = await startReceiver((req, res) => {
      res.statusCode = req.body.includes('"fail":true') ? 500 : 200;
      res.end(res.statusCode === 200 ? "thanks" : "nope");
    });
    driver = startEmbeddedDriver({ pollIntervalMs: 100, replays: { pollIntervalMs: 100 } });
    setJobDriver(driver);
  });
  afterAll(async () => {
    setJobDriver(undefined);
    await driver.stop();
    await receiver.close();
  });

  it("answers attempts with Svix statuses, by endpoint and by message, and resends", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url, maxRetries: 0 });
    const ok = await createSvixMessage(app, { eventType: "a", payload: { fail: false } });
    const bad = await createSvixMessage(app, {
      eventType: "b",
      payload: { fail: true },
      channels: ["c1"],
    });
    await eventually(
      async () => (await countAttempts({ appId: app.id })) === 2 || undefined,
      15_000,
      "two attempts",
    );
    const byEndpoint = await listAttemptsByEndpoint(app, endpoint, page);
    expect(byEndpoint.data).toHaveLength(2);
    const okAttempt = byEndpoint.data.find((a) => a.msgId === ok.id)!;
    expect(okAttempt).toMatchObject({
      endpointId: endpoint.id,
      status: 0,
      statusText: "success",
      responseStatusCode: 200,
      response: "thanks",
      triggerType: 0,
      url: receiver.url,
    });
    const badAttempts = await listAttemptsByMsg(app, bad.id, page);
    expect(badAttempts.data).toEqual([
      expect.objectContaining({ status: 2, statusText: "fail", responseStatusCode: 500 }),
    ]);
    expect((await listAttemptsByEndpoint(app, endpoint, { ...page, status: 2 })).data).toHaveLength(
      1,
    );
    expect((await listAttemptsByEndpoint(app, endpoint, { ...page, status: 1 })).data).toHaveLength(
      0,
    );
    expect(
      (await listAttemptsByEndpoint(app, endpoint, { ...page, status_code_class: 500 })).data,
    ).toHaveLength(1);
    expect(
      (await listAttemptsByEndpoint(app, endpoint, { ...page, channel: "c1" })).data.map(
        (a) => a.msgId,
      ),
    ).toEqual([bad.id]);
    const withMsg = await listAttemptsByEndpoint(app, endpoint, { ...page, with_msg: true });
    expect(withMsg.data.find((a) => a.msgId === ok.id)!.msg).toMatchObject({ id: ok.id });
    expect(await getSvixAttempt(app, ok.id, okAttempt.id)).toEqual(okAttempt);
    expect((await rejects(getSvixAttempt(app, bad.id, okAttempt.id))).status).toBe(404);

    const destinations = await listAttemptedDestinations(app, bad.id, page);
    expect(destinations.data).toEqual([
      expect.objectContaining({
        id: endpoint.id,
        url: receiver.url,
        status: 2,
        statusText: "fail",
      }),
    ]);
    const messages = await listAttemptedMessages(app, endpoint, page);
    expect(messages.data.map((m) => [m.id, m.status])).toEqual([
      [bad.id, 2],
      [ok.id, 0],
    ]);
    expect((await listAttemptedMessages(app, endpoint, { ...page, status: 0 })).data).toHaveLength(
      1,
    );

    receiver.setHandler((_req, res) => void res.end("fixed"));
    await resendSvixMessage(app, bad.id, endpoint);
    const resent = await eventually(async () => {
      const list = await listAttemptsByMsg(app, bad.id, page);
      return list.data.length === 2 ? list : undefined;
    });
    expect(resent.data[0]).toMatchObject({ status: 0, triggerType: 1, response: "fixed" });
  });

  it("replay-missing and bulk-replay answer background tasks that finish", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: receiver.url, maxRetries: 0 });
    receiver.setHandler((_req, res) => {
      res.statusCode = 500;
      res.end();
    });
    const since = new Date(Date.now() - 60_000);
    const msg = await createSvixMessage(app, { eventType: "a", payload: {} });
    await eventually(async () => {
      const d = await db().prisma.delivery.findFirst({ where: { eventId: msg.id } });
      return d?.status === "failed" || undefined;
    });
    receiver.setHandler((_req, res) => void res.end("ok"));
    const task = await replayMissing(app, endpoint, { since }, "test");
    expect(task).toMatchObject({ status: "running", task: "endpoint.replay" });
    const finished = await eventually(async () => {
      const t = await getBackgroundTask(null, task.id);
      return t.status === "finished" ? t : undefined;
    });
    expect(finished.data).toMatchObject({ endpointId: endpoint.id, replayed: 1 });
    const bulk = await bulkReplay(app, endpoint, { since, eventTypes: ["a"] }, "test");
    expect(bulk.task).toBe("endpoint.bulk-replay");
    await eventually(async () =>
      (await getBackgroundTask(null, bulk.id)).status === "finished" ? true : undefined,
    );
    const listed = await listBackgroundTasks([app.id], page);
    expect(listed.data.map((t) => t.id)).toEqual([bulk.id, task.id]);
    expect(
      (await listBackgroundTasks([app.id], { ...page, task: "endpoint.bulk-replay" })).data,
    ).toHaveLength(1);
    expect((await listBackgroundTasks([app.id], { ...page, task: "sdk.generate" })).data).toEqual(
      [],
    );
    expect((await rejects(getBackgroundTask(["app_other"], task.id))).status).toBe(404);
    const err = await rejects(replayMissing(app, endpoint, { since, until: since }, "test"));
    expect(err.status).toBe(422);
  });
});
