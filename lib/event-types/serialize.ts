import type { EventType } from "@/generated/prisma/client";
import type { EventTypeResponse } from "@/lib/event-types/schemas";

export function serializeEventType(eventType: EventType): EventTypeResponse {
  return {
    id: eventType.id,
    name: eventType.name,
    description: eventType.description,
    schema: (eventType.schema ?? null) as EventTypeResponse["schema"],
    example: (eventType.example ?? null) as EventTypeResponse["example"],
    archived: eventType.archived,
    created_at: eventType.createdAt.toISOString(),
    updated_at: eventType.updatedAt.toISOString(),
  };
}
