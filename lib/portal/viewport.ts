/**
 * The part of the portal the user can see. In a plain tab that is the window. Inside an iframe
 * that the host sizes to the content (docs/embedding.md), the frame's own viewport is the whole
 * frame and the host's page scrolls. What the host shows of it, less what the host's own fixed
 * parts cover (a sticky header), comes from the host's `hookline:viewport` messages; a host
 * that sends none is measured with an IntersectionObserver, whose implicit root for a
 * (cross-origin) frame is the top-level viewport. Dialogs, the drawer and toasts are placed in
 * that band, and follow it while the host scrolls.
 */
import {
  bandOfHostViewport,
  fromEmbedder,
  isFramed,
  parseHostViewport,
  postToParent,
  rememberedEmbedOrigins,
  type HostViewport,
} from "@/lib/portal/embed";

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

let hostViewport: HostViewport | null = null;
let hostViewportSeq = 0;
const hostListeners = new Set<() => void>();

/**
 * Listens to the host's `hookline:viewport` messages (once per page; the shell calls it).
 * Returns a function that stops listening.
 */
export function listenToHost(): () => void {
  if (typeof window === "undefined") return () => {};
  const onMessage = (event: MessageEvent) => {
    if (!fromEmbedder(event, rememberedEmbedOrigins())) return;
    const v = parseHostViewport(event.data);
    if (!v) return;
    hostViewport = v;
    hostViewportSeq++;
    hostListeners.forEach((l) => l());
  };
  window.addEventListener("message", onMessage);
  return () => window.removeEventListener("message", onMessage);
}

/** Called whenever the host reports a new geometry (it scrolled, resized, or answered). */
export function subscribeHostViewport(listener: () => void): () => void {
  hostListeners.add(listener);
  return () => hostListeners.delete(listener);
}

/** The band the host's last `hookline:viewport` describes, or null when it sent none. */
export function hostBand(): VisibleBand | null {
  if (!hostViewport || typeof window === "undefined") return null;
  return bandOfHostViewport(hostViewport, window.innerHeight);
}

/** The band of the frame that the host's viewport shows now (the window in a plain tab). */
export function measureVisibleBand(): Promise<VisibleBand> {
  if (typeof window === "undefined" || !isFramed()) {
    return Promise.resolve(typeof window === "undefined" ? { top: 0, height: 0 } : windowBand());
  }
  const fromHost = hostBand();
  if (fromHost) return Promise.resolve(fromHost);
  if (typeof IntersectionObserver === "undefined") return Promise.resolve(windowBand());
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

/** The host's next `hookline:viewport` after now, or nothing after `ms` (a host without one). */
function nextHostViewport(ms: number): Promise<void> {
  const seq = hostViewportSeq;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop();
      resolve();
    };
    const stop = subscribeHostViewport(() => {
      if (hostViewportSeq !== seq) done();
    });
    const timer = setTimeout(done, ms);
  });
}

/**
 * The region of the frame (`top`, `height`, frame px) to ask the host to show: `height` tall,
 * overlapping what shows now (or starting at `around`, a frame y, when nothing does), inside
 * the frame. Asking for the part next to what the user sees keeps the host's scroll small.
 */
export function regionToReveal(
  band: VisibleBand,
  around: number,
  height: number,
  frameHeight: number,
): { top: number; height: number } {
  const h = Math.min(height, frameHeight);
  const start = band.height > 0 ? band.top : around - 80;
  return { top: Math.round(Math.max(0, Math.min(start, frameHeight - h))), height: Math.round(h) };
}

/**
 * The visible band, after asking the host (message `hookline:scroll-into-view`) to bring a
 * little more of the frame into its viewport when less than MIN_VISIBLE shows.
 */
export async function visibleBandFor(around: number, want: number): Promise<VisibleBand> {
  const band = await measureVisibleBand();
  const need = Math.min(MIN_VISIBLE, want);
  if (!isFramed() || band.height >= need) return band;
  const region = regionToReveal(band, around, need, document.documentElement.scrollHeight);
  postToParent({ type: "hookline:scroll-into-view", ...region }, rememberedEmbedOrigins());
  // The host scrolls on its next task and reports where the frame is now.
  await nextHostViewport(400);
  return measureVisibleBand();
}

/** Where a box goes inside `band`: its top and the height it may use. */
export function placeInBand(band: VisibleBand, margin = 16): { top: number; maxHeight: number } {
  const maxHeight = Math.max(120, band.height - 2 * margin);
  return { top: Math.round(band.top + margin), maxHeight: Math.round(maxHeight) };
}
