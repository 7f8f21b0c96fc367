/**
 * Waking workers after a trigger: this process's workers at once, other processes by a NOTIFY
 * that many triggers in a short time share (a NOTIFY per trigger serialised their commits).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { eventually } from "../helpers/delivery-fixtures";
import { poolConfigFromUrl } from "@/lib/db/url";
import { announceDeliveriesDue, DELIVERIES_DUE_CHANNEL, onDeliveriesDueHere } from "@/lib/jobs/wakeup";

const db = useTestDatabase();
let other: pg.Client;
const heard: number[] = [];

beforeAll(async () => {
  other = new pg.Client(poolConfigFromUrl(db().url));
  await other.connect();
  other.on("notification", () => heard.push(Date.now()));
  await other.query(`LISTEN ${DELIVERIES_DUE_CHANNEL}`);
});
afterAll(() => other.end());

describe("announceDeliveriesDue", () => {
  it("wakes local workers on every call and other processes with one shared NOTIFY per interval", async () => {
    let localWakes = 0;
    const unregister = onDeliveriesDueHere(() => localWakes++);
    try {
      for (let i = 0; i < 100; i++) announceDeliveriesDue();
      expect(localWakes).toBe(100);
      await eventually(async () => (heard.length > 0 ? true : undefined), 5_000, "a notification");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toHaveLength(1);

      // A later burst is announced too, at least the interval after the first.
      announceDeliveriesDue();
      await eventually(async () => (heard.length > 1 ? true : undefined), 5_000, "a second notification");
      expect(heard).toHaveLength(2);
      expect(heard[1]! - heard[0]!).toBeGreaterThanOrEqual(40);
    } finally {
      unregister();
    }
    announceDeliveriesDue();
    expect(localWakes).toBe(101);
  });
});
