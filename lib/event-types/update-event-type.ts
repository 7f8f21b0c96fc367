import { Prisma, type EventType } from "@/generated/prisma/client";
import type { SvixEventTypeFields } from "@/lib/event-types/create-event-type";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { getEventType, type CatalogOwner } from "@/lib/event-types/get-event-type";
import type { UpdateEventTypeRequest } from "@/lib/event-types/schemas";
import { checkSchemaAndExample } from "@/lib/event-types/validate-event-type";
import { invalidateCaches } from "@/lib/cache/lookup-cache";

const jsonOrNull = (v: Record<string, unknown> | null) =>
  v === null ? Prisma.DbNull : (v as Prisma.InputJsonValue);

export async function updateEventType(
  app: CatalogOwner,
  name: string,
  input: Partial<UpdateEventTypeRequest> & { svix?: SvixEventTypeFields },
  actor: string,
): Promise<EventType> {
  const { svix, ...fields } = input;
  const updated = await getDb().prisma.$transaction(async (tx) => {
    const current = await getEventType(app, name, tx);
    // The example is checked against the schema it will live with, old or new.
    const schema =
      input.schema !== undefined
        ? input.schema
        : (current.schema as Record<string, unknown> | null);
    const example =
      input.example !== undefined
        ? input.example
        : (current.example as Record<string, unknown> | null);
    if (input.schema !== undefined || input.example !== undefined)
      checkSchemaAndExample(schema, example);
    const updated = await tx.eventType.update({
      where: { id: current.id },
      data: {
        ...(input.description !== undefined && { description: input.description }),
        ...(input.schema !== undefined && { schema: jsonOrNull(input.schema) }),
        ...(input.example !== undefined && { example: jsonOrNull(input.example) }),
        ...(input.archived !== undefined && { archived: input.archived }),
        ...(svix?.schemas !== undefined && {
          schemas: (svix.schemas ?? Prisma.DbNull) as Prisma.InputJsonValue,
        }),
        ...(svix?.deprecated !== undefined && { deprecated: svix.deprecated }),
        ...(svix?.groupName !== undefined && { groupName: svix.groupName }),
        ...(svix?.featureFlags !== undefined && { featureFlags: svix.featureFlags }),
      },
    });
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action:
        input.archived === true && !current.archived ? "event_type.archived" : "event_type.updated",
      targetType: "event_type",
      targetId: current.id,
      details: { name, fields: [...Object.keys(fields), ...Object.keys(svix ?? {})] },
    });
    return updated;
  });
  invalidateCaches("event_types");
  return updated;
}
