/**
 * Apps as the console lists them: searched by slug or name, each with its health at a glance
 * (last 24 hours' volume and success rate from the hourly rollups; failing and disabled
 * endpoints), and what deleting one would take along.
 */
import { z } from "zod";
import type { App } from "@/generated/prisma/client";
import { successRate } from "@/lib/analytics/rollup-reads";
import { serializeApp } from "@/lib/apps/serialize";
import type { AppResponse } from "@/lib/apps/schemas";
import { getDb } from "@/lib/db/client";

export const consoleAppsQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
});

export interface AppHealth {
  deliveries_24h: number;
  success_rate_24h: number | null;
  endpoints: number;
  endpoints_failing: number;
  endpoints_disabled: number;
}

export interface ConsoleApp extends AppResponse {
  health: AppHealth;
}

const MAX_LISTED = 500;

export async function listConsoleApps(query: {
  q?: string;
}): Promise<{ data: ConsoleApp[]; truncated: boolean }> {
  const { prisma } = getDb();
  const q = query.q?.trim();
  const apps = await prisma.app.findMany({
    where: q
      ? {
          OR: [
            { slug: { contains: q, mode: "insensitive" } },
            { name: { contains: q, mode: "insensitive" } },
            { id: q },
          ],
        }
      : undefined,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_LISTED + 1,
  });
  const listed = apps.slice(0, MAX_LISTED);
  const health = await healthOf(listed.map((a) => a.id));
  return {
    data: listed.map((a) => ({ ...serializeApp(a), health: health.get(a.id)! })),
    truncated: apps.length > MAX_LISTED,
  };
}

export async function healthOf(
  appIds: string[],
  now = new Date(),
): Promise<Map<string, AppHealth>> {
  const out = new Map<string, AppHealth>();
  for (const id of appIds)
    out.set(id, {
      deliveries_24h: 0,
      success_rate_24h: null,
      endpoints: 0,
      endpoints_failing: 0,
      endpoints_disabled: 0,
    });
  if (!appIds.length) return out;
  const { pool } = getDb();
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [volume, endpoints] = await Promise.all([
    pool.query<{ app_id: string; created: string; succeeded: string; failed: string }>(
      `SELECT app_id, sum(created) AS created, sum(succeeded) AS succeeded, sum(failed) AS failed
         FROM delivery_rollups_hourly WHERE app_id = ANY($1) AND hour >= date_trunc('hour', $2::timestamptz)
         GROUP BY app_id`,
      [appIds, since],
    ),
    pool.query<{ app_id: string; total: string; failing: string; disabled: string }>(
      `SELECT app_id, count(*) AS total,
              count(*) FILTER (WHERE is_active AND consecutive_failures > 0) AS failing,
              count(*) FILTER (WHERE NOT is_active) AS disabled
         FROM endpoints WHERE app_id = ANY($1) AND deleted_at IS NULL GROUP BY app_id`,
      [appIds],
    ),
  ]);
  for (const r of volume.rows) {
    const h = out.get(r.app_id)!;
    h.deliveries_24h = Number(r.created);
    h.success_rate_24h = successRate(Number(r.succeeded), Number(r.failed));
  }
  for (const r of endpoints.rows) {
    const h = out.get(r.app_id)!;
    h.endpoints = Number(r.total);
    h.endpoints_failing = Number(r.failing);
    h.endpoints_disabled = Number(r.disabled);
  }
  return out;
}

/** What deleting the app removes with it (shown before the operator confirms). */
export async function deletionImpact(
  app: App,
): Promise<{ endpoints: number; events: number; deliveries: number; event_types: number }> {
  const { rows } = await getDb().pool.query<Record<string, string>>(
    `SELECT (SELECT count(*) FROM endpoints WHERE app_id = $1 AND deleted_at IS NULL) AS endpoints,
            (SELECT count(*) FROM events WHERE app_id = $1) AS events,
            (SELECT count(*) FROM deliveries WHERE app_id = $1) AS deliveries,
            (SELECT count(*) FROM event_types WHERE app_id = $1) AS event_types`,
    [app.id],
  );
  const r = rows[0]!;
  return {
    endpoints: Number(r.endpoints),
    events: Number(r.events),
    deliveries: Number(r.deliveries),
    event_types: Number(r.event_types),
  };
}

export interface ConsoleEndpoint {
  id: string;
  url: string;
  description: string | null;
  is_active: boolean;
  disabled_reason: string | null;
  consecutive_failures: number;
  subscriptions: string[];
}

export async function listAppEndpoints(app: App): Promise<ConsoleEndpoint[]> {
  const rows = await getDb().prisma.endpoint.findMany({
    where: { appId: app.id, deletedAt: null },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 500,
  });
  return rows.map((e) => ({
    id: e.id,
    url: e.url,
    description: e.description,
    is_active: e.isActive,
    disabled_reason: e.disabledReason,
    consecutive_failures: e.consecutiveFailures,
    subscriptions: e.subscriptions,
  }));
}
