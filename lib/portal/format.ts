/** Display helpers for the portal (client side; the user's locale and time zone). */
import { indentJsonText } from "@/lib/react/json-text";
import { payloadSourceOf } from "@/lib/react/payload-source";

const dateTime = () =>
  new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime().format(d);
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return "—";
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = Math.round((t - now) / 1000);
  const abs = Math.abs(diff);
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  if (abs < 45) return rtf.format(diff, "second");
  if (abs < 45 * 60) return rtf.format(Math.round(diff / 60), "minute");
  if (abs < 22 * 3600) return rtf.format(Math.round(diff / 3600), "hour");
  if (abs < 26 * 86400) return rtf.format(Math.round(diff / 86400), "day");
  return formatDateTime(iso);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${Number.isInteger(value) ? value : value.toFixed(1)}%`;
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return new Intl.NumberFormat().format(value);
}

export function formatSeconds(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} day${seconds === 86400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} seconds`;
}

/** Pretty JSON (a payload in its producer's key order), or the text as it is when it is not JSON. */
export function prettyBody(body: unknown): string {
  if (body === null || body === undefined) return "";
  const source = payloadSourceOf(body);
  if (source !== undefined) return indentJsonText(source);
  if (typeof body !== "string") return JSON.stringify(body, null, 2);
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** `<input type="datetime-local">` value (local time) -> RFC 3339 (UTC), or undefined. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** RFC 3339 -> `<input type="datetime-local">` value in local time. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/* The portal's date-time text field (components/portal/date-time-field.tsx). */

const DATE_TIME_TEXT = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]+|\s*,\s*)(\d{1,2}):(\d{2})\s*$/;

const pad = (n: number) => String(n).padStart(2, "0");

/** Typed text -> `YYYY-MM-DDTHH:MM`, "" for nothing, or null for a date that cannot be. */
export function parseDateTimeText(text: string): string | null {
  if (!text.trim()) return "";
  const m = DATE_TIME_TEXT.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  if (
    date.getFullYear() !== y ||
    date.getMonth() !== mo - 1 ||
    date.getDate() !== d ||
    h > 23 ||
    mi > 59
  )
    return null;
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

/** `YYYY-MM-DDTHH:MM` as shown in the field. */
export function dateTimeText(value: string): string {
  return value.replace("T", " ");
}

let zoneLabel: string | null = null;

/** "Europe/Berlin (GMT+1)": the browser's time zone, which the field's times are in. */
export function localTimeZone(): string {
  if (zoneLabel !== null) return zoneLabel;
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const offset = new Intl.DateTimeFormat("en-US", { timeZoneName: "shortOffset" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName")?.value;
    zoneLabel = offset && offset !== zone ? `${zone} (${offset})` : zone;
    return zoneLabel;
  } catch {
    return "your local time";
  }
}
