import type { Prisma } from "@/generated/prisma/client";
import { newId } from "@/lib/ids";

export interface AuditEntry {
  appId?: string | null;
  /** `api_key:<id>`, `portal:<session>`, `cli`, `system` */
  actor: string;
  /** `<noun>.<verb>`: `endpoint.created`, `endpoint.secret_rotated`, `replay.cancelled`... */
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
}

/** Writes an audit row inside the caller's transaction, so the action and its record commit together. */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      id: newId("aud"),
      appId: entry.appId ?? null,
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      details: entry.details ?? {},
    },
  });
}
