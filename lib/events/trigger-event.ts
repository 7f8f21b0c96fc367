/**
 * `POST /api/v1/apps/{slug}/events`: validate, commit the event (group commit, with its
 * idempotency key) and answer; the job driver fans it out behind the answer.
 *
 * Archived event types stay deliverable (archiving hides a type from the catalog, it does not
 * break producers still sending it); their schema still applies.
 */
import type { App } from "@/generated/prisma/client";
import { createLookupCache } from "@/lib/cache/lookup-cache";
import { getConfig } from "@/lib/config";
import { getDb } from "@/lib/db/client";
import { writeDeadline } from "@/lib/db/write-deadline";
import { acceptEvent, type AcceptedEvent, type NewEvent } from "@/lib/events/accept-events";
import { InvalidPayloadSchemaError, validatePayload } from "@/lib/events/payload-schema";
import type { TriggerEventRequest, TriggerEventResponse } from "@/lib/events/schemas";
import { apiErrors } from "@/lib/http/errors";
import { announceWork } from "@/lib/jobs/job-driver";
import { log } from "@/lib/log";

export { IDEMPOTENCY_WINDOW_HOURS } from "@/lib/events/accept-events";
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: 1-255 visible ASCII characters, or absent. */
export function parseIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  const key = header.trim();
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw apiErrors.invalidParameter([
      { field: "Idempotency-Key", message: "must be 1-255 visible ASCII characters" },
    ]);
  }
  return key;
}

// Absent types are cached too: the catalog's invalidation covers inserts, and the name space is the app's own.
const eventTypesByName = createLookupCache<{ id: string; schema: unknown } | null>("event_types");

async function checkPayload(
  app: App,
  input: Pick<NewEvent, "name" | "payload">,
  nameField: string,
): Promise<void> {
  const eventType = await eventTypesByName.get(`${app.id}\u0000${input.name}`, () =>
    getDb().prisma.eventType.findUnique({
      where: { appId_name: { appId: app.id, name: input.name } },
      select: { id: true, schema: true },
    }),
  );
  if (!eventType && app.strictCatalog) {
    throw apiErrors.validation([
      { field: nameField, message: `"${input.name}" is not in this app's event catalog` },
    ]);
  }
  if (eventType?.schema === null || eventType?.schema === undefined) return;
  let errors;
  try {
    errors = validatePayload(eventType.schema, input.payload);
  } catch (err) {
    if (!(err instanceof InvalidPayloadSchemaError)) throw err;
    // Registration refuses unusable schemas; one that slipped through must not block producers.
    log.warn("event type schema could not be compiled; payload not validated", {
      event_type_id: eventType.id,
      error: err.message,
    });
    return;
  }
  if (errors.length > 0) throw apiErrors.validation(errors);
}

/**
 * The deadlines of a trigger received at `receivedAt`: it answers within
 * `HOOKLINE_DB_STATEMENT_TIMEOUT_MS` (the documented limit), and a 503 means nothing committed.
 */
export function triggerDeadline(receivedAt: number) {
  return writeDeadline(receivedAt, getConfig().dbStatementTimeoutMs);
}

/**
 * The accept path every trigger surface shares (native events, Svix messages): the catalog and
 * schema check, the group-committed insert, and the job driver's wake-up for a new event.
 * `nameField` names the event name's field in validation errors.
 */
export async function acceptAppEvent(
  app: App,
  input: Omit<NewEvent, "appId">,
  nameField: string,
  receivedAt = Date.now(),
): Promise<AcceptedEvent> {
  await checkPayload(app, input, nameField);
  const event = await acceptEvent(
    { ...input, appId: app.id },
    triggerDeadline(receivedAt).commitBy,
  );
  if (!event.duplicate && !event.uidTaken)
    await announceWork({ events: [{ eventId: event.eventId, appId: app.id }] });
  return event;
}

export async function triggerEvent(
  app: App,
  input: TriggerEventRequest,
  idempotencyKey?: string,
  receivedAt = Date.now(),
  payloadText?: string,
): Promise<TriggerEventResponse> {
  const event = await acceptAppEvent(
    app,
    {
      name: input.event_name,
      payload: input.payload,
      payloadText,
      key: idempotencyKey ?? input.event_id ?? null,
      channels: input.channels ?? [],
    },
    "event_name",
    receivedAt,
  );
  return {
    event_id: event.eventId,
    event_name: event.name,
    duplicate: event.duplicate,
    created_at: event.createdAt.toISOString(),
  };
}
