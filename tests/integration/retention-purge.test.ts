/**
 * Payload retention: old event payloads and attempt response bodies are removed in batches,
 * the deliveries' metadata stays, the log says the payload expired, and a delivery whose payload
 * is gone is cancelled by the engine instead of sent (and refused for replay).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { countAttempts } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { callRoute } from "../helpers/http";
import { createTestApp, createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { createApiKey } from "@/lib/auth/api-keys";
import { runClaimedAttempt } from "@/lib/delivery/attempt";
import { claimDelivery } from "@/lib/delivery/claim-deliveries";
import { purgeExpiredPayloads } from "@/lib/retention/purge-expired-payloads";
import { startRetentionRunner } from "@/lib/retention/retention-runner";
import * as replayOneRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/replay/route";
import * as detailRoute from "@/app/api/v1/apps/[slug]/deliveries/[id]/route";

const db = useTestDatabase({ HOOKLINE_PAYLOAD_RETENTION_DAYS: "30" });
const DAY = 86_400_000;

let key: string;
let app: App;
let endpointId: string;
let seq = 0;

/** `count` events (each with one delivery and one attempt with a body) created `ageDays` ago. */
async function seed(count: number, ageDays: number, status = "success"): Promise<string> {
  const prefix = `p${seq++}`;
  const at = new Date(Date.now() - ageDays * DAY);
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, payload, payload_text, created_at)
     SELECT 'msg_' || $2 || i, $1, 'invoice.paid', jsonb_build_object('secret_amount', i), json_build_object('secret_amount', i)::text, $4::timestamptz - make_interval(secs => i)
     FROM generate_series(1, $3::int) AS i`,
    [app.id, prefix, count, at],
  );
  await db().pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, next_attempt_at, created_at, completed_at)
     SELECT 'dlv_' || $2 || i, $1, 'msg_' || $2 || i, $3, 'invoice.paid', $6::delivery_status, 1,
            CASE WHEN $6::text = 'pending' THEN now() - interval '1 second' END, $5::timestamptz - make_interval(secs => i),
            CASE WHEN $6::text = 'pending' THEN NULL ELSE now() END
     FROM generate_series(1, $4::int) AS i`,
    [app.id, prefix, endpointId, count, at, status],
  );
  // Open deliveries have their queue row, as the engine makes them.
  await db().pool.query(
    `INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at)
     SELECT id, app_id, endpoint_id, next_attempt_at FROM deliveries WHERE id LIKE 'dlv_' || $1 || '%' AND status IN ('pending', 'retrying')`,
    [prefix],
  );
  await db().pool.query(
    `INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, request_url, response_status, response_body, duration_ms, created_at)
     SELECT 'atm_' || $2 || i, 'dlv_' || $2 || i, $1, $3, 1, 'https://r.example.com/hook', 200, 'receipt ' || i, 5,
            $5::timestamptz - make_interval(secs => i) + interval '1 second'
     FROM generate_series(1, $4::int) AS i`,
    [app.id, prefix, endpointId, count, at],
  );
  return prefix;
}

/**
 * Forgets how far payload retention got, so that the next run walks from the oldest row. The
 * tests store rows backdated behind a finished run's mark, which production never does (a row's
 * time is when it is stored).
 */
async function forgetRetentionProgress() {
  await db().pool.query("DELETE FROM retention_progress");
}

beforeAll(async () => {
  key = (await createApiKey({ name: "retention" }, "test")).key;
  app = await createTestApp("retention-app");
  endpointId = (await createTestEndpoint(app, { url: "https://r.example.com/hook" })).endpoint.id;
});

