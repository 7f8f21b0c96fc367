/**
 * The event-type catalog as the Svix-compatible surface sees it. Svix's catalog is one per
 * environment; Hookline's is per app. They meet like this: `/api/v1/event-type` reads and
 * writes the environment-wide catalog (event_types rows without an app), and every app's
 * catalog reads (native list, the portal, endpoint subscriptions) see those types next to the
 * app's own. An app's own type of the same name is found first.
 */
import type { App, EventType } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";

export interface CatalogEventType {
  eventType: EventType;
  /** Example payloads: the type's `example`, then those of its latest versioned schema. */
  examples: Record<string, unknown>[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The latest version's schema of Svix's `schemas` (`{"1": {...}, "2": {...}}`). */
export function latestSchema(schemas: unknown): Record<string, unknown> | null {
  if (!isObject(schemas)) return null;
  const versions = Object.keys(schemas).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const latest = versions.length ? schemas[versions[versions.length - 1]!] : null;
  return isObject(latest) ? latest : null;
}

export function examplesOf(eventType: EventType): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (isObject(eventType.example)) out.push(eventType.example);
  const fromSchema = latestSchema(eventType.schemas)?.examples;
  if (Array.isArray(fromSchema)) out.push(...fromSchema.filter(isObject));
  return out;
}

/** The type this app sees under `name`: its own, else the environment's; null if neither. */
export async function findCatalogEventType(
  app: Pick<App, "id">,
  name: string,
): Promise<CatalogEventType | null> {
  const rows = await getDb().prisma.eventType.findMany({
    where: { name, OR: [{ appId: app.id }, { appId: null }] },
  });
  const eventType = rows.find((r) => r.appId === app.id) ?? rows[0];
  return eventType ? { eventType, examples: examplesOf(eventType) } : null;
}
