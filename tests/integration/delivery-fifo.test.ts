/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Ordered (FIFO) delivery per endpoint: the API field, switching with deliveries queued, skip by
 * hand and its refusals (without workers), then order, one-at-a-time, a failing head holding
 * the line, and replays joining the back, through the embedded driver against real receivers.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "@/generated/prisma/client";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver, type ReceivedRequest } from "../helpers/receiver";
import { eventually, fanOutNow, deliveriesWithEvents } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { createApp } from "@/lib/apps/create-app";
import { claimDueDeliveries } from "@/lib/delivery/claim-deliveries";
import { createEventCache } from "@/lib/delivery/claimed-delivery";
import { scheduleManualAttempts } from "@/lib/delivery/schedule-manual-attempts";
import { triggerEvent } from "@/lib/events/trigger-event";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { exchangeTicket } from "@/lib/sessions/exchange-ticket";
import { sessionCookies } from "@/lib/sessions/portal-session";
import { createAccessTicket } from "@/lib/sessions/tickets";
import * as endpointsRoute from "@/app/api/v1/apps/[slug]/endpoints/route";
import * as endpointRoute from "@/app/api/v1/apps/[slug]/endpoints/[id]/route";
import * as skipRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/skip/route";
import * as deliveryRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/route";
import * as replayRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/replay/route";
import * as frontendSkipRoute from "@/app/api/frontend/webhook/deliveries/[id]/skip/route";

// Three quick retries, then a long one: a head that keeps failing waits 30 s after its 4th attempt.
const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1,1,1,30",
});

let key: string;
const receivers: Receiver[] = [];
beforeAll(async () => {
  key = (await createApiKey({ name: "fifo" }, "test")).key;
});
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
});

type Handler = Parameters<typeof callRoute>[0];
const call = (handler: Handler, method: string, params: Record<string, string>, body?: unknown) =>
  callRoute(handler, { method, path: "/api/v1/test", apiKey: key, params, body });

let appCount = 0;
async function newApp(): Promise<App> {
  return createApp(
    { slug: `fifo-${++appCount}-${Math.random().toString(36).slice(2, 6)}`, name: "FIFO" },
    "test",
  );
}

