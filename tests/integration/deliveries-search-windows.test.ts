/**
 * A payload search looks at the newest day, then week, then month, then the rest, and stops at
 * the first window that fills the page (lib/delivery-log/select-delivery-page.ts). Whatever the
 * windows, every page must be exactly the next rows of the whole log's order: here the matches
 * sit an hour, days, weeks, months and over a year back, so pages start inside one window and
 * end in another, by cursor and by offset, with and without a date range.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "@/generated/prisma/client";
import { listDeliveries, type ListDeliveriesInput } from "@/lib/delivery-log/list-deliveries";
import { MATCHING_EVENTS_LIMIT, SEARCH_WINDOWS_MS } from "@/lib/delivery-log/select-delivery-page";
import { acceptAppEvent } from "@/lib/events/trigger-event";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, fanOutNow } from "../helpers/delivery-fixtures";

const db = useTestDatabase();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long before now each event was accepted: inside and across every window's edge. */
const AGES = [
  HOUR,
  2 * HOUR,
  20 * HOUR,
  DAY + HOUR,
  3 * DAY,
  6 * DAY,
  8 * DAY,
  15 * DAY,
  29 * DAY,
  33 * DAY,
  90 * DAY,
  400 * DAY,
];

let app: App;
/** Event ids by age, and whether each matches `kind = "a"`. */
let events: { id: string; age: number; matches: boolean }[];

beforeAll(async () => {
  app = await createTestApp("windows");
  for (let i = 0; i < 2; i++) await createTestEndpoint(app, { url: `http://127.0.0.1:9/${i}` });
  events = [];
  for (const [i, age] of AGES.entries())
    for (const kind of ["a", "b", "a"]) {
      const accepted = await acceptAppEvent(
        app,
        { name: "order.created", payload: { kind, i }, key: null, channels: [] },
        "event_name",
      );
      events.push({ id: accepted.eventId, age, matches: kind === "a" });
    }
  await fanOutNow();
  // As if accepted then: an event and its deliveries share `created_at` (fan-out copies it).
  const now = Date.now();
  for (const [n, e] of events.entries()) {
    const at = new Date(now - e.age - n); // distinct times, newest first by creation order
    await db().pool.query("UPDATE events SET created_at = $2 WHERE id = $1", [e.id, at]);
    await db().pool.query("UPDATE deliveries SET created_at = $2 WHERE event_id = $1", [e.id, at]);
  }
});

/** The matching deliveries in the log's order (newest first), from the database directly. */
async function expected(range: { from?: Date; to?: Date } = {}): Promise<string[]> {
  const { rows } = await db().pool.query<{ id: string }>(
    `SELECT id FROM deliveries WHERE app_id = $1 AND event_id = ANY($2)
       AND ($3::timestamptz IS NULL OR created_at >= $3) AND ($4::timestamptz IS NULL OR created_at <= $4)
     ORDER BY created_at DESC, id DESC`,
    [app.id, events.filter((e) => e.matches).map((e) => e.id), range.from, range.to],
  );
  return rows.map((r) => r.id);
}

const search = (extra: Partial<ListDeliveriesInput> = {}): ListDeliveriesInput => ({
  limit: 3,
  payload: { field: "kind", eq: "a" },
  ...extra,
});

async function walkByCursor(input: ListDeliveriesInput, of: App = app): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const { data, nextCursor } = await listDeliveries(of, { ...input, cursor });
    expect(data.length).toBeLessThanOrEqual(input.limit);
    seen.push(...data.map((d) => d.id));
    if (!nextCursor) return seen;
    cursor = nextCursor;
  }
  throw new Error("too many pages");
}

describe("payload search in widening windows", () => {
  it("the windows are a day, a week and a month", () => {
    expect(SEARCH_WINDOWS_MS).toEqual([DAY, 7 * DAY, 31 * DAY]);
  });

  it("pages by cursor through every window to the oldest match, in the log's order", async () => {
    const all = await expected();
    expect(all).toHaveLength(AGES.length * 2 * 2);
    expect(await walkByCursor(search())).toEqual(all);
    expect(await walkByCursor(search({ limit: 7 }))).toEqual(all);
  });

  it("pages by offset the same way", async () => {
    const all = await expected();
    for (const offset of [0, 2, 5, 11, 17, 40, 46, 47]) {
      const { data } = await listDeliveries(app, search({ limit: 4, offset }));
      expect(
        data.map((d) => d.id),
        `offset ${offset}`,
      ).toEqual(all.slice(offset, offset + 4));
    }
  });

  it("finds nothing when nothing matches, in any window", async () => {
    const { data } = await listDeliveries(app, search({ payload: { field: "kind", eq: "z" } }));
    expect(data).toEqual([]);
  });

  it("walks the log once the windows hold more matching events than it collects", async () => {
    const bulk = await createTestApp("windows-bulk");
    const { endpoint } = await createTestEndpoint(bulk, { url: "http://127.0.0.1:9/bulk" });
    // Event i: one delivery, i * 33 minutes old, so the day holds 44 of them, the week 306, the
    // month 1,353 and the rest go back 60 days.
    const count = MATCHING_EVENTS_LIMIT + 600;
    const at = "now() - make_interval(mins => i * 33)";
    await db().pool.query(
      `INSERT INTO events (id, app_id, name, payload, created_at)
       SELECT 'msg_bulk' || i, $1, 'order.created', jsonb_build_object('n', i, 'odd', i % 2 = 1), ${at}
       FROM generate_series(1, $2) AS i`,
      [bulk.id, count],
    );
    await db().pool.query(
      `INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, created_at, updated_at)
       SELECT 'dlv_bulk' || i, $1, 'msg_bulk' || i, $2, 'order.created', 'success', ${at}, now()
       FROM generate_series(1, $3) AS i`,
      [bulk.id, endpoint.id, count],
    );
    for (const [payload, where] of [
      [{ field: "odd", eq: true }, "i % 2 = 1"],
      [{ field: "n", lt: 2000 }, "i < 2000"],
      [{ field: "n", gt: 0 }, "true"], // more than it collects: walks from the month on
      [{ field: "n", gt: 2500 }, "i > 2500"],
    ] as const) {
      const { rows } = await db().pool.query<{ id: string }>(
        `SELECT 'dlv_bulk' || i AS id FROM generate_series(1, $1) AS i WHERE ${where} ORDER BY i`,
        [count],
      );
      expect(await walkByCursor({ limit: 100, payload }, bulk), JSON.stringify(payload)).toEqual(
        rows.map((r) => r.id),
      );
    }
  });

  it("keeps a date range's bounds, whichever window it starts in", async () => {
    const now = Date.now();
    for (const [from, to] of [
      [now - 10 * DAY, now - 2 * DAY],
      [now - 40 * DAY, now - 30 * DAY],
      [now - 500 * DAY, now - 20 * HOUR],
    ] as const) {
      const range = { from: new Date(from), to: new Date(to) };
      expect(await walkByCursor(search({ start_date: range.from, end_date: range.to }))).toEqual(
        await expected(range),
      );
    }
  });
});
