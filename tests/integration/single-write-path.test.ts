/**
 * The single-write path (issue 21): a first attempt that succeeds is kept in its delivery's row
 * instead of an attempt row. The log must show it exactly as it showed an attempt row. One real
 * request's outcome is recorded for several deliveries: once the way every attempt was recorded
 * before (an attempt row: `inLogRow: false`), and through each path that now keeps it in the
 * log row (the workers' batch, the single statement). Every read of the log is then compared
 * field by field, ids aside.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import { startReceiver, type Receiver } from "../helpers/receiver";
import type { App, Endpoint } from "@/generated/prisma/client";
import { readMinuteBuckets } from "@/lib/analytics/rollup-reads";
import {
  recordInOneStatement,
  writeAttemptSql,
  type AttemptRecordInput,
} from "@/lib/delivery/attempt-outcome";
import { claimDueDeliveries } from "@/lib/delivery/claim-deliveries";
import { createEventCache, type ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { insertPendingDeliveries } from "@/lib/delivery/enqueue-deliveries";
import { postWebhook } from "@/lib/delivery/http-client";
import { maskRequestHeaders } from "@/lib/delivery/payload";
import { createOutcomeBatcher } from "@/lib/delivery/record-successes";
import { scheduleManualAttempt } from "@/lib/delivery/schedule-manual-attempts";
import { withTransaction } from "@/lib/delivery/sql";
import { getDelivery } from "@/lib/delivery-log/get-delivery";
import { newId } from "@/lib/ids";
import { purgeExpiredPayloads } from "@/lib/retention/purge-expired-payloads";
import {
  attemptsByEndpointQuery,
  attemptsByMsgQuery,
  expungeSvixAttemptContent,
  getSvixAttempt,
  listAttemptsByEndpoint,
  listAttemptsByMsg,
} from "@/lib/svix/attempts";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver((_req, res) => {
    res.setHeader("x-receiver", "kept");
    res.end(JSON.stringify({ received: true }));
  });
});
afterAll(() => receiver.close());

/** `n` events of one endpoint, one delivery each, created at `createdAt`, claimed. */
async function claimNew(app: App, endpoint: Endpoint, n: number, createdAt = new Date()) {
  const eventIds: string[] = [];
  for (let i = 0; i < n; i++) {
    const eventId = newId("msg");
    eventIds.push(eventId);
    await db().pool.query(
      "INSERT INTO events (id, app_id, name, payload, created_at) VALUES ($1, $2, 'order.paid', '{\"n\":1}', $3)",
      [eventId, app.id, createdAt],
    );
    await withTransaction((c) =>
      insertPendingDeliveries(c, {
        appId: app.id,
        eventId,
        eventName: "order.paid",
        endpointIds: [endpoint.id],
        createdAt,
      }),
    );
  }
  const claims = await claimDueDeliveries({
    workerId: "w1",
    limit: 100,
    defaultEndpointSlots: 100,
    events: createEventCache(),
  });
  expect(claims).toHaveLength(n);
  // In the order the events were made.
  return eventIds.map((id) => claims.find((c) => c.event.id === id)!);
}

/** One real request to the receiver: its outcome, as the worker hands it to be recorded. */
async function sendOnce(
  claim: ClaimedDelivery,
): Promise<Omit<AttemptRecordInput, "requestHeaders">> {
  const attemptedAt = new Date();
  const headers = { "content-type": "application/json", "webhook-signature": "v1,abc" };
  const result = await postWebhook({
    url: claim.url,
    headers,
    body: "{}",
    timeoutMs: 5_000,
    allowPrivate: true,
  });
  expect(result.ok).toBe(true);
  return { attemptedAt, result };
}

const attemptOf = (claim: ClaimedDelivery, sent: Omit<AttemptRecordInput, "requestHeaders">) => ({
  ...sent,
  requestHeaders: maskRequestHeaders({
    "webhook-id": claim.deliveryId,
    "webhook-signature": "v1,abc",
    "content-type": "application/json",
  }),
});

