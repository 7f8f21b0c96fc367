/**
 * `POST /api/v1/apps/{slug}/events`: record an event and fan it out to every subscribed
 * endpoint in one transaction; the caller hears back only after both are committed.
 *
 * Idempotency: the `Idempotency-Key` header (or else `event_id`) identifies the event for 24 h;
 * a repeat returns the first event (`duplicate: true`, 0 deliveries) and changes nothing. After
 * 24 h the key is released (cleared on the old event, in the same transaction) and it counts as
 * new. Archived event types stay deliverable (archiving hides a type from the catalog, it does
 * not break producers still sending it); their schema still applies.
 */
import type { App } from "@/generated/prisma/client";
import { createLookupCache } from "@/lib/cache/lookup-cache";
import { getDb } from "@/lib/db/client";
import { withTransaction } from "@/lib/delivery/sql";
import { fanOutEvent, insertEventAndFanOut } from "@/lib/events/fan-out";
import { InvalidPayloadSchemaError, validatePayload } from "@/lib/events/payload-schema";
import type { TriggerEventRequest, TriggerEventResponse } from "@/lib/events/schemas";
import { apiErrors } from "@/lib/http/errors";
import { newId } from "@/lib/ids";
import { announceEventTriggered } from "@/lib/jobs/announce";
import { log } from "@/lib/log";

export const IDEMPOTENCY_WINDOW_HOURS = 24;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The `Idempotency-Key` header: 1-255 visible ASCII characters, or absent. */
export function parseIdempotencyKey(header: string | null): string | undefined {
  if (header === null) return undefined;
  const key = header.trim();
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw apiErrors.invalidParameter([{ field: "Idempotency-Key", message: "must be 1-255 visible ASCII characters" }]);
  }
  return key;
}

// Absent types are cached too: the catalog's invalidation covers inserts, and the name space is the app's own.
const eventTypesByName = createLookupCache<{ id: string; schema: unknown } | null>("event_types");

async function checkPayload(app: App, input: TriggerEventRequest): Promise<void> {
  const eventType = await eventTypesByName.get(`${app.id}\u0000${input.event_name}`, () =>
    getDb().prisma.eventType.findUnique({ where: { appId_name: { appId: app.id, name: input.event_name } }, select: { id: true, schema: true } }),
  );
  if (!eventType && app.strictCatalog) {
    throw apiErrors.validation([{ field: "event_name", message: `"${input.event_name}" is not in this app's event catalog` }]);
  }
  if (eventType?.schema === null || eventType?.schema === undefined) return;
  let errors;
  try {
    errors = validatePayload(eventType.schema, input.payload);
  } catch (err) {
    if (!(err instanceof InvalidPayloadSchemaError)) throw err;
    // Registration refuses unusable schemas; one that slipped through must not block producers.
    log.warn("event type schema could not be compiled; payload not validated", { event_type_id: eventType.id, error: err.message });
    return;
  }
  if (errors.length > 0) throw apiErrors.validation(errors);
}

interface StoredEvent {
  id: string;
  name: string;
  created_at: Date;
}

function duplicateOf(event: StoredEvent): TriggerEventResponse {
  return { event_id: event.id, event_name: event.name, deliveries: 0, duplicate: true, created_at: event.created_at.toISOString() };
}

export async function triggerEvent(app: App, input: TriggerEventRequest, idempotencyKey?: string): Promise<TriggerEventResponse> {
  await checkPayload(app, input);
  const key = idempotencyKey ?? input.event_id ?? null;
  const channels = input.channels ?? [];

  if (key === null) {
    // Nothing to look up first: the event and its fan-out are one statement (see insertEventAndFanOut).
    const eventId = newId("msg");
    const createdAt = new Date();
    const deliveries = await insertEventAndFanOut(getDb().pool, { eventId, appId: app.id, name: input.event_name, payload: input.payload, channels, createdAt });
    if (deliveries > 0) await announceEventTriggered({ eventId, appId: app.id });
    return { event_id: eventId, event_name: input.event_name, deliveries, duplicate: false, created_at: createdAt.toISOString() };
  }

  const response = await withTransaction(async (client): Promise<TriggerEventResponse> => {
    if (key !== null) {
      const existing = await client.query<StoredEvent & { fresh: boolean }>(
        `SELECT id, name, created_at, created_at > now() - make_interval(hours => $3) AS fresh
         FROM events WHERE app_id = $1 AND idempotency_key = $2 FOR UPDATE`,
        [app.id, key, IDEMPOTENCY_WINDOW_HOURS],
      );
      const previous = existing.rows[0];
      if (previous?.fresh) return duplicateOf(previous);
      // Older than the window: free the key (the unique index allows one holder) and go on.
      if (previous) await client.query("UPDATE events SET idempotency_key = NULL WHERE id = $1", [previous.id]);
    }

    const eventId = newId("msg");
    const createdAt = new Date();
    const inserted = await client.query(
      `INSERT INTO events (id, app_id, name, payload, idempotency_key, channels, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (app_id, idempotency_key) DO NOTHING`,
      [eventId, app.id, input.event_name, JSON.stringify(input.payload), key, channels, createdAt],
    );
    if (inserted.rowCount === 0) {
      // A concurrent trigger with the same key committed first: answer with its event.
      const winner = await client.query<StoredEvent>("SELECT id, name, created_at FROM events WHERE app_id = $1 AND idempotency_key = $2", [app.id, key]);
      if (winner.rows[0]) return duplicateOf(winner.rows[0]);
      throw new Error("idempotency conflict without a winning event");
    }
    const deliveries = await fanOutEvent(client, { eventId, appId: app.id, name: input.event_name, channels, createdAt });
    return { event_id: eventId, event_name: input.event_name, deliveries, duplicate: false, created_at: createdAt.toISOString() };
  });

  if (!response.duplicate && response.deliveries > 0) await announceEventTriggered({ eventId: response.event_id, appId: app.id });
  return response;
}
