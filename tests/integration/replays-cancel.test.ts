/**
 * Replay tasks batch by batch, without a delivery driver: cancelling between batches (and what
 * the counts say), a runner taking over a crashed worker's task from `resume_after`, skipped
 * deliveries counted as failed, and the Inngest function driving the same batches.
 */
import { InngestTestEngine } from "@inngest/test";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { createReplayTask } from "@/lib/replays/create-replay-task";
import { processReplayTaskBatch } from "@/lib/replays/process-replay-batch";
import { startReplayRunner } from "@/lib/replays/replay-runner";
import { replayTask } from "@/inngest/functions/replay-task";
import * as cancelRoute from "@/app/api/v1/apps/[slug]/replays/[id]/cancel/route";

const db = useTestDatabase({ HOOKLINE_REPLAY_BATCH_SIZE: "500" });

let key: string;
let app: App;
const endpoints: string[] = [];
let seq = 0;

/** `count` failed deliveries to `endpointId`, created just before now; returns their ids' prefix. */
async function seedFailed(endpointId: string, count: number): Promise<string> {
  const prefix = `c${seq++}`;
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, payload, created_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, 'invoice.paid', '{}', now() - interval '1 hour' - make_interval(secs => i)
     FROM generate_series(1, $3) AS i`,
    [app.id, `msg_${prefix}`, count],
  );
  await db().pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, created_at, completed_at)
     SELECT $2 || lpad(i::text, 6, '0'), $1, $3 || lpad(i::text, 6, '0'), $4, 'invoice.paid', 'failed', 6,
            now() - interval '1 hour' - make_interval(secs => i), now()
     FROM generate_series(1, $5) AS i`,
    [app.id, `dlv_${prefix}`, `msg_${prefix}`, endpointId, count],
  );
  return `dlv_${prefix}`;
}

const rangeFor = (endpointId: string) => ({
  start_date: new Date(Date.now() - 6 * 3_600_000),
  end_date: new Date(),
  endpoint_id: endpointId,
});

