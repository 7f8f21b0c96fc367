import type { PoolClient } from "pg";
import type { AuditEntry } from "@/lib/audit/record-audit";
import { newId } from "@/lib/ids";

/**
 * `recordAudit` for raw-SQL transactions (the replay paths share a pg transaction with the
 * state machine): the audit row commits or rolls back with the change it describes.
 */
export async function recordAuditSql(client: PoolClient, entry: AuditEntry): Promise<void> {
  await client.query(
    `INSERT INTO audit_logs (id, app_id, actor, action, target_type, target_id, details) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      newId("aud"),
      entry.appId ?? null,
      entry.actor,
      entry.action,
      entry.targetType ?? null,
      entry.targetId ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}
