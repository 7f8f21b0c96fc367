/**
 * Accepting events (`POST /events`): the event row and its fan-out queue row, committed before
 * the trigger answers 202. Concurrent triggers share statements (group commit), so 32 producers
 * cost a few transactions, not 32; fan-out to endpoints happens behind the answer
 * (lib/delivery/fan-out-events.ts), so a 10,000-endpoint event answers as fast as a 1-endpoint one.
 *
 * Idempotency: the key (`Idempotency-Key`, else `event_id`) identifies the event for 24 h; a
 * repeat returns the first event (`duplicate: true`) and changes nothing. After 24 h the key is
 * released (cleared on the old event, in the same transaction) and it counts as new. A batch
 * inserts with ON CONFLICT DO NOTHING; the few that conflict take the keyed path one by one.
 *
 * A `uid` (Svix's `eventId`) is unique per app while its event is kept (until the log's retention
 * deletes it, lib/retention/delete-expired-events.ts): a repeat is refused (`uidTaken`), never
 * released before, and not an idempotent replay (Svix answers it 409).
 *
 * Each event carries the instant after which it must not commit (lib/db/write-deadline.ts): an
 * event still waiting for its batch then is refused unsent, and the database rolls back a
 * statement that reaches it later, so a trigger answered 503 never commits afterwards.
 */
import type { PoolClient } from "pg";
import { createGroupCommit } from "@/lib/db/group-commit";
import { getDb } from "@/lib/db/client";
import { beforeDeadlineSql, WriteDeadlinePassed } from "@/lib/db/write-deadline";
import { withTransaction } from "@/lib/delivery/sql";
import { newId } from "@/lib/ids";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

export const IDEMPOTENCY_WINDOW_HOURS = 24;

export interface NewEvent {
  appId: string;
  name: string;
  payload: Record<string, unknown>;
  key: string | null;
  channels: readonly string[];
  uid?: string | null;
  tags?: readonly string[];
  /** The payload's text as its producer wrote it (`producerPayloadText`), if known. */
  payloadText?: string;
}

export interface AcceptedEvent {
  eventId: string;
  name: string;
  createdAt: Date;
  duplicate: boolean;
  /** The `uid` belongs to an earlier event (`eventId` names it); nothing was inserted. */
  uidTaken?: boolean;
}

interface Row {
  id: string;
  event: NewEvent;
  /** The payload's JSON text, keys in the order received: stored as is (lib/events/payload-text.ts). */
  payloadText: string;
  createdAt: Date;
  /** Epoch ms after which the write must not commit. */
  commitBy: number;
}

const earliestCommitBy = (rows: Row[]) => new Date(Math.min(...rows.map((r) => r.commitBy)));

/** One statement for a batch; returns the ids inserted (a key already taken inserts nothing). */
async function insertBatch(rows: Row[]): Promise<Set<string>> {
  const { rows: result } = await getDb().writePool.query<{ ids: string[] }>({
    name: "hookline_accept_events",
    text: `WITH i AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::text[])
                  AS u(id, app_id, name, payload, key, channels, created_at, uid, tags)),
     ev AS (
       INSERT INTO events (id, app_id, name, payload, payload_text, idempotency_key, channels, created_at, uid, tags)
       SELECT id, app_id, name, payload::jsonb, payload, key, ARRAY(SELECT json_array_elements_text(channels::json)), created_at,
              uid, COALESCE(ARRAY(SELECT json_array_elements_text(tags::json)), '{}') FROM i
       ON CONFLICT DO NOTHING
       RETURNING id, created_at),
     f AS (INSERT INTO event_fanout_queue (event_id, created_at) SELECT id, created_at FROM ev RETURNING 1)
     SELECT ARRAY(SELECT id FROM ev) AS ids, ${beforeDeadlineSql("$10", "(SELECT count(*) FROM f)")} AS written`,
    values: [
      rows.map((r) => r.id),
      rows.map((r) => r.event.appId),
      rows.map((r) => r.event.name),
      rows.map((r) => r.payloadText),
      rows.map((r) => r.event.key),
      rows.map((r) => JSON.stringify(r.event.channels)),
      rows.map((r) => r.createdAt),
      rows.map((r) => r.event.uid ?? null),
      rows.map((r) => JSON.stringify(r.event.tags ?? [])),
      earliestCommitBy(rows),
    ],
  });
  return new Set(result[0]?.ids ?? []);
}

interface StoredEvent {
  id: string;
  name: string;
  created_at: Date;
  fresh: boolean;
}

const duplicateOf = (e: StoredEvent): AcceptedEvent => ({
  eventId: e.id,
  name: e.name,
  createdAt: e.created_at,
  duplicate: true,
});

/** The event holding `row`'s uid, if another does. */
async function uidHolder(client: PoolClient, row: Row): Promise<AcceptedEvent | undefined> {
  if (row.event.uid == null) return undefined;
  const { rows } = await client.query<StoredEvent>(
    "SELECT id, name, created_at, true AS fresh FROM events WHERE app_id = $1 AND uid = $2",
    [row.event.appId, row.event.uid],
  );
  return rows[0] && { ...duplicateOf(rows[0]), duplicate: false, uidTaken: true };
}

