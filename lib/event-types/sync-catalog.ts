import type { App, Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { visibleCatalog } from "@/lib/event-types/get-event-type";

/** `*` and `prefix.*` match names; they are not names themselves. */
export function isWildcard(pattern: string): boolean {
  return pattern === "*" || pattern.endsWith(".*");
}

/**
 * Makes the catalog cover an endpoint's subscriptions, inside the endpoint's transaction: names
 * not in it yet are added, unless the app has a strict catalog, which refuses them (422 naming
 * the list entry, e.g. `events[1]`).
 */
export async function syncCatalog(
  tx: Prisma.TransactionClient,
  app: Pick<App, "id" | "strictCatalog">,
  subscriptions: string[],
  field: string,
  actor: string,
): Promise<void> {
  const names = [...new Set(subscriptions.filter((s) => !isWildcard(s)))];
  if (names.length === 0) return;
  const existing = await tx.eventType.findMany({
    where: { ...visibleCatalog(app), name: { in: names } },
    select: { name: true },
  });
  const known = new Set(existing.map((e) => e.name));
  const missing = names.filter((n) => !known.has(n));
  if (missing.length === 0) return;
  if (app.strictCatalog) {
    throw apiErrors.validation(
      missing.map((name) => ({
        field: `${field}[${subscriptions.indexOf(name)}]`,
        message: `"${name}" is not in the app's event catalog (the app has a strict catalog; add the event type first)`,
      })),
    );
  }
  // skipDuplicates: a concurrent request may add the same name; either insert is fine.
  const created = await tx.eventType.createManyAndReturn({
    data: missing.map((name) => ({ id: newId("evt"), appId: app.id, name })),
    skipDuplicates: true,
    select: { id: true, name: true },
  });
  for (const row of created) {
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "event_type.created",
      targetType: "event_type",
      targetId: row.id,
      details: { name: row.name, source: "endpoint_subscription" },
    });
  }
}
