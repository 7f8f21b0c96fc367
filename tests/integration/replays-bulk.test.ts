/**
 * Bulk replay end to end: 5,000 failed deliveries (made with raw SQL) replayed through the API,
 * the replay runner rescheduling them in batches and the embedded delivery driver sending them
 * to a real receiver on 127.0.0.1 that now answers 200. Also: limits, one task per endpoint
 * filter, dry runs, audit rows and single-delivery replay.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { resetReplayConfigForTests } from "@/lib/replays/replay-config";
import { startReplayRunner, type ReplayRunner } from "@/lib/replays/replay-runner";
import * as replaysRoute from "@/app/api/v1/apps/[slug]/replays/route";
import * as replayTaskRoute from "@/app/api/v1/apps/[slug]/replays/[id]/route";
import * as cancelRoute from "@/app/api/v1/apps/[slug]/replays/[id]/cancel/route";
import * as replayOneRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/replay/route";

const db = useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });
const FAILED = 5_000;

let key: string;
let app: App;
let other: App;
let receiver: Receiver;
const endpointIds: string[] = [];
let driver: EmbeddedDriver | undefined;
let runner: ReplayRunner | undefined;
const hourAgo = () => new Date(Date.now() - 3_600_000);

/** `count` final deliveries of `appId` spread over the endpoints, created one second apart before `base`. */
async function seedDeliveries(
  appId: string,
  endpoints: string[],
  count: number,
  prefix: string,
  base: Date,
  status = "failed",
): Promise<void> {
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, payload, created_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, CASE WHEN i % 2 = 0 THEN 'invoice.paid' ELSE 'invoice.failed' END,
            jsonb_build_object('n', i), $3::timestamptz - make_interval(secs => i)
     FROM generate_series(1, $4) AS i`,
    [appId, `msg_${prefix}`, base, count],
  );
  await db().pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, last_status_code, last_error,
                             created_at, updated_at, completed_at, last_attempt_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, $5 || lpad(i::text, 6, '0'), ($3::text[])[1 + i % array_length($3::text[], 1)],
            CASE WHEN i % 2 = 0 THEN 'invoice.paid' ELSE 'invoice.failed' END, $6::delivery_status, 6, 500,
            'the receiver answered HTTP 500', $4::timestamptz - make_interval(secs => i), now(), now(), now()
     FROM generate_series(1, $7) AS i`,
    [appId, `dlv_${prefix}`, endpoints, base, `msg_${prefix}`, status, count],
  );
}

function post(slug: string, body: unknown) {
  return callRoute(replaysRoute.POST, {
    method: "POST",
    path: `/api/v1/apps/${slug}/replays`,
    apiKey: key,
    params: { slug },
    body,
  });
}
function getTask(slug: string, id: string) {
  return callRoute(replayTaskRoute.GET, {
    path: `/api/v1/apps/${slug}/replays/${id}`,
    apiKey: key,
    params: { slug, id },
  });
}
function cancel(slug: string, id: string) {
  return callRoute(cancelRoute.POST, {
    method: "POST",
    path: `/api/v1/apps/${slug}/replays/${id}/cancel`,
    apiKey: key,
    params: { slug, id },
  });
}

beforeAll(async () => {
  key = (await createApiKey({ name: "replays" }, "test")).key;
  receiver = await startReceiver((_req, res) => {
    res.end("ok");
  });
  app = await createTestApp("replay-app");
  other = await createTestApp("replay-other");
  for (let i = 0; i < 4; i++)
    endpointIds.push(
      (await createTestEndpoint(app, { url: `${receiver.url}?ep=${i}` })).endpoint.id,
    );
  await seedDeliveries(app.id, endpointIds, FAILED, "r", hourAgo());
  const otherEndpoint = (await createTestEndpoint(other, { url: receiver.url })).endpoint.id;
  await seedDeliveries(other.id, [otherEndpoint], 10, "o", hourAgo());
});

afterAll(async () => {
  await runner?.stop();
  await driver?.stop();
  await receiver?.close();
});