async function newEndpoint(app: App, body: Record<string, unknown>): Promise<any> {
  const res = await call(
    endpointsRoute.POST,
    "POST",
    { slug: app.slug },
    { timeout_seconds: 5, ...body },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function receiver(handler: Parameters<typeof startReceiver>[0]) {
  const r = await startReceiver(handler);
  receivers.push(r);
  return r;
}

/** Triggers events n = from … to-1 one after another (each accepted before the next is sent). */
async function triggerInOrder(app: App, from: number, to: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = from; n < to; n++)
    ids.push((await triggerEvent(app, { event_name: "order.updated", payload: { n } })).event_id);
  return ids;
}

const nOf = (r: ReceivedRequest): number => (JSON.parse(r.body) as { data: { n: number } }).data.n;

async function deliveriesByN(app: App) {
  const rows = await deliveriesWithEvents(app.id);
  return new Map(rows.map((d) => [(d.event.payload as { n: number }).n, d]));
}

async function queueSeqs(endpointId: string) {
  const rows = await db().pool.query<{ n: number; fifo_seq: string | null }>(
    `SELECT (ev.payload->>'n')::int AS n, q.fifo_seq FROM delivery_queue q JOIN deliveries d ON d.id = q.delivery_id JOIN events ev ON ev.id = d.event_id
     WHERE q.endpoint_id = $1 ORDER BY n`,
    [endpointId],
  );
  return rows.rows;
}

describe("the ordering field and skipping (no workers running)", () => {
  it("422 names `ordering` on create and update; reads carry ordering and blocked_by", async () => {
    const app = await newApp();
    const bad = await call(
      endpointsRoute.POST,
      "POST",
      { slug: app.slug },
      { url: "http://127.0.0.1:9/x", ordering: "lifo" },
    );
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields.map((f: any) => f.field)).toEqual(["ordering"]);
    expect(await db().prisma.endpoint.count({ where: { appId: app.id } })).toBe(0);

    const plain = await newEndpoint(app, { url: "http://127.0.0.1:9/x" });
    expect(plain).toMatchObject({ ordering: "concurrent", blocked_by: null });
    const badUpdate = await call(
      endpointRoute.PATCH,
      "PATCH",
      { slug: app.slug, id: plain.id },
      { ordering: 1 },
    );
    expect(badUpdate.status).toBe(422);
    expect(badUpdate.body.error.details.fields.map((f: any) => f.field)).toEqual(["ordering"]);
    const fifo = await call(
      endpointRoute.PATCH,
      "PATCH",
      { slug: app.slug, id: plain.id },
      { ordering: "fifo" },
    );
    expect(fifo.status).toBe(200);
    expect(fifo.body).toMatchObject({ ordering: "fifo", blocked_by: null });
    const read = await call(endpointRoute.GET, "GET", { slug: app.slug, id: plain.id });
    expect(read.body.ordering).toBe("fifo");
  });

  it("switching ordering numbers the queued deliveries in created order, and clears them", async () => {
    const app = await newApp();
    const endpoint = await newEndpoint(app, { url: "http://127.0.0.1:9/x" });
    await triggerInOrder(app, 0, 4);
    await fanOutNow();
    expect((await queueSeqs(endpoint.id)).map((r) => r.fifo_seq)).toEqual([null, null, null, null]);

    expect(
      (
        await call(
          endpointRoute.PATCH,
          "PATCH",
          { slug: app.slug, id: endpoint.id },
          { ordering: "fifo" },
        )
      ).status,
    ).toBe(200);
    const numbered = (await queueSeqs(endpoint.id)).map((r) => Number(r.fifo_seq));
    expect(numbered.every((s) => s > 0)).toBe(true);
    expect([...numbered].sort((a, b) => a - b)).toEqual(numbered);
    expect(new Set(numbered).size).toBe(4);

    // Events fanned out while FIFO take their acceptance number, after those already queued.
    await triggerInOrder(app, 4, 5);
    await fanOutNow();
    const after = (await queueSeqs(endpoint.id)).map((r) => Number(r.fifo_seq));
    expect(after[4]).toBeGreaterThan(after[3]!);

    expect(
      (
        await call(
          endpointRoute.PATCH,
          "PATCH",
          { slug: app.slug, id: endpoint.id },
          { ordering: "concurrent" },
        )
      ).status,
    ).toBe(200);
    expect((await queueSeqs(endpoint.id)).map((r) => r.fifo_seq)).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it("a delivery whose event was accepted out of turn joins the back, behind the head in flight; claims offer only the head", async () => {
    const app = await newApp();
    const endpoint = await newEndpoint(app, { url: "http://127.0.0.1:9/x", ordering: "fifo" });
    const [first] = await triggerInOrder(app, 0, 1);
    await fanOutNow();
    const claimFor = async (worker: string) =>
      (
        await claimDueDeliveries({
          workerId: worker,
          limit: 10,
          defaultEndpointSlots: 10,
          events: createEventCache(),
        })
      ).filter((c) => c.endpointId === endpoint.id);
    const [head] = await claimFor("w1");
    expect(head?.event.id).toBe(first);

    // Event 1 took its number before event 0 but committed after it (overlapping requests): it
    // reaches fan-out while event 0's delivery is in flight.
    const [late] = await triggerInOrder(app, 1, 2);
    const headSeq = Number((await queueSeqs(endpoint.id)).find((r) => r.n === 0)!.fifo_seq);
    await db().pool.query("UPDATE event_fanout_queue SET seq = $2 WHERE event_id = $1", [
      late,
      headSeq - 1,
    ]);
    await fanOutNow();
    const seqs = await queueSeqs(endpoint.id);
    expect(Number(seqs.find((r) => r.n === 1)!.fifo_seq)).toBeGreaterThan(headSeq);
    // Nothing else of the line is offered while its head is in flight, and then only the next.
    expect(await claimFor("w2")).toEqual([]);
    await db().pool.query(
      "UPDATE delivery_queue SET leased_by = NULL, lease_expires_at = NULL WHERE delivery_id = $1",
      [head!.deliveryId],
    );
    expect((await claimFor("w3")).map((c) => c.deliveryId)).toEqual([head!.deliveryId]);
  });

  it("switching to FIFO with deliveries in flight puts them first: the line waits for them", async () => {
    const app = await newApp();
    const endpoint = await newEndpoint(app, { url: "http://127.0.0.1:9/x" });
    await triggerInOrder(app, 0, 3);
    await fanOutNow();
    const rows = await deliveriesByN(app);
    // The newest is in flight when the endpoint switches.
    await db().pool.query(
      "UPDATE delivery_queue SET leased_by = 'w1', lease_expires_at = now() + interval '1 minute' WHERE delivery_id = $1",
      [rows.get(2)!.id],
    );
    expect(
      (
        await call(
          endpointRoute.PATCH,
          "PATCH",
          { slug: app.slug, id: endpoint.id },
          { ordering: "fifo" },
        )
      ).status,
    ).toBe(200);
    const seqs = new Map((await queueSeqs(endpoint.id)).map((r) => [r.n, Number(r.fifo_seq)]));
    expect(seqs.get(2)!).toBeLessThan(seqs.get(0)!);
    expect(seqs.get(0)!).toBeLessThan(seqs.get(1)!);
    const offered = await claimDueDeliveries({
      workerId: "w2",
      limit: 10,
      defaultEndpointSlots: 10,
      events: createEventCache(),
    });
    expect(offered.filter((c) => c.endpointId === endpoint.id)).toEqual([]);
  });

  it("skip: 409 for a concurrent endpoint's delivery, one in flight, or a final one; 404 for another app's; audited", async () => {
    const app = await newApp();
    const other = await newApp();
    const concurrent = await newEndpoint(app, {
      url: "http://127.0.0.1:9/c",
      subscriptions: ["c.*"],
    });
    const fifo = await newEndpoint(app, {
      url: "http://127.0.0.1:9/f",
      subscriptions: ["f.*"],
      ordering: "fifo",
    });
    await triggerEvent(app, { event_name: "c.one", payload: {} });
    await triggerEvent(app, { event_name: "f.one", payload: {} });
    await triggerEvent(app, { event_name: "f.two", payload: {} });
    await fanOutNow();
    const ofEndpoint = (id: string) =>
      db().prisma.delivery.findMany({ where: { endpointId: id }, orderBy: { createdAt: "asc" } });
    const [c] = await ofEndpoint(concurrent.id);
    const [f1, f2] = await ofEndpoint(fifo.id);

    // The second waits behind the first; the first and the concurrent one are held by nothing.
    const read = async (id: string) =>
      (await call(deliveryRoute.GET, "GET", { slug: app.slug, id })).body.blocked_by;
    expect(await read(f2!.id)).toEqual({ delivery_id: f1!.id });
    expect(await read(f1!.id)).toBeNull();
    expect(await read(c!.id)).toBeNull();

    const notFifo = await call(skipRoute.POST, "POST", { slug: app.slug, id: c!.id }, {});
    expect(notFifo.status).toBe(409);
    expect(notFifo.body.error).toMatchObject({ code: "conflict", details: { reason: "not_fifo" } });

    await db().pool.query(
      "UPDATE delivery_queue SET leased_by = 'someone', lease_expires_at = now() + interval '1 minute' WHERE delivery_id = $1",
      [f1!.id],
    );
    const inFlight = await call(skipRoute.POST, "POST", { slug: app.slug, id: f1!.id }, {});
    expect(inFlight.status).toBe(409);
    expect(inFlight.body.error.details.reason).toBe("in_flight");
    await db().pool.query(
      "UPDATE delivery_queue SET leased_by = NULL, lease_expires_at = NULL WHERE delivery_id = $1",
      [f1!.id],
    );

    expect((await call(skipRoute.POST, "POST", { slug: other.slug, id: f1!.id }, {})).status).toBe(
      404,
    );
    expect(
      (await call(skipRoute.POST, "POST", { slug: app.slug, id: f1!.id }, { extra: 1 })).status,
    ).toBe(422);

    const skipped = await call(skipRoute.POST, "POST", { slug: app.slug, id: f1!.id }, {});
    expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
    expect(skipped.body).toEqual({
      delivery_id: f1!.id,
      status: "cancelled",
      next_in_line: f2!.id,
    });
    const after = await db().prisma.delivery.findUniqueOrThrow({ where: { id: f1!.id } });
    expect(after).toMatchObject({
      status: "cancelled",
      lastError: "Skipped by hand",
      nextAttemptAt: null,
    });
    expect(await db().prisma.deliveryQueueEntry.count({ where: { deliveryId: f1!.id } })).toBe(0);
    expect(await read(f2!.id)).toBeNull();
    const audit = await db().prisma.auditLog.findMany({
      where: { appId: app.id, action: "delivery.skipped" },
    });
    expect(audit.map((a) => (a.details as { outcome: string }).outcome).sort()).toEqual([
      "cancelled",
      "refused: in_flight",
      "refused: not_fifo",
    ]);
    const rollup = await db().pool.query<{ failed: number }>(
      "SELECT sum(failed)::int AS failed FROM delivery_rollups_hourly WHERE endpoint_id = $1",
      [fifo.id],
    );
    expect(rollup.rows[0]!.failed).toBe(1);

    const again = await call(skipRoute.POST, "POST", { slug: app.slug, id: f1!.id }, {});
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ reason: "final", status: "cancelled" });
  });

  it("replaying several final deliveries of a FIFO endpoint lines them up at the back in created order", async () => {
    const app = await newApp();
    const endpoint = await newEndpoint(app, { url: "http://127.0.0.1:9/x", ordering: "fifo" });
    await triggerInOrder(app, 0, 4);
    await fanOutNow();
    const byN = await deliveriesByN(app);
    for (const n of [0, 1, 2])
      expect(
        (await call(skipRoute.POST, "POST", { slug: app.slug, id: byN.get(n)!.id }, {})).status,
      ).toBe(200);
    const waiting = Number((await queueSeqs(endpoint.id))[0]!.fifo_seq);
    const result = await scheduleManualAttempts(
      [byN.get(2)!.id, byN.get(0)!.id, byN.get(1)!.id],
      "replay",
    );
    expect(result.scheduled).toHaveLength(3);
    const line = await queueSeqs(endpoint.id);
    expect(line.map((r) => r.n)).toEqual([0, 1, 2, 3]);
    const seq = new Map(line.map((r) => [r.n, Number(r.fifo_seq)]));
    // 3 was never final: it keeps its place, ahead of the replays, which follow in created order.
    expect(seq.get(3)).toBe(waiting);
    expect(
      seq.get(3)! < seq.get(0)! && seq.get(0)! < seq.get(1)! && seq.get(1)! < seq.get(2)!,
    ).toBe(true);
  });

  it("frontend skip is scoped to the session's app", async () => {
    const mine = await newApp();
    const theirs = await newApp();
    const endpoint = await newEndpoint(theirs, { url: "http://127.0.0.1:9/f", ordering: "fifo" });
    await triggerEvent(theirs, { event_name: "f.one", payload: {} });
    await fanOutNow();
    const [delivery] = await db().prisma.delivery.findMany({ where: { endpointId: endpoint.id } });
    const { ticket } = await createAccessTicket(
      { ticket_type: "webhook_app_access", webhook_app_slug: mine.slug, expires_in: 120 },
      "test",
    );
    const { session } = await exchangeTicket(ticket);
    const cookie = (await sessionCookies(session, new Request("http://hookline.test/")))
      .map((c) => c.split(";")[0])
      .join("; ");
    const res = await callRoute(frontendSkipRoute.POST, {
      method: "POST",
      path: `/api/frontend/webhook/deliveries/${delivery!.id}/skip`,
      params: { id: delivery!.id },
      headers: { cookie, "x-csrf-token": session.csrf },
      body: {},
    });
    expect(res.status).toBe(404);
    expect(
      (await db().prisma.delivery.findUniqueOrThrow({ where: { id: delivery!.id } })).status,
    ).toBe("pending");
  });
});

