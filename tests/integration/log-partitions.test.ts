/**
 * The delivery log's week partitions (lib/delivery-log/partitions.ts): made ahead of time and
 * again after a restart, rows of a missing week moved in when it is made, a delivery's retries
 * kept with it across the week's end, and retention that drops whole partitions (both tables,
 * nothing newer touched, one with a queued delivery held) while the log and analytics answer,
 * detaching before it drops so that a slow drop never holds the log.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint } from "../helpers/delivery-fixtures";
import type { App } from "@/generated/prisma/client";
import { getDelivery } from "@/lib/delivery-log/get-delivery";
import {
  dayBound,
  dropExpiredLogPartitions,
  ensureLogPartitions,
  listLogPartitions,
  PARTITION_MS,
  startOfPeriod,
  startOfUtcDay,
} from "@/lib/delivery-log/partitions";
import { idAt, timeOfId } from "@/lib/ids";

const db = useTestDatabase();
const DAY = 86_400_000;

let app: App;
let endpointId: string;

/** A delivery id minted at `ms` (as newId would at that instant). */
const deliveryIdAt = (ms: number) => idAt("dlv", ms) + randomBytes(8).toString("hex").slice(0, 16);

/** One event, its delivery minted at `ms`, and `attempts` attempts made `attemptOffsets` ms after it. */
async function seedDelivery(ms: number, attemptOffsets: number[] = [0]): Promise<string> {
  const eventId = idAt("msg", ms) + randomBytes(8).toString("hex").slice(0, 16);
  const id = deliveryIdAt(ms);
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, payload, payload_text, created_at)
     VALUES ($1, $2, 'invoice.paid', '{"n": 1}', '{"n": 1}', $3)`,
    [eventId, app.id, new Date(ms)],
  );
  await db().pool.query(
    `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, attempt_count, created_at, completed_at)
     VALUES ($1, $2, $3, $4, 'invoice.paid', 'success', $5, $6, $6)`,
    [id, app.id, eventId, endpointId, attemptOffsets.length, new Date(ms)],
  );
  for (const [i, offset] of attemptOffsets.entries())
    await db().pool.query(
      `INSERT INTO attempts (id, delivery_id, app_id, endpoint_id, attempt_number, request_url, response_status, duration_ms, error, created_at)
       VALUES ($1, $2, $3, $4, $5, 'https://r.example.com/hook', $6, 5, $7, $8)`,
      [
        idAt("atm", ms + offset) + randomBytes(8).toString("hex").slice(0, 16),
        id,
        app.id,
        endpointId,
        i + 1,
        i === attemptOffsets.length - 1 ? 200 : 500,
        i === attemptOffsets.length - 1 ? null : "HTTP 500",
        new Date(ms + offset),
      ],
    );
  return id;
}

/** The partition a row of `table` is stored in. */
async function partitionOf(table: "deliveries" | "attempts", column: string, value: string) {
  const { rows } = await db().pool.query<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM ${table} WHERE ${column} = $1`,
    [value],
  );
  return rows.map((r) => r.part);
}

