import { describe, expect, it } from "vitest";
import { dateTimeText, parseDateTimeText } from "@/lib/portal/format";
import { bandOfHostViewport, parseHostViewport } from "@/lib/portal/embed";
import { regionToReveal } from "@/lib/portal/viewport";

describe("the date-time text field", () => {
  it("reads a typed date and time, with a space or a T, into a datetime-local value", () => {
    expect(parseDateTimeText("2026-12-06 14:30")).toBe("2026-12-06T14:30");
    expect(parseDateTimeText("2026-12-06T14:30")).toBe("2026-12-06T14:30");
    expect(parseDateTimeText(" 2026-1-6 9:05 ")).toBe("2026-01-06T09:05");
    expect(parseDateTimeText("")).toBe("");
    expect(dateTimeText("2026-12-06T14:30")).toBe("2026-12-06 14:30");
  });

  it("refuses what is half typed or cannot be", () => {
    for (const text of [
      "2026-12-06",
      "2026-12-06 14:",
      "2026-02-31 10:00",
      "2026-12-06 24:00",
      "x",
    ])
      expect(parseDateTimeText(text), text).toBeNull();
  });
});

describe("the host's viewport message", () => {
  it("is checked field by field, insets clamped", () => {
    expect(parseHostViewport({ type: "hookline:resize", height: 3 })).toBeNull();
    expect(parseHostViewport({ type: "hookline:viewport", frameTop: "0" })).toBeNull();
    expect(
      parseHostViewport({
        type: "hookline:viewport",
        frameTop: -300,
        viewportHeight: 800,
        insets: { top: 51, bottom: -4 },
      }),
    ).toEqual({ frameTop: -300, viewportHeight: 800, insetTop: 51, insetBottom: 0 });
  });

  it("gives the band of the frame below the host's header", () => {
    const v = { frameTop: -300, viewportHeight: 800, insetTop: 51, insetBottom: 0 };
    expect(bandOfHostViewport(v, 2000)).toEqual({ top: 351, height: 749 });
    // Frame starting below the header, its bottom below the viewport.
    expect(bandOfHostViewport({ ...v, frameTop: 550 }, 2000)).toEqual({ top: 0, height: 250 });
    // Scrolled past.
    expect(bandOfHostViewport({ ...v, frameTop: -2500 }, 2000).height).toBe(0);
  });

  it("asks for the region next to what shows, so the host scrolls little", () => {
    expect(regionToReveal({ top: 0, height: 250 }, 200, 360, 2000)).toEqual({
      top: 0,
      height: 360,
    });
    // The frame's last 100 px show: the region ends at the frame's end.
    expect(regionToReveal({ top: 1900, height: 100 }, 1950, 360, 2000)).toEqual({
      top: 1640,
      height: 360,
    });
  });
});