describe("POST /apps/{slug}/replays", () => {
  it("validates: ids or a range, not both; reversed; limits with the numbers; unknown ids; foreign endpoint", async () => {
    const fields = (res: { body: { error: { details: { fields: { field: string }[] } } } }) =>
      res.body.error.details.fields.map((f) => f.field);
    const neither = await post(app.slug, { status: "failed" });
    expect(neither.status).toBe(422);
    expect(fields(neither)).toEqual(["delivery_ids"]);
    const both = await post(app.slug, {
      delivery_ids: ["dlv_r000001"],
      start_date: "2026-01-01T00:00:00Z",
      end_date: "2026-01-02T00:00:00Z",
    });
    expect(fields(both)).toEqual(["delivery_ids"]);
    const half = await post(app.slug, { start_date: "2026-01-01T00:00:00Z" });
    expect(fields(half)).toEqual(["end_date"]);
    const reversed = await post(app.slug, {
      start_date: "2026-01-02T00:00:00Z",
      end_date: "2026-01-01T00:00:00Z",
    });
    expect(fields(reversed)).toEqual(["end_date"]);
    const badStatus = await post(app.slug, {
      start_date: "2026-01-01T00:00:00Z",
      end_date: "2026-01-02T00:00:00Z",
      status: "success",
    });
    expect(fields(badStatus)).toEqual(["status"]);

    const wide = await post(app.slug, {
      start_date: "2026-01-01T00:00:00Z",
      end_date: "2026-01-20T00:00:00Z",
    });
    expect(wide.status).toBe(422);
    expect(wide.body.error).toMatchObject({
      code: "replay_limit_exceeded",
      details: { limit: "range_days", range_days: 19, max_range_days: 14 },
    });
    expect(wide.body.error.message).toMatch(/19 days.*14 days/);

    process.env.HOOKLINE_REPLAY_MAX_DELIVERIES = "1000";
    resetReplayConfigForTests();
    try {
      const many = await post(app.slug, {
        start_date: new Date(Date.now() - 86_400_000).toISOString(),
        end_date: new Date().toISOString(),
      });
      expect(many.status).toBe(422);
      expect(many.body.error).toMatchObject({
        code: "replay_limit_exceeded",
        details: { limit: "deliveries", count: FAILED, max_deliveries: 1000 },
      });
      expect(many.body.error.message).toMatch(/5000 deliveries.*1000/);
    } finally {
      delete process.env.HOOKLINE_REPLAY_MAX_DELIVERIES;
      resetReplayConfigForTests();
    }

    const foreignIds = await post(app.slug, { delivery_ids: ["dlv_r000001", "dlv_o000001"] });
    expect(foreignIds.status).toBe(422);
    expect(foreignIds.body.error.message).toMatch(/dlv_o000001/);
    const foreignEndpoint = await post(other.slug, {
      start_date: "2026-01-01T00:00:00Z",
      end_date: "2026-01-02T00:00:00Z",
      endpoint_id: endpointIds[0],
    });
    expect(foreignEndpoint.status).toBe(404);
    expect(await db().prisma.replayTask.count()).toBe(0);
  });

  it("dry run counts without creating anything", async () => {
    const range = {
      start_date: new Date(Date.now() - 4 * 3_600_000).toISOString(),
      end_date: new Date().toISOString(),
    };
    expect((await post(app.slug, { ...range, dry_run: true })).body).toEqual({ count: FAILED });
    expect(
      (await post(app.slug, { ...range, dry_run: true, event_names: ["invoice.paid"] })).body,
    ).toEqual({ count: FAILED / 2 });
    expect(
      (await post(app.slug, { ...range, dry_run: true, endpoint_id: endpointIds[1] })).body,
    ).toEqual({ count: FAILED / 4 });
    expect((await post(app.slug, { ...range, dry_run: true, status: "all" })).body).toEqual({
      count: FAILED,
    });
    expect(
      (
        await post(app.slug, {
          delivery_ids: ["dlv_r000001", "dlv_r000002", "dlv_r000001"],
          dry_run: true,
        })
      ).body,
    ).toEqual({ count: 2 });
    expect(await db().prisma.replayTask.count()).toBe(0);
  });

  it("failed_or_retrying also takes deliveries still retrying (not pending or successful ones)", async () => {
    const outage = await createTestApp("replay-outage");
    const ep = (await createTestEndpoint(outage, { url: receiver.url })).endpoint.id;
    await seedDeliveries(outage.id, [ep], 2, "of", hourAgo(), "failed");
    await seedDeliveries(outage.id, [ep], 3, "or", hourAgo(), "retrying");
    await seedDeliveries(outage.id, [ep], 4, "op", hourAgo(), "pending");
    await seedDeliveries(outage.id, [ep], 5, "os", hourAgo(), "success");
    const range = {
      start_date: new Date(Date.now() - 4 * 3_600_000).toISOString(),
      end_date: new Date().toISOString(),
      dry_run: true,
    };
    const count = async (status?: string) =>
      (await post(outage.slug, { ...range, ...(status && { status }) })).body;
    expect(await count()).toEqual({ count: 2 });
    expect(await count("failed")).toEqual({ count: 2 });
    expect(await count("failed_or_retrying")).toEqual({ count: 5 });
    expect(await count("all")).toEqual({ count: 14 });
    const bad = await post(outage.slug, { ...range, status: "retrying" });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain("failed_or_retrying");
    expect(await db().prisma.replayTask.count({ where: { appId: outage.id } })).toBe(0);

    // A task keeps the choice (cancelled at once: the runner of a later test must not take it).
    const { dry_run: _, ...task } = range;
    const created = await post(outage.slug, { ...task, status: "failed_or_retrying" });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ total: 5, filter: { status: "failed_or_retrying" } });
    expect((await cancel(outage.slug, created.body.id)).status).toBe(200);
    expect((await getTask(outage.slug, created.body.id)).body.filter.status).toBe(
      "failed_or_retrying",
    );
  });

  it("replays 5,000 failed deliveries to a receiver that now answers 200: completed with the right counts", async () => {
    const range = {
      start_date: new Date(Date.now() - 4 * 3_600_000).toISOString(),
      end_date: new Date().toISOString(),
    };
    const created = await post(app.slug, range);
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({
      task_id: expect.stringMatching(/^rpl_/),
      status: "queued",
      total: FAILED,
      processed: 0,
    });
    const taskId: string = created.body.task_id;

    // One queued task per app and endpoint filter; another endpoint filter may run beside it.
    const again = await post(app.slug, range);
    expect(again.status).toBe(409);
    expect(again.body.error.details).toMatchObject({ task_id: taskId, status: "queued" });
    const narrow = await post(app.slug, {
      ...range,
      endpoint_id: endpointIds[0],
      event_names: ["nothing.matches"],
    });
    expect(narrow.status).toBe(202);
    expect(narrow.body.total).toBe(0);

    const started = Date.now();
    driver = startEmbeddedDriver({
      pollIntervalMs: 200,
      concurrency: 64,
      endpointConcurrency: 16,
      shutdownGraceMs: 2_000,
      replays: false,
    });
    runner = startReplayRunner({ pollIntervalMs: 100 });

    const task = await eventually(
      async () => {
        const res = await getTask(app.slug, taskId);
        return res.body.status === "completed" ? res.body : undefined;
      },
      150_000,
      "the replay task to complete",
    );
    expect(task).toMatchObject({
      status: "completed",
      total: FAILED,
      processed: FAILED,
      replayed: FAILED,
      failed: 0,
      progress: 100,
    });
    expect(task.finished_at).not.toBeNull();
    // The runner takes the next queued task once the first is done.
    const narrowDone = await eventually(async () => {
      const res = await getTask(app.slug, narrow.body.task_id);
      return res.body.status === "completed" ? res.body : undefined;
    });
    expect(narrowDone).toMatchObject({ total: 0, processed: 0, replayed: 0, failed: 0 });

    await receiver.waitFor(FAILED, 150_000);
    const done = await eventually(
      async () => {
        const { rows } = await db().pool.query<{ status: string; n: string }>(
          "SELECT status, count(*) AS n FROM deliveries WHERE app_id = $1 GROUP BY status",
          [app.id],
        );
        const counts = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
        return counts.success === FAILED ? counts : undefined;
      },
      30_000,
      "every replayed delivery to succeed",
    );
    expect(done).toEqual({ success: FAILED });

    console.log(`bulk replay of ${FAILED}: ${Date.now() - started} ms until all delivered`);

    // Same webhook-id as the original delivery, once each; attempts recorded with trigger "replay".
    const ids = receiver.countsById();
    expect(ids.size).toBe(FAILED);
    expect([...ids.keys()].every((id) => id.startsWith("dlv_r"))).toBe(true);
    const attempts = await db().pool.query<{ trigger: string; attempt_number: number; n: string }>(
      "SELECT trigger, attempt_number, count(*) AS n FROM all_attempts WHERE app_id = $1 GROUP BY 1, 2",
      [app.id],
    );
    expect(attempts.rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual([
      { trigger: "replay", attempt_number: 7, n: FAILED },
    ]);
    // The other app's deliveries were not touched.
    expect(await db().prisma.delivery.count({ where: { appId: other.id, status: "failed" } })).toBe(
      10,
    );

    const audit = await db().prisma.auditLog.findMany({
      where: { targetId: taskId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => [a.action, a.actor])).toEqual([
      ["replay.created", expect.stringMatching(/^api_key:/)],
      ["replay.finished", "system"],
    ]);
    expect(audit[0]!.details).toMatchObject({
      filter: { status: "failed", start_date: range.start_date },
      total: FAILED,
      outcome: "queued",
    });
    expect(audit[1]!.details).toMatchObject({
      outcome: "completed",
      processed: FAILED,
      replayed: FAILED,
      failed: 0,
    });

    const finished = await cancel(app.slug, taskId);
    expect(finished.status).toBe(409);
    expect(finished.body.error.message).toMatch(/already completed/);
  }, 300_000);

  it("lists the app's tasks newest first and hides other apps' tasks", async () => {
    const res = await callRoute(replaysRoute.GET, {
      path: `/api/v1/apps/${app.slug}/replays?limit=1`,
      apiKey: key,
      params: { slug: app.slug },
    });
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(1);
    expect(res.body.has_more).toBe(true);
    const page2 = await callRoute(replaysRoute.GET, {
      path: `/api/v1/apps/${app.slug}/replays?limit=1&cursor=${res.body.next_cursor}`,
      apiKey: key,
      params: { slug: app.slug },
    });
    expect(page2.body.data).toHaveLength(1);
    expect(page2.body.data[0].id).not.toBe(res.body.data[0].id);
    const foreign = await callRoute(replaysRoute.GET, {
      path: `/api/v1/apps/${other.slug}/replays`,
      apiKey: key,
      params: { slug: other.slug },
    });
    expect(foreign.body.data).toEqual([]);
    expect((await getTask(other.slug, res.body.data[0].id)).status).toBe(404);
    const badStatus = await callRoute(replaysRoute.GET, {
      path: `/api/v1/apps/${app.slug}/replays?status=done`,
      apiKey: key,
      params: { slug: app.slug },
    });
    expect(badStatus.status).toBe(400);
  });
});

