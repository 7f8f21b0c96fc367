import { describe, expect, it } from "vitest";
import { replayDeliveriesRequest } from "@/lib/replays/schemas";

const paths = (value: unknown) => {
  const result = replayDeliveriesRequest.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
};

describe("replayDeliveriesRequest", () => {
  it("takes delivery ids, or a date range with filters (seed 001/003 shapes)", () => {
    expect(paths({ delivery_ids: ["dlv_1"] })).toEqual([]);
    expect(
      paths({
        status: "failed",
        start_date: "2026-04-01T00:00:00Z",
        end_date: "2026-04-01T23:59:59Z",
      }),
    ).toEqual([]);
    expect(
      paths({
        start_date: "2026-04-01",
        end_date: "2026-04-02",
        event_names: ["invoice.paid"],
        endpoint_id: "ep_1",
        status: "all",
        dry_run: true,
      }),
    ).toEqual([]);
  });

  it("names what is wrong", () => {
    expect(paths({})).toEqual(["delivery_ids"]);
    expect(paths({ delivery_ids: [] })).toEqual(["delivery_ids"]);
    expect(paths({ delivery_ids: ["a"], start_date: "2026-04-01T00:00:00Z" })).toEqual([
      "delivery_ids",
    ]);
    expect(paths({ start_date: "2026-04-01T00:00:00Z" })).toEqual(["end_date"]);
    expect(paths({ end_date: "2026-04-01T00:00:00Z" })).toEqual(["start_date"]);
    expect(paths({ start_date: "2026-04-02T00:00:00Z", end_date: "2026-04-01T00:00:00Z" })).toEqual(
      ["end_date"],
    );
    expect(paths({ delivery_ids: ["a"], status: "success" })).toEqual(["status"]);
    expect(paths({ delivery_ids: ["a"], colour: "red" })).toEqual([""]);
    expect(paths({ start_date: "soon", end_date: "2026-04-01T00:00:00Z" })).toEqual(["start_date"]);
  });
});