/** How every attempt was recorded before the single-write path: an attempt row. */
async function recordAsAttemptRow(claim: ClaimedDelivery, attempt: AttemptRecordInput) {
  const attemptId = newId("atm");
  const { rows } = await db().pool.query<{ recorded: number }>(
    writeAttemptSql(claim, attempt, {
      status: "success",
      nextAttemptAt: null,
      lastError: null,
      attemptId,
      now: new Date(),
      inLogRow: false,
    }),
  );
  expect(rows[0]!.recorded).toBe(1);
  return attemptId;
}

/** The text of `value` with each delivery's, attempt's and event's id replaced by its role. */
function withoutIds(value: unknown, ids: Record<string, string>): unknown {
  let text = JSON.stringify(value);
  for (const [role, id] of Object.entries(ids)) text = text.split(id).join(`<${role}>`);
  return JSON.parse(text);
}

async function storedAs(deliveryId: string) {
  const { rows } = await db().pool.query<{ rows: number; in_log_row: boolean }>(
    `SELECT (SELECT count(*) FROM attempts WHERE delivery_id = $1)::int AS rows,
            (SELECT first_attempt_id IS NOT NULL FROM deliveries WHERE id = $1) AS in_log_row`,
    [deliveryId],
  );
  return rows[0]!;
}

