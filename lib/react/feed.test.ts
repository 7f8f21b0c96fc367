import { describe, expect, it } from "vitest";
import { deliveryFeedPollInterval, newDeliveriesIn } from "./hooks";
import type { DeliverySummary } from "./types";

const row = (id: string, created_at: string, status: DeliverySummary["status"] = "success") =>
  ({ id, created_at, status }) as DeliverySummary;
const page = (data: DeliverySummary[], has_more = false) => ({
  data,
  next_cursor: has_more ? "c" : null,
  has_more,
});

describe("the delivery feed counts what arrived instead of inserting it", () => {
  const shown = [row("d3", "2026-01-01T00:00:03Z"), row("d2", "2026-01-01T00:00:02Z")];
  it("counts rows of the newest page newer than the newest shown", () => {
    const head = page([
      row("d5", "2026-01-01T00:00:05Z"),
      row("d4", "2026-01-01T00:00:04Z"),
      ...shown,
    ]);
    expect(newDeliveriesIn(head, shown)).toEqual({ count: 2, more: false });
  });
  it("nothing new: zero; an older row missing from the list is not new", () => {
    expect(newDeliveriesIn(page(shown), shown)).toEqual({ count: 0, more: false });
    expect(
      newDeliveriesIn(page([...shown, row("d1", "2026-01-01T00:00:01Z")]), [shown[0]!]),
    ).toEqual({ count: 0, more: false });
  });
  it("a whole page of new ones with more behind it reads as 'N+'", () => {
    const head = page([row("d9", "2026-01-01T00:00:09Z"), row("d8", "2026-01-01T00:00:08Z")], true);
    expect(newDeliveriesIn(head, shown)).toEqual({ count: 2, more: true });
  });
  it("polls quickly only while a shown row is in flight", () => {
    expect(deliveryFeedPollInterval([row("a", "x", "pending")])).toBe(3_000);
    expect(deliveryFeedPollInterval([row("a", "x", "retrying")])).toBe(3_000);
    expect(deliveryFeedPollInterval([row("a", "x", "failed")])).toBe(10_000);
  });
});