describe("FIFO delivery through the embedded driver", () => {
  let driver: EmbeddedDriver;
  beforeAll(() => {
    driver = startEmbeddedDriver({
      pollIntervalMs: 200,
      shutdownGraceMs: 2_000,
      endpointConcurrency: 10,
      replays: false,
    });
  });
  afterAll(async () => {
    await driver?.stop();
  });

  it(
    "delivers a FIFO endpoint's events one at a time, in acceptance order; a concurrent one overlaps",
    { timeout: 60_000 },
    async () => {
      const track = () => {
        const state = { inFlight: 0, max: 0 };
        const handler = (_req: ReceivedRequest, res: import("node:http").ServerResponse) => {
          state.max = Math.max(state.max, ++state.inFlight);
          setTimeout(
            () => {
              state.inFlight--;
              res.end("ok");
            },
            5 + Math.random() * 25,
          );
        };
        return { state, handler };
      };
      const ordered = track();
      const free = track();
      const fifoReceiver = await receiver(ordered.handler);
      const concurrentReceiver = await receiver(free.handler);
      const app = await newApp();
      await newEndpoint(app, { url: fifoReceiver.url, ordering: "fifo" });
      await newEndpoint(app, { url: concurrentReceiver.url });
      const EVENTS = 40;
      await triggerInOrder(app, 0, EVENTS);
      await fifoReceiver.waitFor(EVENTS, 40_000);
      await concurrentReceiver.waitFor(EVENTS, 40_000);

      expect(fifoReceiver.requests.map(nOf)).toEqual(Array.from({ length: EVENTS }, (_, n) => n));
      expect(ordered.state.max).toBe(1);
      // The same events to an ordinary endpoint: several at once (this is what FIFO prevents).
      expect(free.state.max).toBeGreaterThan(1);
    },
  );

  it(
    "a failing head holds the rest until it succeeds; the endpoint shows what blocks it meanwhile",
    { timeout: 60_000 },
    async () => {
      let fails = 2;
      const blockedReads: any[] = [];
      const app = await newApp();
      let endpointId = "";
      const r = await receiver(async (req, res) => {
        if (nOf(req) === 0 && fails > 0) {
          // Read during the second attempt, before answering it: the head has failed once.
          if (--fails === 0)
            blockedReads.push(
              (await call(endpointRoute.GET, "GET", { slug: app.slug, id: endpointId })).body,
            );
          res.statusCode = 500;
          res.end("not yet");
          return;
        }
        res.end("ok");
      });
      endpointId = (await newEndpoint(app, { url: r.url, ordering: "fifo" })).id;
      const ids = await triggerInOrder(app, 0, 5);
      await r.waitFor(7, 30_000);
      expect(r.requests.map(nOf)).toEqual([0, 0, 0, 1, 2, 3, 4]);
      expect(blockedReads[0].blocked_by).toMatchObject({
        event_name: "order.updated",
        attempts: 1,
        last_error: expect.stringContaining("500"),
      });
      const head = await db().prisma.delivery.findFirstOrThrow({ where: { eventId: ids[0] } });
      expect(blockedReads[0].blocked_by.delivery_id).toBe(head.id);
      await eventually(async () =>
        (await db().prisma.delivery.count({ where: { appId: app.id, status: "success" } })) === 5
          ? true
          : undefined,
      );
      expect(
        (await call(endpointRoute.GET, "GET", { slug: app.slug, id: endpointId })).body.blocked_by,
      ).toBeNull();
    },
  );

  it(
    "a head that exhausts its retries fails, and the line moves on",
    { timeout: 60_000 },
    async () => {
      const r = await receiver((req, res) => {
        res.statusCode = nOf(req) === 0 ? 500 : 200;
        res.end();
      });
      const app = await newApp();
      await newEndpoint(app, { url: r.url, ordering: "fifo", max_retries: 1 });
      await triggerInOrder(app, 0, 4);
      await r.waitFor(5, 30_000);
      expect(r.requests.map(nOf)).toEqual([0, 0, 1, 2, 3]);
      const byN = await deliveriesByN(app);
      expect(byN.get(0)).toMatchObject({ status: "failed", attemptCount: 2 });
    },
  );

  it("skipping a failing head lets the next through", { timeout: 60_000 }, async () => {
    const r = await receiver((req, res) => {
      res.statusCode = nOf(req) === 0 ? 500 : 200;
      res.end();
    });
    const app = await newApp();
    const endpoint = await newEndpoint(app, { url: r.url, ordering: "fifo", max_retries: 10 });
    await triggerInOrder(app, 0, 3);
    // Four quick attempts, then the head waits 30 s for its next: nothing else goes meanwhile.
    await eventually(
      async () => ((await deliveriesByN(app)).get(0)?.attemptCount === 4 ? true : undefined),
      20_000,
      "four attempts of the head",
    );
    expect(r.requests.map(nOf)).toEqual([0, 0, 0, 0]);
    const blocked = (await call(endpointRoute.GET, "GET", { slug: app.slug, id: endpoint.id })).body
      .blocked_by;
    const head = (await deliveriesByN(app)).get(0)!;
    // The two deliveries after it wait in its line.
    expect(blocked).toMatchObject({ delivery_id: head.id, attempts: 4, waiting: 2 });

    const skipped = await call(skipRoute.POST, "POST", { slug: app.slug, id: head.id }, {});
    expect(skipped.status, JSON.stringify(skipped.body)).toBe(200);
    await r.waitFor(6, 20_000);
    expect(r.requests.map(nOf)).toEqual([0, 0, 0, 0, 1, 2]);
    expect((await deliveriesByN(app)).get(0)).toMatchObject({
      status: "cancelled",
      lastError: "Skipped by hand",
    });
  });

  it("a replay goes to the back of the line", { timeout: 60_000 }, async () => {
    let holdOne = true;
    const r = await receiver((req, res) => {
      res.statusCode = nOf(req) === 1 && holdOne ? 500 : 200;
      res.end();
    });
    const app = await newApp();
    await newEndpoint(app, { url: r.url, ordering: "fifo", max_retries: 10 });
    await triggerInOrder(app, 0, 1);
    await r.waitFor(1);
    await triggerInOrder(app, 1, 3);
    // 1 is failing and holds 2; replaying 0 now puts it behind both.
    await r.waitFor(2);
    const zero = (await deliveriesByN(app)).get(0)!;
    const replay = await call(replayRoute.POST, "POST", { slug: app.slug, id: zero.id }, {});
    expect(replay.status, JSON.stringify(replay.body)).toBe(202);
    holdOne = false;
    await eventually(
      async () => (r.requests.filter((q) => nOf(q) === 0).length === 2 ? true : undefined),
      20_000,
      "the replay to arrive",
    );
    const seen = r.requests.map(nOf);
    // However many times 1 failed: 0, then 1 until it succeeded, then 2, then the replay of 0.
    expect(seen.filter((n) => n !== 1)).toEqual([0, 2, 0]);
    expect(seen.lastIndexOf(1)).toBeLessThan(seen.indexOf(2));
    expect(seen.at(-1)).toBe(0);
  });
});
