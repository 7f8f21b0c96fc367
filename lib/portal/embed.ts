/**
 * Embedding options of the hosted portal, from its query string (they travel with every link
 * inside the portal so a framed portal keeps them):
 *
 * - `theme=light|dark|auto` — overrides the app's `branding.theme` (default auto: the OS setting)
 * - `embed=1` — no header of its own (the host page has one): compact navigation tabs only
 * - `nav=0` — with `embed=1`, no navigation either, for a single page inside the host's own UI
 * - svix-react's `AppPortal` parameters: `darkMode=true|auto` (a `theme` of dark or auto when no
 *   `theme` is given) and `primaryColor` (`#rrggbb`, over the app's `branding.primary_color`);
 *   its `icon` and `fontFamily` are ignored: the app's branding keeps its logo, and the portal
 *   loads no fonts from elsewhere
 *
 * and the messages the portal posts to a parent window (see docs/embedding.md).
 */
export type PortalTheme = "light" | "dark" | "auto";

export const KEPT_PARAMS = ["theme", "embed", "nav", "darkMode", "primaryColor"] as const;

export function parseTheme(value: string | null | undefined): PortalTheme | null {
  return value === "light" || value === "dark" || value === "auto" ? value : null;
}

export function isEmbed(value: string | null | undefined): boolean {
  return value === "1" || value === "true";
}

/** svix-react's `darkMode` parameter (`true`, `auto`; `false` for completeness) as a theme. */
export function themeOfDarkMode(value: string | null | undefined): PortalTheme | null {
  if (value === "true" || value === "1") return "dark";
  if (value === "auto") return "auto";
  if (value === "false" || value === "0") return "light";
  return null;
}

/**
 * The theme to show: the query string (`theme`, else svix-react's `darkMode`), else the app's
 * branding, else the OS setting.
 */
export function resolveTheme(
  query: { get(name: string): string | null },
  branding: string | null | undefined,
): PortalTheme {
  return (
    parseTheme(query.get("theme")) ??
    themeOfDarkMode(query.get("darkMode")) ??
    parseTheme(branding) ??
    "auto"
  );
}