/**
 * The keyed path for one event whose key or uid may be taken: a fresh key holder wins (a stale
 * one is released); a uid holder refuses it.
 */
async function acceptKeyed(row: Row): Promise<AcceptedEvent> {
  return withTransaction(async (client: PoolClient) => {
    if (row.event.key === null) {
      const inserted = await insertOne(client, row);
      return inserted ? accepted(row) : ((await uidHolder(client, row)) ?? conflictWithoutWinner());
    }
    const existing = await client.query<StoredEvent>(
      `SELECT id, name, created_at, created_at > now() - make_interval(hours => $3) AS fresh
       FROM events WHERE app_id = $1 AND idempotency_key = $2 FOR UPDATE`,
      [row.event.appId, row.event.key, IDEMPOTENCY_WINDOW_HOURS],
    );
    const previous = existing.rows[0];
    if (previous?.fresh) return duplicateOf(previous);
    if (previous)
      await client.query("UPDATE events SET idempotency_key = NULL WHERE id = $1", [previous.id]);
    if (await insertOne(client, row)) return accepted(row);
    // A concurrent trigger with the same key committed first: answer with its event.
    const winner = await client.query<StoredEvent>(
      "SELECT id, name, created_at, true AS fresh FROM events WHERE app_id = $1 AND idempotency_key = $2",
      [row.event.appId, row.event.key],
    );
    if (winner.rows[0]) return duplicateOf(winner.rows[0]);
    return (await uidHolder(client, row)) ?? conflictWithoutWinner();
  });
}

function conflictWithoutWinner(): never {
  throw new Error("idempotency conflict without a winning event");
}

/**
 * Inserts one event and its fan-out row in the caller's transaction; false when its key or uid is
 * taken. Past the deadline it throws, so the transaction rolls back instead of committing late.
 */
async function insertOne(client: PoolClient, row: Row): Promise<boolean> {
  const inserted = await client.query<{ written: string }>(
    `WITH ev AS (
       INSERT INTO events (id, app_id, name, payload, payload_text, idempotency_key, channels, created_at, uid, tags)
       VALUES ($1, $2, $3, $4::text::jsonb, $4::text, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id, created_at),
     f AS (INSERT INTO event_fanout_queue (event_id, created_at) SELECT id, created_at FROM ev RETURNING 1)
     SELECT ${beforeDeadlineSql("$10", "(SELECT count(*) FROM f)")} AS written`,
    [
      row.id,
      row.event.appId,
      row.event.name,
      row.payloadText,
      row.event.key,
      row.event.channels,
      row.createdAt,
      row.event.uid ?? null,
      row.event.tags ?? [],
      new Date(row.commitBy),
    ],
  );
  if (Number(inserted.rows[0]?.written) === 0) return false;
  // The COMMIT is sent only while the database may still commit it.
  if (Date.now() > row.commitBy) throw new WriteDeadlinePassed();
  return true;
}

const accepted = (row: Row): AcceptedEvent => ({
  eventId: row.id,
  name: row.event.name,
  createdAt: row.createdAt,
  duplicate: false,
});

async function writeOne(row: Row): Promise<AcceptedEvent> {
  // The plain insert first, keyed or not: a key or uid that turns out taken takes the keyed path.
  const inserted = await insertBatch([row]);
  return inserted.has(row.id) ? accepted(row) : acceptKeyed(row);
}

async function writeBatch(rows: Row[]): Promise<AcceptedEvent[]> {
  const inserted = await insertBatch(rows);
  // Keys or uids already taken (a repeat, a stale key, or two of this batch): one by one, in order.
  const results: AcceptedEvent[] = [];
  for (const row of rows)
    results.push(inserted.has(row.id) ? accepted(row) : await acceptKeyed(row));
  return results;
}

// One per process: every trigger route shares the batches.
const acceptor = processSingleton("events/accept-events", () =>
  createGroupCommit<Row, AcceptedEvent>({
    writeBatch,
    writeOne,
    maxBatch: 500,
    maxInFlight: 2,
    refuse: (row) => (Date.now() > row.commitBy ? new WriteDeadlinePassed() : undefined),
    onBatchError: (err, size) =>
      log.warn("batched event insert failed; inserting each on its own", {
        events: size,
        error: (err as Error).message,
      }),
  }),
);

/**
 * Commits the event (or finds its idempotent twin); resolves once durable. Rejects with a
 * database-unavailable error, having written nothing, if it cannot commit by `commitBy` (epoch ms).
 */
export function acceptEvent(event: NewEvent, commitBy: number): Promise<AcceptedEvent> {
  return acceptor.submit({
    id: newId("msg"),
    event,
    payloadText: event.payloadText ?? JSON.stringify(event.payload),
    createdAt: new Date(),
    commitBy,
  });
}
