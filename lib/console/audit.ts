/** The audit log as the console reads it: newest first, filtered by actor, app, action and time. */
import { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { afterKeyset, cursorParam, decodeCursor, pageOf } from "@/lib/http/pagination";

export const auditQuery = z.strictObject({
  actor: z.string().trim().max(300).optional(),
  /** App id or slug. */
  app: z.string().trim().max(100).optional(),
  /** Exact action, or a prefix ending in `.` (`operator.`). */
  action: z.string().trim().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: cursorParam,
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.output<typeof auditQuery>;

export interface AuditRow {
  id: string;
  at: string;
  actor: string;
  app_id: string | null;
  app_slug: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: unknown;
}

export async function listAudit(
  query: AuditQuery,
): Promise<{ data: AuditRow[]; next_cursor: string | null }> {
  const { prisma } = getDb();
  let appId: string | undefined;
  if (query.app) {
    const app = await prisma.app.findFirst({
      where: { OR: [{ id: query.app }, { slug: query.app }] },
      select: { id: true },
    });
    appId = app?.id ?? "(none)";
  }
  const where: Prisma.AuditLogWhereInput = {
    ...(query.actor && { actor: { contains: query.actor, mode: "insensitive" } }),
    ...(appId && { appId }),
    ...(query.action &&
      (query.action.endsWith(".")
        ? { action: { startsWith: query.action } }
        : { action: query.action })),
    ...((query.from || query.to) && {
      createdAt: {
        ...(query.from && { gte: new Date(query.from) }),
        ...(query.to && { lt: new Date(query.to) }),
      },
    }),
  };
  const { cursor, limit, ...filters } = query;
  const scope = { list: "console_audit", ...filters };
  const rows = await prisma.auditLog.findMany({
    where: { AND: [where, afterKeyset(decodeCursor(cursor, scope))] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    include: { app: { select: { slug: true } } },
  });
  const page = pageOf(rows, limit, scope);
  return {
    data: page.data.map((r) => ({
      id: r.id,
      at: r.createdAt.toISOString(),
      actor: r.actor,
      app_id: r.appId,
      app_slug: r.app?.slug ?? null,
      action: r.action,
      target_type: r.targetType,
      target_id: r.targetId,
      details: r.details,
    })),
    next_cursor: page.nextCursor,
  };
}
