/**
 * Events leave with the log (lib/retention/delete-expired-events.ts): past the log's retention an
 * event goes once none of its deliveries is left and its fan-out is done; newer events, and old
 * ones a kept delivery still shows, stay. The retention runner does it on each run.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { idAt } from "@/lib/ids";
import { deleteExpiredEvents } from "@/lib/retention/delete-expired-events";
import { startRetentionRunner } from "@/lib/retention/retention-runner";

const db = useTestDatabase({ HOOKLINE_LOG_RETENTION_DAYS: "90" });
const DAY = 86_400_000;

let app: App;
let other: App;
let endpointId: string;

/** An event of `owner` created `ageDays` ago, with `uid` as its Svix eventId. */
async function seedEvent(owner: App, ageDays: number, uid: string): Promise<string> {
  const at = Date.now() - ageDays * DAY;
  const id = idAt("msg", at) + randomBytes(8).toString("hex");
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, uid, created_at, payload_expired_at)
     VALUES ($1, $2, 'invoice.paid', $3, $4, $4::timestamptz + interval '30 days')`,
    [id, owner.id, uid, new Date(at)],
  );
  return id;
}

const remaining = async (ids: string[]) =>
  (
    await db().pool.query<{ id: string }>("SELECT id FROM events WHERE id = ANY($1) ORDER BY id", [
      ids,
    ])
  ).rows.map((r) => r.id);

beforeAll(async () => {
  app = await createTestApp("events-retention");
  other = await createTestApp("events-retention-other");
  endpointId = (await createTestEndpoint(app, { url: "https://r.example.com/hook" })).endpoint.id;
});

describe("events past the log's retention", () => {
  it("are deleted once no delivery of theirs is left and their fan-out is done; newer ones and those a kept delivery shows stay", async () => {
    const alone = await seedEvent(app, 100, "order-1");
    const alsoAlone = await seedEvent(app, 95, "order-2");
    const otherApps = await seedEvent(other, 120, "order-1");
    // A delivery made recently (a replay, say) still shows this one.
    const shown = await seedEvent(app, 110, "order-3");
    await db().pool.query(
      `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, completed_at)
       VALUES ($1, $2, $3, $4, 'invoice.paid', 'cancelled', 0, now())`,
      [idAt("dlv", Date.now()) + randomBytes(8).toString("hex"), app.id, shown, endpointId],
    );
    const fanningOut = await seedEvent(app, 100, "order-4");
    await db().pool.query(
      "INSERT INTO event_fanout_queue (event_id, created_at) VALUES ($1, now() - interval '100 days')",
      [fanningOut],
    );
    const recent = await seedEvent(app, 80, "order-5");

    const result = await deleteExpiredEvents({ retentionDays: 90, batchSize: 2 });
    expect(result).toEqual({ deleted: 3, kept: 2 });
    expect(await remaining([alone, alsoAlone, otherApps, shown, fanningOut, recent])).toEqual(
      [shown, fanningOut, recent].sort(),
    );
    // The uid is free again: a new event may take it.
    await expect(seedEvent(app, 0, "order-1")).resolves.toMatch(/^msg_/);
    // 0 days keeps everything.
    expect(
      await deleteExpiredEvents({ retentionDays: 0, now: new Date(Date.now() + 900 * DAY) }),
    ).toEqual({ deleted: 0, kept: 0 });
    expect(await remaining([recent])).toEqual([recent]);
  });

  it("are deleted by the retention runner", async () => {
    const old = await seedEvent(app, 91, "order-6");
    const runner = startRetentionRunner({ initialDelayMs: 60_000, intervalMs: 60_000 });
    try {
      await runner.runNow();
    } finally {
      await runner.stop();
    }
    expect(await remaining([old])).toEqual([]);
  });
});
