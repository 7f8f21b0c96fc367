import { Prisma, type EventType } from "@/generated/prisma/client";
import type { CatalogOwner } from "@/lib/event-types/get-event-type";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import type { CreateEventTypeRequest } from "@/lib/event-types/schemas";
import { checkSchemaAndExample } from "@/lib/event-types/validate-event-type";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { invalidateCaches } from "@/lib/cache/lookup-cache";

/** What the Svix-compatible surface adds to an event type (lib/svix). */
export interface SvixEventTypeFields {
  schemas?: Record<string, unknown> | null;
  deprecated?: boolean;
  groupName?: string | null;
  featureFlags?: string[];
}

export async function createEventType(
  app: CatalogOwner,
  input: CreateEventTypeRequest & { svix?: SvixEventTypeFields },
  actor: string,
): Promise<EventType> {
  checkSchemaAndExample(input.schema ?? null, input.example ?? null);
  try {
    const created = await getDb().prisma.$transaction(async (tx) => {
      const eventType = await tx.eventType.create({
        data: {
          id: newId("evt"),
          appId: app.id,
          name: input.name,
          description: input.description ?? null,
          schema: (input.schema ?? Prisma.DbNull) as Prisma.InputJsonValue,
          example: (input.example ?? Prisma.DbNull) as Prisma.InputJsonValue,
          archived: input.archived ?? false,
          ...(input.svix && {
            schemas: (input.svix.schemas ?? Prisma.DbNull) as Prisma.InputJsonValue,
            deprecated: input.svix.deprecated ?? false,
            groupName: input.svix.groupName ?? null,
            featureFlags: input.svix.featureFlags ?? [],
          }),
        },
      });
      await recordAudit(tx, {
        appId: app.id,
        actor,
        action: "event_type.created",
        targetType: "event_type",
        targetId: eventType.id,
        details: { name: eventType.name },
      });
      return eventType;
    });
    invalidateCaches("event_types"); // a trigger may have cached its absence
    return created;
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw apiErrors.conflict(
        `Event type "${input.name}" already exists in this ${app.id ? "app" : "environment's catalog"}`,
        {
          field: "name",
        },
      );
    }
    throw err;
  }
}