describe("POST /apps/{slug}/deliveries/{id}/replay", () => {
  const replayOne = (slug: string, id: string) =>
    callRoute(replayOneRoute.POST, {
      method: "POST",
      path: `/api/v1/apps/${slug}/deliveries/${id}/replay`,
      apiKey: key,
      params: { slug, id },
    });

  it("resends one delivery in any final status with the same webhook-id, trigger manual; audited; 404 across apps", async () => {
    const id = "dlv_r000010";
    const before = receiver.requests.length;
    const res = await replayOne(app.slug, id);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      delivery_id: id,
      webhook_id: id,
      status: "pending",
      trigger: "manual",
    });
    await receiver.waitFor(before + 1, 20_000);
    const delivery = await eventually(async () => {
      const d = await db().prisma.delivery.findUniqueOrThrow({ where: { id } });
      return d.attemptCount === 8 && d.status === "success" ? d : undefined;
    });
    expect(delivery.status).toBe("success");
    expect(receiver.requests.slice(before).map((r) => r.headers["webhook-id"])).toEqual([id]);
    const last = await findFirstAttemptOrThrow({ deliveryId: id, attemptNumber: 8 });
    expect(last.trigger).toBe("manual");
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { targetId: id, action: "delivery.replayed" },
    });
    expect(audit.details).toMatchObject({ outcome: "scheduled", status_before: "success" });

    expect((await replayOne(other.slug, id)).status).toBe(404);
    expect((await replayOne(app.slug, "dlv_o000001")).status).toBe(404);
    expect((await replayOne(app.slug, "dlv_missing")).status).toBe(404);
  });

  it("refuses (409) while an attempt is in flight or when the endpoint is disabled", async () => {
    const id = "dlv_r000020";
    await db().pool.query("UPDATE deliveries SET status = 'pending' WHERE id = $1", [id]);
    await db().pool.query(
      "INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at) SELECT id, app_id, endpoint_id, now(), 'someone', now() + interval '1 minute' FROM deliveries WHERE id = $1",
      [id],
    );
    const inFlight = await replayOne(app.slug, id);
    expect(inFlight.status).toBe(409);
    expect(inFlight.body.error.details).toEqual({ reason: "in_flight" });
    await db().pool.query("UPDATE deliveries SET status = 'failed' WHERE id = $1", [id]);
    await db().pool.query("DELETE FROM delivery_queue WHERE delivery_id = $1", [id]);

    const { endpointId } = await db().prisma.delivery.findUniqueOrThrow({ where: { id } });
    await db().prisma.endpoint.update({ where: { id: endpointId }, data: { isActive: false } });
    try {
      const disabled = await replayOne(app.slug, id);
      expect(disabled.status).toBe(409);
      expect(disabled.body.error.details).toEqual({ reason: "endpoint_inactive" });
      const audit = await db().prisma.auditLog.findMany({
        where: { targetId: id, action: "delivery.replayed" },
      });
      expect(audit.map((a) => (a.details as { outcome: string }).outcome).sort()).toEqual([
        "refused: endpoint_inactive",
        "refused: in_flight",
      ]);
    } finally {
      await db().prisma.endpoint.update({ where: { id: endpointId }, data: { isActive: true } });
    }
  });
});