/** `href` with the kept embedding parameters of `current` appended. */
export function withKeptParams(
  href: string,
  current: URLSearchParams | { get(name: string): string | null },
): string {
  const [path, query = ""] = href.split("?", 2) as [string, string?];
  const params = new URLSearchParams(query);
  for (const name of KEPT_PARAMS) {
    const value = current.get(name);
    if (value !== null && !params.has(name)) params.set(name, value);
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

const HEX = /^#([0-9a-fA-F]{6})$/;

/** A valid `#rrggbb` brand colour, or null. */
export function brandColor(value: string | null | undefined): string | null {
  return value && HEX.test(value) ? value.toLowerCase() : null;
}

/** svix-react's `primaryColor` parameter (`#rrggbb`, the `#` optional), else the app's colour. */
export function resolveBrandColor(
  query: { get(name: string): string | null },
  branding: string | null | undefined,
): string | null {
  const asked = query.get("primaryColor");
  const fromQuery = asked ? brandColor(asked.startsWith("#") ? asked : `#${asked}`) : null;
  return fromQuery ?? brandColor(branding);
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function readableOn(hex: string): "#ffffff" | "#0b1020" {
  const m = HEX.exec(hex);
  if (!m) return "#ffffff";
  const n = parseInt(m[1]!, 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const L =
    0.2126 * channel((n >> 16) & 255) +
    0.7152 * channel((n >> 8) & 255) +
    0.0722 * channel(n & 255);
  // Contrast with white (1.05 / (L + 0.05)) vs with near-black ((L + 0.05) / 0.06).
  return 1.05 / (L + 0.05) >= (L + 0.05) / 0.06 ? "#ffffff" : "#0b1020";
}

/** Messages to the parent window. */
export type PortalMessage =
  | { type: "hookline:resize"; height: number }
  | { type: "hookline:ready"; path: string }
  | { type: "hookline:navigate"; path: string }
  | { type: "hookline:access-needed"; reason: "no_ticket" | "invalid_ticket" | "session_expired" }
  | { type: "hookline:scroll-into-view"; top: number; height: number }
  /** A dialog or the drawer opened (`open: true`) or the last one closed: lock the host's scroll. */
  | { type: "hookline:modal"; open: boolean }
  /** svix-react's `AppPortal` resizes its frame on this one only. */
  | { type: "svix.iframe-resizer-height"; payload: { height: number } };

let sessionOrigins: readonly string[] | null = null;

/** The app's embed origins once the session is known, for messages sent outside the shell. */
export function rememberEmbedOrigins(origins: readonly string[] | null): void {
  sessionOrigins = origins;
}

export function rememberedEmbedOrigins(): readonly string[] | null {
  return sessionOrigins;
}

export function isFramed(): boolean {
  if (typeof window === "undefined") return false;
  try {
    return window.self !== window.top;
  } catch {
    return true;
  }
}

/**
 * Where messages may go: the parent's origin when the browser tells it (Chromium, Safari:
 * `location.ancestorOrigins`) and it is one of the app's embed origins; otherwise each embed
 * origin (a postMessage to a non-matching origin is dropped by the browser). Before the session
 * is known, messages carry nothing sensitive and go to `*`.
 */
export function messageTargets(embedOrigins: readonly string[] | null): string[] {
  if (typeof window === "undefined") return [];
  const own = window.location.origin;
  if (!embedOrigins) return ["*"];
  const allowed = [own, ...embedOrigins.map((o) => o.replace(/\/+$/, ""))];
  const parent = window.location.ancestorOrigins?.[0];
  if (parent) return allowed.includes(parent) ? [parent] : [];
  return [...new Set(allowed)];
}

export function postToParent(message: PortalMessage, embedOrigins: readonly string[] | null): void {
  if (!isFramed()) return;
  for (const target of messageTargets(embedOrigins)) {
    try {
      window.parent.postMessage(message, target);
    } catch {
      // A malformed origin in the list: skip it.
    }
  }
}

/** The content's height, in Hookline's message and in svix-react's. */
export function postHeightToParent(height: number, embedOrigins: readonly string[] | null): void {
  postToParent({ type: "hookline:resize", height }, embedOrigins);
  postToParent({ type: "svix.iframe-resizer-height", payload: { height } }, embedOrigins);
}

/**
 * The host's message to the portal (docs/embedding.md): where the frame is in the host's
 * viewport and how much of that viewport the host's own fixed parts (a sticky header, a cookie
 * bar) cover. Sent on load, on scroll and resize, and in answer to any `hookline:` message.
 */
export interface HostViewport {
  /** The frame's top relative to the host's viewport (`getBoundingClientRect().top`). */
  frameTop: number;
  /** The host's viewport height (`innerHeight`). */
  viewportHeight: number;
  /** CSS px covered at the top and bottom of the host's viewport. */
  insetTop: number;
  insetBottom: number;
}

const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** A `hookline:viewport` message's geometry, or null for anything else. */
export function parseHostViewport(data: unknown): HostViewport | null {
  if (!data || typeof data !== "object") return null;
  const m = data as Record<string, unknown>;
  if (m.type !== "hookline:viewport" || !finite(m.frameTop) || !finite(m.viewportHeight))
    return null;
  const insets = (m.insets ?? {}) as Record<string, unknown>;
  const inset = (v: unknown) =>
    finite(v) ? Math.min(Math.max(0, v), m.viewportHeight as number) : 0;
  return {
    frameTop: m.frameTop,
    viewportHeight: Math.max(0, m.viewportHeight),
    insetTop: inset(insets.top),
    insetBottom: inset(insets.bottom),
  };
}

/**
 * The vertical band of the frame (frame CSS px) that the host shows and does not cover:
 * `{ top, height }` of the frame between the host's insets.
 */
export function bandOfHostViewport(
  v: HostViewport,
  frameHeight: number,
): { top: number; height: number } {
  const top = Math.min(frameHeight, Math.max(0, v.insetTop - v.frameTop));
  const bottom = Math.max(0, Math.min(frameHeight, v.viewportHeight - v.insetBottom - v.frameTop));
  return { top, height: Math.max(0, bottom - top) };
}

/** Whether a message to the portal comes from its embedding page (and one the app allows). */
export function fromEmbedder(event: MessageEvent, embedOrigins: readonly string[] | null): boolean {
  if (typeof window === "undefined" || event.source !== window.parent || window.parent === window)
    return false;
  if (!embedOrigins) return true;
  const allowed = embedOrigins.map((o) => o.replace(/\/+$/, ""));
  return event.origin === window.location.origin || allowed.includes(event.origin);
}
