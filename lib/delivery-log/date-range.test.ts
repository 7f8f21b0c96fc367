import { describe, expect, it } from "vitest";
import { dateTimeParam } from "@/lib/delivery-log/date-range";

describe("dateTimeParam", () => {
  it("accepts RFC 3339 date-times with Z or an offset, and bare dates as midnight UTC", () => {
    expect(dateTimeParam.parse("2026-04-01T23:59:59Z").toISOString()).toBe(
      "2026-04-01T23:59:59.000Z",
    );
    expect(dateTimeParam.parse("2026-04-01T23:59:59.123+02:00").toISOString()).toBe(
      "2026-04-01T21:59:59.123Z",
    );
    expect(dateTimeParam.parse("2026-04-01").toISOString()).toBe("2026-04-01T00:00:00.000Z");
  });

  it.each([
    "yesterday",
    "2026-13-01T00:00:00Z",
    "2026-02-30",
    "2026-04-01 10:00",
    "1712000000",
    "",
  ])("refuses %j", (value) => {
    expect(dateTimeParam.safeParse(value).success).toBe(false);
  });
});

describe("checkDateOrder", () => {
  it("reports a reversed range on end_date, and ignores dates that did not parse", async () => {
    const { listDeliveriesQuery } = await import("@/lib/delivery-log/schemas");
    const reversed = listDeliveriesQuery.safeParse({
      start_date: "2026-04-02",
      end_date: "2026-04-01",
    });
    expect(reversed.error!.issues.map((i) => i.path.join("."))).toEqual(["end_date"]);
    const bad = listDeliveriesQuery.safeParse({ start_date: "yesterday", end_date: "2026-04-01" });
    expect(bad.error!.issues.map((i) => i.path.join("."))).toEqual(["start_date"]);
  });
});