async function statusCounts(prefix: string): Promise<Record<string, number>> {
  const { rows } = await db().pool.query<{ status: string; n: string }>(
    "SELECT status, count(*) AS n FROM deliveries WHERE id LIKE $1 || '%' GROUP BY status",
    [prefix],
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

beforeAll(async () => {
  key = (await createApiKey({ name: "cancel" }, "test")).key;
  app = await createTestApp("cancel-app");
  for (let i = 0; i < 5; i++)
    endpoints.push(
      (await createTestEndpoint(app, { url: `https://r${i}.example.com/hook` })).endpoint.id,
    );
});

describe("cancelling a replay task", () => {
  it("stops between batches: counts say how far it got, what was replayed stays replayed, 409 afterwards", async () => {
    const prefix = await seedFailed(endpoints[0]!, 2_300);
    const created = await createReplayTask(app, { ...rangeFor(endpoints[0]!) }, "api_key:test");
    if (created.dryRun) throw new Error("expected a task");
    const taskId = created.task.id;
    expect(created.task).toMatchObject({ status: "queued", total: 2_300 });

    const first = await processReplayTaskBatch(taskId, "worker-1");
    expect(first).toMatchObject({
      done: false,
      status: "running",
      batch: 500,
      processed: 500,
      replayed: 500,
      failed: 0,
    });
    const second = await processReplayTaskBatch(taskId, "worker-1");
    expect(second).toMatchObject({ done: false, processed: 1_000 });
    // Another worker cannot take a live lease.
    expect(await processReplayTaskBatch(taskId, "worker-2")).toMatchObject({
      busy: true,
      processed: 1_000,
    });

    const slug = app.slug;
    const res = await callRoute(cancelRoute.POST, {
      method: "POST",
      path: `/api/v1/apps/${slug}/replays/${taskId}/cancel`,
      apiKey: key,
      params: { slug, id: taskId },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: "cancelled",
      total: 2_300,
      processed: 1_000,
      replayed: 1_000,
      failed: 0,
      progress: 43.48,
    });
    expect(res.body.cancel_requested_at).not.toBeNull();
    expect(res.body.finished_at).not.toBeNull();

    // The worker's next batch sees it and stops without touching anything.
    expect(await processReplayTaskBatch(taskId, "worker-1")).toMatchObject({
      done: true,
      status: "cancelled",
      batch: 0,
      processed: 1_000,
    });
    expect(await statusCounts(prefix)).toEqual({ pending: 1_000, failed: 1_300 });
    const rescheduled = await db().pool.query<{ trigger: string; n: string }>(
      "SELECT next_attempt_trigger AS trigger, count(*) AS n FROM deliveries WHERE id LIKE $1 || '%' AND status = 'pending' GROUP BY 1",
      [prefix],
    );
    expect(rescheduled.rows).toEqual([{ trigger: "replay", n: "1000" }]);

    const again = await callRoute(cancelRoute.POST, {
      method: "POST",
      path: `/api/v1/apps/${slug}/replays/${taskId}/cancel`,
      apiKey: key,
      params: { slug, id: taskId },
    });
    expect(again.status).toBe(409);
    const audit = await db().prisma.auditLog.findMany({
      where: { targetId: taskId },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["replay.created", "replay.cancelled"]);
    expect(audit[1]!.details).toMatchObject({
      outcome: "cancelled",
      status_before: "running",
      processed: 1_000,
    });
    const otherApp = await createTestApp("cancel-other");
    const foreign = await callRoute(cancelRoute.POST, {
      method: "POST",
      path: `/api/v1/apps/${otherApp.slug}/replays/${taskId}/cancel`,
      apiKey: key,
      params: { slug: otherApp.slug, id: taskId },
    });
    expect(foreign.status).toBe(404);
  });

  it("a running runner stops the task at the next batch boundary", async () => {
    const prefix = await seedFailed(endpoints[1]!, 3_000);
    const created = await createReplayTask(app, { ...rangeFor(endpoints[1]!) }, "api_key:test");
    if (created.dryRun) throw new Error("expected a task");
    const taskId = created.task.id;
    const runner = startReplayRunner({ pollIntervalMs: 50, batchSize: 200, batchPauseMs: 150 });
    try {
      await eventually(
        async () =>
          (await db().prisma.replayTask.findUniqueOrThrow({ where: { id: taskId } })).processed >=
          400
            ? true
            : undefined,
        20_000,
      );
      const slug = app.slug;
      const res = await callRoute(cancelRoute.POST, {
        method: "POST",
        path: `/api/v1/apps/${slug}/replays/${taskId}/cancel`,
        apiKey: key,
        params: { slug, id: taskId },
      });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("cancelled");
      const processed: number = res.body.processed;
      expect(processed % 200).toBe(0);
      expect(processed).toBeLessThan(3_000);
      // The runner notices at its batch boundary and gives the lease back, having replayed no more.
      const after = await eventually(
        async () => {
          const task = await db().prisma.replayTask.findUniqueOrThrow({ where: { id: taskId } });
          return task.leasedBy === null ? task : undefined;
        },
        10_000,
        "the runner to give the cancelled task back",
      );
      expect(after).toMatchObject({
        status: "cancelled",
        processed,
        replayed: processed,
        leasedBy: null,
      });
      expect(await statusCounts(prefix)).toEqual({ pending: processed, failed: 3_000 - processed });
    } finally {
      await runner.stop();
    }
  });
});

describe("replay runner", () => {
  it("takes over a task whose worker died (expired lease) and resumes after its last batch", async () => {
    const prefix = await seedFailed(endpoints[2]!, 1_200);
    const created = await createReplayTask(app, { ...rangeFor(endpoints[2]!) }, "api_key:test");
    if (created.dryRun) throw new Error("expected a task");
    const taskId = created.task.id;
    await processReplayTaskBatch(taskId, "dead-worker");
    // The worker crashed: its lease runs out.
    await db().pool.query(
      "UPDATE replay_tasks SET lease_expires_at = now() - interval '1 second' WHERE id = $1",
      [taskId],
    );
    const runner = startReplayRunner({ pollIntervalMs: 50 });
    try {
      const task = await eventually(async () => {
        const t = await db().prisma.replayTask.findUniqueOrThrow({ where: { id: taskId } });
        return t.status === "completed" ? t : undefined;
      }, 20_000);
      expect(task).toMatchObject({
        total: 1_200,
        processed: 1_200,
        replayed: 1_200,
        failed: 0,
        leasedBy: null,
      });
      expect(await statusCounts(prefix)).toEqual({ pending: 1_200 });
    } finally {
      await runner.stop();
    }
  });

  it("counts deliveries it cannot replay (endpoint disabled, payload expired, in flight) as failed", async () => {
    const prefix = await seedFailed(endpoints[3]!, 30);
    await db().pool.query(
      "UPDATE events SET payload = NULL, payload_expired_at = now() WHERE id IN ($1, $2)",
      [`${prefix.replace("dlv_", "msg_")}000001`, `${prefix.replace("dlv_", "msg_")}000002`],
    );
    await db().pool.query(
      "INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, leased_by, lease_expires_at) SELECT id, app_id, endpoint_id, now(), 'w', now() + interval '1 minute' FROM deliveries WHERE id = $1 ON CONFLICT (delivery_id) DO UPDATE SET leased_by = EXCLUDED.leased_by, lease_expires_at = EXCLUDED.lease_expires_at",
      [`${prefix}000003`],
    );
    const ids = Array.from({ length: 30 }, (_, i) => `${prefix}${String(i + 1).padStart(6, "0")}`);
    const created = await createReplayTask(app, { delivery_ids: ids }, "api_key:test");
    if (created.dryRun) throw new Error("expected a task");
    const result = await processReplayTaskBatch(created.task.id, "w1", { batchSize: 100 });
    expect(result).toMatchObject({
      done: true,
      status: "completed",
      total: 30,
      processed: 30,
      replayed: 27,
      failed: 3,
    });

    // Endpoint disabled: every delivery is skipped.
    const prefix2 = await seedFailed(endpoints[4]!, 10);
    await db().prisma.endpoint.update({ where: { id: endpoints[4]! }, data: { isActive: false } });
    const created2 = await createReplayTask(app, { ...rangeFor(endpoints[4]!) }, "api_key:test");
    if (created2.dryRun) throw new Error("expected a task");
    expect(await processReplayTaskBatch(created2.task.id, "w1")).toMatchObject({
      status: "completed",
      processed: 10,
      replayed: 0,
      failed: 10,
    });
    expect(await statusCounts(prefix2)).toEqual({ failed: 10 });
  });
});

describe("inngest/functions/replay-task", () => {
  it("works the task in batch-N steps until it completes", async () => {
    const endpoint = (await createTestEndpoint(app, { url: "https://inngest.example.com/hook" }))
      .endpoint.id;
    const prefix = await seedFailed(endpoint, 1_100);
    const created = await createReplayTask(app, { ...rangeFor(endpoint) }, "api_key:test");
    if (created.dryRun) throw new Error("expected a task");
    const t = new InngestTestEngine({
      function: replayTask,
      events: [
        { name: "webhook/replay.requested", data: { task_id: created.task.id, app_id: app.id } },
      ],
    });
    const { result } = await t.execute();
    expect(result).toMatchObject({
      task_id: created.task.id,
      status: "completed",
      batches: 3,
      processed: 1_100,
      replayed: 1_100,
    });
    expect(
      await db().prisma.replayTask.findUniqueOrThrow({ where: { id: created.task.id } }),
    ).toMatchObject({ status: "completed", processed: 1_100 });
    expect(await statusCounts(prefix)).toEqual({ pending: 1_100 });
  });
});
