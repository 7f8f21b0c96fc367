import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageOf } from "@/lib/http/pagination";
import { ApiError } from "@/lib/http/errors";

describe("keyset cursors", () => {
  const key = { createdAt: new Date("2026-04-01T10:00:00.123Z"), id: "dlv_01abc" };

  it("round-trips within the same query", () => {
    const cursor = encodeCursor(key, { app: "a", status: "failed" });
    expect(decodeCursor(cursor, { app: "a", status: "failed" })).toEqual(key);
  });

  it("refuses a cursor from another query or app, and garbage, as a 400 on `cursor`", () => {
    const cursor = encodeCursor(key, { app: "a" });
    for (const [c, scope] of [
      [cursor, { app: "b" }],
      ["not-base64!", { app: "a" }],
      ["e30", { app: "a" }],
    ] as const) {
      let err: unknown;
      try {
        decodeCursor(c, scope);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(400);
      expect((err as ApiError).message).toMatch(/^cursor: /);
    }
  });

  it("gives a next cursor only when there is a further row", () => {
    const rows = [1, 2, 3].map((n) => ({ createdAt: new Date(n * 1000), id: `r${n}` }));
    expect(pageOf(rows, 3, {}).nextCursor).toBeNull();
    const page = pageOf(rows, 2, {});
    expect(page.data.map((r) => r.id)).toEqual(["r1", "r2"]);
    expect(decodeCursor(page.nextCursor!, {})).toEqual(rows[1]);
  });
});