/** The bounds of every partition of a table after the migration's. */
async function rangesOf(table: "deliveries" | "attempts") {
  return (await listLogPartitions(table)).ranges
    .filter((r) => r.from !== null)
    .map((r) => [r.name.replace(/^\w+?_p/, ""), r.from, r.to]);
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");

/** The partitions ensureLogPartitions makes from `fromMs` until `untilMs` is covered. */
function expectedRanges(fromMs: number, untilMs: number) {
  const out: [string, string, string][] = [];
  for (let at = fromMs; at < untilMs; at = startOfPeriod(at) + PARTITION_MS)
    out.push([dateOf(at), idAt("dlv", at), idAt("dlv", startOfPeriod(at) + PARTITION_MS)]);
  return out;
}

/** The partition (after the migration's) that holds a delivery id made at `ms`. */
async function partitionAt(ms: number): Promise<string> {
  const id = idAt("dlv", ms);
  const found = (await listLogPartitions("deliveries")).ranges.find(
    (r) => r.from !== null && r.from <= id && id < r.to,
  );
  return found!.name.replace(/^deliveries_p/, "");
}

/** The first UTC midnight after the partitions made by the migration (`*_p_before`) end. */
let firstDay: number;

beforeAll(async () => {
  app = await createTestApp("partitions");
  endpointId = (await createTestEndpoint(app, { url: "https://r.example.com/hook" })).endpoint.id;
  const before = (await listLogPartitions("deliveries")).ranges;
  expect(before.map((r) => [r.name, r.from])).toEqual([["deliveries_p_before", null]]);
  firstDay = startOfUtcDay(Date.now()) + DAY;
  expect(before[0]!.to).toBe(dayBound(firstDay));
});

describe("delivery log partitions", () => {
  it("are made ahead in both tables with the same bounds, once, and again after a restart", async () => {
    const now = new Date(firstDay + 2 * 3_600_000);
    const made = await ensureLogPartitions({ now, daysAhead: 2 });
    const expected = expectedRanges(firstDay, startOfUtcDay(now.getTime()) + 3 * DAY);
    expect(made.created).toEqual([
      ...expected.map(([d]) => `deliveries_p${d}`),
      ...expected.map(([d]) => `attempts_p${d}`),
    ]);
    expect(await rangesOf("deliveries")).toEqual(expected);
    expect(await rangesOf("attempts")).toEqual(expected);
    // Past the first (partial) one, each partition is a week from a Monday.
    for (const [, from, to] of expected.slice(1)) {
      expect(new Date(timeOfId(from)!).getUTCDay()).toBe(1);
      expect(timeOfId(to)! - timeOfId(from)!).toBe(PARTITION_MS);
    }
    // Each partition has the table's indexes and storage settings.
    const { rows } = await db().pool.query<{ n: string; options: string[] | null }>(
      `SELECT (SELECT count(*) FROM pg_indexes WHERE tablename = $1) AS n,
              (SELECT reloptions FROM pg_class WHERE relname = $1) AS options`,
      [`deliveries_p${expected[0]![0]}`],
    );
    expect(rows[0]).toEqual({
      n: "4",
      options: ["fillfactor=25", "autovacuum_vacuum_scale_factor=0.02"],
    });

    // A second run the same day makes nothing; a run three weeks later (a restart) makes the new weeks.
    expect((await ensureLogPartitions({ now, daysAhead: 2 })).created).toEqual([]);
    const later = await ensureLogPartitions({
      now: new Date(now.getTime() + 21 * DAY),
      daysAhead: 2,
    });
    expect(later.created.length).toBeGreaterThanOrEqual(6);
    expect(later.created.every((name) => /_p\d{8}$/.test(name))).toBe(true);
  });

  it("moves rows that reached the DEFAULT partition into their day when it is made", async () => {
    const farDay = firstDay + 30 * DAY;
    const id = await seedDelivery(farDay + 3_600_000);
    expect(await partitionOf("deliveries", "id", id)).toEqual(["deliveries_p_default"]);
    expect(await partitionOf("attempts", "delivery_id", id)).toEqual(["attempts_p_default"]);

    const made = await ensureLogPartitions({ now: new Date(farDay), daysAhead: 0 });
    expect(made.moved).toBe(2);
    const part = await partitionAt(farDay + 3_600_000);
    expect(await partitionOf("deliveries", "id", id)).toEqual([`deliveries_p${part}`]);
    expect(await partitionOf("attempts", "delivery_id", id)).toEqual([`attempts_p${part}`]);
    expect((await getDelivery(app, id)).attempts).toHaveLength(1);
  });

  it("keeps a delivery's retries in its own partition, across the week's end", async () => {
    // The last minute of a week that has a partition (test 2 made them up to day 30).
    const weekEnd = startOfPeriod(firstDay + 14 * DAY);
    const id = await seedDelivery(weekEnd - 60_000, [0, 30_000, 2 * 3_600_000]);
    const part = await partitionAt(weekEnd - 60_000);
    expect(part).not.toBe(await partitionAt(weekEnd));
    expect(await partitionOf("attempts", "delivery_id", id)).toEqual([
      `attempts_p${part}`,
      `attempts_p${part}`,
      `attempts_p${part}`,
    ]);
    const detail = await getDelivery(app, id);
    expect(detail.attempts.map((a) => a.response_status)).toEqual([500, 500, 200]);
    expect(new Date(detail.attempts[2]!.created_at).getTime()).toBeGreaterThan(weekEnd);
  });

  it("retention drops whole partitions past the period in both tables, holds one with a queued delivery, and leaves newer ones alone", async () => {
    const ranges = (await listLogPartitions("deliveries")).ranges.filter((r) => r.from !== null);
    const start = (i: number) => timeOfId(ranges[i]!.from!)!;
    const name = (i: number) => ranges[i]!.name.replace(/^deliveries_p/, "");
    const old = await seedDelivery(start(1) + 1_000);
    const queued = await seedDelivery(start(2) + 1_000);
    const kept = await seedDelivery(start(3) + 1_000);
    await db().pool.query(
      `INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at) VALUES ($1, $2, $3, now())`,
      [queued, app.id, endpointId],
    );
    const rollupsBefore = await db().pool.query(
      "SELECT * FROM delivery_rollups_hourly ORDER BY 1, 2",
    );

    // Retention of 1 day, seen from a day after partition 3 starts: 0..2 are past it, 3 is not.
    const result = await dropExpiredLogPartitions({
      now: new Date(start(3) + DAY),
      retentionDays: 1,
    });
    expect(result.held).toEqual([`deliveries_p${name(2)}`]);
    expect(result.dropped).toEqual(
      expect.arrayContaining([
        "deliveries_p_before",
        "attempts_p_before",
        `deliveries_p${name(0)}`,
        `attempts_p${name(0)}`,
        `deliveries_p${name(1)}`,
        `attempts_p${name(1)}`,
      ]),
    );
    expect(result.dropped).not.toContain(`deliveries_p${name(3)}`);
    await expect(getDelivery(app, old)).rejects.toMatchObject({ status: 404 });
    expect((await getDelivery(app, queued)).id).toBe(queued);
    expect((await getDelivery(app, kept)).attempts).toHaveLength(1);
    expect((await listLogPartitions("deliveries")).ranges[0]!.name).toBe(`deliveries_p${name(2)}`);
    expect((await listLogPartitions("attempts")).ranges[0]!.name).toBe(`attempts_p${name(2)}`);
    // Analytics come from the hourly rollups, which a dropped partition does not touch.
    expect(
      (await db().pool.query("SELECT * FROM delivery_rollups_hourly ORDER BY 1, 2")).rows,
    ).toEqual(rollupsBefore.rows);

    // Once the delivery leaves the queue, its partition goes on the next run; 0 days keeps everything.
    await db().pool.query("DELETE FROM delivery_queue WHERE delivery_id = $1", [queued]);
    expect(
      (await dropExpiredLogPartitions({ now: new Date(start(3) + 400 * DAY), retentionDays: 0 }))
        .dropped,
    ).toEqual([]);
    const again = await dropExpiredLogPartitions({
      now: new Date(start(3) + DAY),
      retentionDays: 1,
    });
    expect(again).toMatchObject({
      dropped: [`deliveries_p${name(2)}`, `attempts_p${name(2)}`],
      held: [],
    });
    await expect(getDelivery(app, queued)).rejects.toMatchObject({ status: 404 });
  });

  it("drops a partition a stopped run detached but did not drop, without locking the log meanwhile; a table named for a later week stays", async () => {
    const ranges = (await listLogPartitions("deliveries")).ranges.filter((r) => r.from !== null);
    const [gone, kept] = [ranges[0]!, ranges[1]!];
    const twin = `attempts_p${gone.name.replace(/^deliveries_p/, "")}`;
    const keptStart = timeOfId(kept.from!)!;
    const old = await seedDelivery(timeOfId(gone.from!)! + 1_000);
    const fresh = await seedDelivery(keptStart + 1_000);
    // A run that stopped after the detach (a crash between the two steps).
    await db().pool.query(`ALTER TABLE deliveries DETACH PARTITION ${gone.name}`);
    await db().pool.query(`ALTER TABLE attempts DETACH PARTITION ${twin}`);
    await db().pool.query(`CREATE TABLE deliveries_p20991228 (LIKE deliveries)`);
    await expect(getDelivery(app, old)).rejects.toMatchObject({ status: 404 });

    // A reader of the detached table makes the drop wait; the log must answer meanwhile.
    const holder = await db().pool.connect();
    try {
      await holder.query("BEGIN");
      await holder.query(`SELECT count(*) FROM ${gone.name}`);
      let settled = false;
      const retiring = dropExpiredLogPartitions({
        now: new Date(keptStart + DAY),
        retentionDays: 1,
      }).finally(() => (settled = true));
      const waiting = async () =>
        (
          await db().pool.query(
            `SELECT 1 FROM pg_locks WHERE relation = to_regclass($1) AND NOT granted`,
            [gone.name],
          )
        ).rowCount;
      for (let i = 0; i < 100 && !(await waiting()); i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(await waiting()).toBe(1);
      expect((await getDelivery(app, fresh)).id).toBe(fresh);
      const written = await seedDelivery(keptStart + 2_000);
      expect(await partitionOf("deliveries", "id", written)).toEqual([kept.name]);
      expect(settled).toBe(false);
      await holder.query("COMMIT");
      const result = await retiring;
      expect(result.dropped).toEqual(expect.arrayContaining([gone.name, twin]));
      expect(result.dropped).not.toContain(kept.name);
    } finally {
      holder.release();
    }
    const tables = await db().pool.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relname = ANY($1::text[])`,
      [[gone.name, twin, kept.name, "deliveries_p20991228"]],
    );
    expect(tables.rows.map((r) => r.name).sort()).toEqual([kept.name, "deliveries_p20991228"]);
    expect((await getDelivery(app, fresh)).attempts).toHaveLength(1);
  });

  it("deletes rows past retention from the DEFAULT partition, not newer ones", async () => {
    const farAhead = firstDay + 400 * DAY;
    const stale = await seedDelivery(farAhead + 1_000);
    const fresh = await seedDelivery(farAhead + 5 * DAY);
    expect(await partitionOf("deliveries", "id", stale)).toEqual(["deliveries_p_default"]);
    const result = await dropExpiredLogPartitions({
      now: new Date(farAhead + 3 * DAY),
      retentionDays: 1,
    });
    expect(result.deletedFromDefault).toBe(2); // the delivery and its attempt
    await expect(getDelivery(app, stale)).rejects.toMatchObject({ status: 404 });
    expect((await getDelivery(app, fresh)).attempts).toHaveLength(1);
  });
});