describe("purgeExpiredPayloads", () => {
  it("removes payloads and response bodies older than the retention period, in batches, once", async () => {
    const old = await seed(25, 40);
    const fresh = await seed(5, 3);
    const result = await purgeExpiredPayloads({ batchSize: 7 });
    expect(result).toMatchObject({ eventsExpired: 25, attemptBodiesRemoved: 25 });
    expect(result.batches).toBeGreaterThanOrEqual(8);

    const events = await db().pool.query<{
      id: string;
      payload: unknown;
      payload_text: string | null;
      payload_expired_at: Date | null;
    }>("SELECT id, payload, payload_text, payload_expired_at FROM events WHERE app_id = $1", [
      app.id,
    ]);
    for (const e of events.rows) {
      if (e.id.startsWith(`msg_${old}`))
        expect([e.payload, e.payload_text, e.payload_expired_at !== null]).toEqual([
          null,
          null,
          true,
        ]);
      else
        expect([
          e.id.startsWith(`msg_${fresh}`),
          e.payload_text !== null,
          e.payload_expired_at,
        ]).toEqual([true, true, null]);
    }
    const bodies = await db().pool.query<{ old: boolean; n: string; with_body: string }>(
      "SELECT starts_with(id, $2) AS old, count(*) AS n, count(response_body) AS with_body FROM all_attempts WHERE app_id = $1 GROUP BY 1 ORDER BY 1",
      [app.id, `atm_${old}`],
    );
    expect(bodies.rows.map((r) => [r.old, Number(r.n), Number(r.with_body)])).toEqual([
      [false, 5, 5],
      [true, 25, 0],
    ]);
    // Metadata stays: every delivery and attempt is still there.
    expect(await db().prisma.delivery.count({ where: { appId: app.id } })).toBe(30);

    const again = await purgeExpiredPayloads({ batchSize: 7 });
    expect(again).toMatchObject({ eventsExpired: 0, attemptBodiesRemoved: 0 });
    // A shorter period (as if the setting changed) reaches the fresh ones too.
    expect(await purgeExpiredPayloads({ retentionDays: 1 })).toMatchObject({
      eventsExpired: 5,
      attemptBodiesRemoved: 5,
    });

    const detail = await callRoute(detailRoute.GET, {
      path: `/api/v1/apps/${app.slug}/deliveries/dlv_${old}1`,
      apiKey: key,
      params: { slug: app.slug, id: `dlv_${old}1` },
    });
    expect(detail.body).toMatchObject({
      id: `dlv_${old}1`,
      status: "success",
      payload: null,
      payload_expired: true,
      event_name: "invoice.paid",
    });
    expect(detail.body.attempts[0]).toMatchObject({
      response_status: 200,
      response_body: null,
      response_body_expired: true,
    });
  });

  it("starts each run where the last one finished, less a day, not at the oldest row", async () => {
    await forgetRetentionProgress();
    await purgeExpiredPayloads(); // finished: everything created over 30 days ago is done
    const inside = await seed(1, 30.5); // within the day the next run walks again
    const behind = await seed(1, 32);
    expect(await purgeExpiredPayloads()).toMatchObject({
      eventsExpired: 1,
      attemptBodiesRemoved: 1,
    });
    const expired = await db().pool.query<{ id: string }>(
      "SELECT id FROM events WHERE id = ANY($1) AND payload_expired_at IS NOT NULL",
      [[`msg_${inside}1`, `msg_${behind}1`]],
    );
    expect(expired.rows.map((r) => r.id)).toEqual([`msg_${inside}1`]);
    // A longer retention does not move the mark back; forgetting it walks everything again.
    await purgeExpiredPayloads({ retentionDays: 60 });
    expect((await purgeExpiredPayloads()).eventsExpired).toBe(0);
    await forgetRetentionProgress();
    expect(await purgeExpiredPayloads()).toMatchObject({
      eventsExpired: 1,
      attemptBodiesRemoved: 1,
    });
  });

  it("runs in the background from the retention runner", async () => {
    await forgetRetentionProgress();
    const old = await seed(3, 31);
    const runner = startRetentionRunner({ initialDelayMs: 0, intervalMs: 60_000 });
    try {
      await eventually(async () => {
        const n = await db().prisma.event.count({
          where: { id: { startsWith: `msg_${old}` }, payloadExpiredAt: { not: null } },
        });
        return n === 3 ? n : undefined;
      }, 10_000);
    } finally {
      await runner.stop();
    }
  });
});

describe("a delivery whose payload expired", () => {
  it("is cancelled by the engine instead of sent, and refused for replay", async () => {
    const prefix = await seed(1, 45, "pending");
    await forgetRetentionProgress();
    await purgeExpiredPayloads();
    const id = `dlv_${prefix}1`;
    const claim = await claimDelivery(id, "retention-test", { onlyIfDue: true });
    if (!claim.claimed) throw new Error(`not claimed: ${claim.reason}`);
    expect(claim.event).toMatchObject({ payloadText: null, expired: true });
    const run = await runClaimedAttempt(claim);
    expect(run.kind).toBe("cancelled");
    const delivery = await db().prisma.delivery.findUniqueOrThrow({ where: { id } });
    expect(delivery.status).toBe("cancelled");
    expect(delivery.lastError).toMatch(/payload expired/);
    expect(await countAttempts({ deliveryId: id, minAttemptNumber: 2 })).toBe(0);

    const replay = await callRoute(replayOneRoute.POST, {
      method: "POST",
      path: `/api/v1/apps/${app.slug}/deliveries/${id}/replay`,
      apiKey: key,
      params: { slug: app.slug, id },
    });
    expect(replay.status).toBe(409);
    expect(replay.body.error.details).toEqual({ reason: "payload_expired" });
    expect((await db().prisma.delivery.findUniqueOrThrow({ where: { id } })).status).toBe(
      "cancelled",
    );
  });
});
