/**
 * The part of the portal the user can see. In a plain tab that is the window. Inside an iframe
 * that the host sizes to the content (docs/embedding.md), the frame's own viewport is the whole
 * frame and the host's page scrolls; what the host shows of it is learnt from an
 * IntersectionObserver, whose implicit root for a (cross-origin) frame is the top-level
 * viewport. Dialogs, the drawer and toasts are placed in that band.
 */
import { isFramed, postToParent, rememberedEmbedOrigins } from "@/lib/portal/embed";

/** A vertical band of the portal's viewport, in its CSS pixels. */
export interface VisibleBand {
  top: number;
  height: number;
}

/** Less than this much of the frame visible: ask the host to scroll the frame into view. */
export const MIN_VISIBLE = 360;

function windowBand(): VisibleBand {
  return { top: 0, height: window.innerHeight };
}

/** The band of the frame that the host's viewport shows now (the window in a plain tab). */
export function measureVisibleBand(): Promise<VisibleBand> {
  if (typeof window === "undefined" || !isFramed() || typeof IntersectionObserver === "undefined") {
    return Promise.resolve(typeof window === "undefined" ? { top: 0, height: 0 } : windowBand());
  }
  return new Promise((resolve) => {
    const observer = new IntersectionObserver((entries) => {
      observer.disconnect();
      const rect = entries[entries.length - 1]!.intersectionRect;
      const top = Math.max(0, rect.top);
      const bottom = Math.min(window.innerHeight, rect.bottom);
      resolve({ top, height: Math.max(0, bottom - top) });
    });
    observer.observe(document.documentElement);
  });
}

const nextFrames = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) =>
      left <= 0 ? resolve() : requestAnimationFrame(() => step(left - 1));
    step(n);
  });

/**
 * The visible band, after asking the host (message `hookline:scroll-into-view`) to bring
 * `around` (a frame y coordinate) into its viewport when too little of the frame shows.
 */
export async function visibleBandFor(around: number, want: number): Promise<VisibleBand> {
  const band = await measureVisibleBand();
  if (!isFramed() || band.height >= Math.min(MIN_VISIBLE, want)) return band;
  // A region of the frame `want` tall starting a little above `around`, kept inside the frame.
  const top = Math.max(
    0,
    Math.round(Math.min(around - 80, document.documentElement.scrollHeight - want)),
  );
  postToParent(
    { type: "hookline:scroll-into-view", top, height: Math.round(want) },
    rememberedEmbedOrigins(),
  );
  // The host scrolls on its next task; wait a few frames and look again.
  await nextFrames(4);
  return measureVisibleBand();
}

/** Where a box of `height` goes inside `band`: its top and the height it may use. */
export function placeInBand(band: VisibleBand, margin = 16): { top: number; maxHeight: number } {
  const maxHeight = Math.max(120, band.height - 2 * margin);
  return { top: Math.round(band.top + margin), maxHeight: Math.round(maxHeight) };
}