describe("the single-write path", () => {
  it("shows a first-try success kept in the log row exactly as an attempt row showed it", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: `${receiver.url}/hook` });
    const claims = await claimNew(app, endpoint, 5);
    const sent = await sendOnce(claims[0]!);
    const [before, single, ...batched] = claims as [
      ClaimedDelivery,
      ClaimedDelivery,
      ...ClaimedDelivery[],
    ];

    const beforeId = await recordAsAttemptRow(before, attemptOf(before, sent));
    const singleOutcome = await recordInOneStatement(single, attemptOf(single, sent));
    // At once: the first goes alone, the other two queue behind it and share one statement.
    const batcher = createOutcomeBatcher();
    const batchedOutcomes = await Promise.all(
      batched.map((c) => batcher.record(c, attemptOf(c, sent))),
    );
    await batcher.drain();
    const attemptIds = new Map<string, string>([
      [before.deliveryId, beforeId],
      [single.deliveryId, singleOutcome.transition.attemptId!],
      ...batched.map((c, i) => [c.deliveryId, batchedOutcomes[i]!.transition.attemptId!] as const),
    ]);

    // Where each is kept: only the one recorded the old way has an attempt row.
    expect(await storedAs(before.deliveryId)).toEqual({ rows: 1, in_log_row: false });
    for (const c of [single, ...batched])
      expect(await storedAs(c.deliveryId)).toEqual({ rows: 0, in_log_row: true });

    const reads = async (claim: ClaimedDelivery) => {
      const attemptId = attemptIds.get(claim.deliveryId)!;
      const detail = await getDelivery(app, claim.deliveryId);
      const byMsg = await listAttemptsByMsg(
        app,
        claim.event.id,
        attemptsByMsgQuery.parse({ with_content: "true" }),
      );
      return withoutIds(
        {
          // (when the row was written differs by the write, not by the path)
          detail: {
            ...detail,
            completed_at: detail.completed_at !== null,
            updated_at: detail.updated_at !== null,
          },
          svixAttempt: await getSvixAttempt(app, claim.event.id, attemptId),
          // (the page's iterators are cursors over the ids: not compared)
          byMsg: { data: byMsg.data, done: byMsg.done },
        },
        { delivery: claim.deliveryId, attempt: attemptId, event: claim.event.id },
      );
    };
    const expected = await reads(before);
    // The old way's reads are whole: the comparison below is not between two empty shapes.
    expect(expected).toMatchObject({
      detail: {
        status: "success",
        attempt_count: 1,
        attempts: [
          {
            id: "<attempt>",
            attempt_number: 1,
            response_status: 200,
            response_body: JSON.stringify({ received: true }),
          },
        ],
      },
      svixAttempt: { id: "<attempt>", responseStatusCode: 200, msgId: "<event>" },
      byMsg: { data: [{ id: "<attempt>" }] },
    });
    expect(JSON.stringify(expected)).toContain("x-receiver");
    for (const c of [single, ...batched]) expect(await reads(c)).toEqual(expected);

    // The endpoint's list and the minute buckets count the five alike.
    const byEndpoint = await listAttemptsByEndpoint(
      app,
      endpoint,
      attemptsByEndpointQuery.parse({ limit: "10" }),
    );
    expect(new Set(byEndpoint.data.map((a) => a.id))).toEqual(new Set(attemptIds.values()));
    const shapes = byEndpoint.data.map((a) => ({ ...a, id: "", msgId: "" }));
    expect(new Set(shapes.map((s) => JSON.stringify(s))).size).toBe(1);
    const buckets = await readMinuteBuckets({
      appId: app.id,
      endpointId: endpoint.id,
      from: new Date(sent.attemptedAt.getTime() - 60_000),
      to: new Date(),
    });
    const total = [...buckets.values()].reduce(
      (t, b) => ({ attempts: t.attempts + b.attempts, latency: t.latency + b.latencySumMs }),
      { attempts: 0, latency: 0 },
    );
    expect(total).toEqual({
      attempts: 5,
      latency: 5 * Math.max(0, Math.round(sent.result.durationMs)),
    });
  });

  it("keeps a first success made more than an hour after its delivery was created as an attempt row", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: `${receiver.url}/late` });
    const [late, prompt] = (await claimNew(
      app,
      endpoint,
      2,
      new Date(Date.now() - 2 * HOUR_MS),
    )) as [ClaimedDelivery, ClaimedDelivery];
    const sent = await sendOnce(late);
    await recordInOneStatement(late, attemptOf(late, sent));
    expect(await storedAs(late.deliveryId)).toEqual({ rows: 1, in_log_row: false });
    // 59 minutes after: still the log row.
    await recordInOneStatement(prompt, {
      ...attemptOf(prompt, sent),
      attemptedAt: new Date(Date.now() - 61 * 60_000),
    });
    expect(await storedAs(prompt.deliveryId)).toEqual({ rows: 0, in_log_row: true });
  });

  it("records a later attempt of the same delivery as an attempt row, listed after the first", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: `${receiver.url}/again` });
    const [claim] = (await claimNew(app, endpoint, 1)) as [ClaimedDelivery];
    const first = await recordInOneStatement(claim, attemptOf(claim, await sendOnce(claim)));
    expect(await scheduleManualAttempt(claim.deliveryId, "manual")).toEqual({ scheduled: true });
    const [again] = (await claimDueDeliveries({
      workerId: "w2",
      limit: 10,
      defaultEndpointSlots: 10,
      events: createEventCache(),
    })) as [ClaimedDelivery];
    expect(again).toMatchObject({
      deliveryId: claim.deliveryId,
      attemptCount: 1,
      trigger: "manual",
    });
    const second = await recordInOneStatement(again, attemptOf(again, await sendOnce(again)));

    expect(await storedAs(claim.deliveryId)).toEqual({ rows: 1, in_log_row: true });
    const detail = await getDelivery(app, claim.deliveryId);
    expect(detail.attempts.map((a) => [a.id, a.attempt_number, a.trigger])).toEqual([
      [first.transition.attemptId, 1, "auto"],
      [second.transition.attemptId, 2, "manual"],
    ]);
    const byMsg = await listAttemptsByMsg(app, claim.event.id, attemptsByMsgQuery.parse({}));
    expect(byMsg.data.map((a) => [a.id, a.triggerType])).toEqual([
      [second.transition.attemptId, 1],
      [first.transition.attemptId, 0],
    ]);
  });

  it("removes a body kept in the log row on expunge and by payload retention", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: `${receiver.url}/bodies` });
    const [expunged, old, recent] = (await claimNew(app, endpoint, 3)) as [
      ClaimedDelivery,
      ClaimedDelivery,
      ClaimedDelivery,
    ];
    const sent = await sendOnce(expunged);
    const ids = new Map<string, string>();
    for (const c of [expunged, old, recent])
      ids.set(
        c.deliveryId,
        (await recordInOneStatement(c, attemptOf(c, sent))).transition.attemptId!,
      );
    await expungeSvixAttemptContent(app, expunged.event.id, ids.get(expunged.deliveryId)!);
    // `old` was created and attempted 10 days ago.
    await db().pool.query(
      `UPDATE deliveries SET created_at = created_at - interval '10 days', first_attempted_at = first_attempted_at - interval '10 days'
       WHERE id = $1`,
      [old.deliveryId],
    );
    const purged = await purgeExpiredPayloads({ retentionDays: 7 });
    expect(purged.attemptBodiesRemoved).toBe(1);

    const bodies = async (c: ClaimedDelivery) =>
      (await getDelivery(app, c.deliveryId)).attempts.map((a) => a.response_body);
    expect(await bodies(expunged)).toEqual([null]);
    expect(await bodies(old)).toEqual([null]);
    expect(await bodies(recent)).toEqual([JSON.stringify({ received: true })]);
  });

  it("pages an endpoint's attempts by time across both kinds and every window", async () => {
    const app = await createTestApp();
    const { endpoint } = await createTestEndpoint(app, { url: `${receiver.url}/pages` });
    const ages = [
      0,
      5 * 60_000,
      50 * 60_000,
      55 * 60_000,
      3 * HOUR_MS,
      2 * DAY_MS,
      10 * DAY_MS,
      45 * DAY_MS,
      400 * DAY_MS,
    ];
    const claims = await claimNew(app, endpoint, ages.length * 2);
    const sent = await sendOnce(claims[0]!);
    // Two attempts of each age: one kept in its log row, one an attempt row; both moved back in
    // time with their deliveries.
    for (const [i, c] of claims.entries()) {
      // (the attempt row first: of two at the same time, the one kept in the log row sorts first)
      if (i % 2 === 0) await recordAsAttemptRow(c, attemptOf(c, sent));
      else await recordInOneStatement(c, attemptOf(c, sent));
      const age = `${ages[Math.floor(i / 2)]! / 1000} seconds`;
      // The ones kept in the log row were made 50 minutes after their delivery: a window's edge
      // falls between the two times.
      await db().pool.query(
        `UPDATE deliveries SET created_at = created_at - $2::interval - CASE WHEN first_attempt_id IS NULL THEN interval '0' ELSE interval '50 minutes' END,
           first_attempted_at = first_attempted_at - $2::interval WHERE id = $1`,
        [c.deliveryId, age],
      );
      await db().pool.query(
        "UPDATE attempts SET created_at = created_at - $2::interval WHERE delivery_id = $1",
        [c.deliveryId, age],
      );
    }
    const { rows } = await db().pool.query<{ id: string }>(
      "SELECT id FROM all_attempts WHERE app_id = $1 ORDER BY created_at DESC, id DESC",
      [app.id],
    );
    expect(rows).toHaveLength(ages.length * 2);
    const all = rows.map((r) => r.id);

    for (const limit of [1, 3, 5]) {
      const seen: string[] = [];
      let iterator: string | undefined;
      for (let page = 0; page < 20; page++) {
        const got = await listAttemptsByEndpoint(
          app,
          endpoint,
          attemptsByEndpointQuery.parse({ limit: String(limit), ...(iterator && { iterator }) }),
        );
        seen.push(...got.data.map((a) => a.id));
        if (got.done) break;
        iterator = got.iterator ?? undefined;
      }
      expect(seen).toEqual(all);
    }
    // A window of time (Svix's `before` and `after`) between the edges.
    const { rows: inRange } = await db().pool.query<{ id: string }>(
      `SELECT id FROM all_attempts WHERE app_id = $1 AND created_at > now() - interval '20 days' AND created_at < now() - interval '1 hour'
       ORDER BY created_at DESC, id DESC`,
      [app.id],
    );
    expect(inRange.length).toBe(6);
    const ranged = await listAttemptsByEndpoint(
      app,
      endpoint,
      attemptsByEndpointQuery.parse({
        limit: "50",
        after: new Date(Date.now() - 20 * DAY_MS).toISOString(),
        before: new Date(Date.now() - HOUR_MS).toISOString(),
      }),
    );
    expect(ranged.data.map((a) => a.id)).toEqual(inRange.map((r) => r.id));
  });
});
