/**
 * Ordered (FIFO) delivery per endpoint. An endpoint with `ordering = 'fifo'` has its queue rows
 * numbered (`delivery_queue.fifo_seq`) in the order their events were accepted
 * (`event_fanout_queue.seq`, taken in the accepting transaction). Only its head — the row with the
 * smallest number — may be claimed, and only while no other row of the endpoint is in flight and
 * no event accepted before it is still waiting for fan-out (several processes fan out in
 * parallel: a later event's delivery could otherwise exist, and be sent, before an earlier one's).
 *
 * A failing head keeps its number while it waits for its retry, so it holds the line until it
 * succeeds, exhausts, or is skipped (skip-delivery.ts). A row never joins a line ahead of a head
 * in flight (fan-out moves such a late arrival to the back, a switch to FIFO puts deliveries in
 * flight first), so the only row of a line that can be in flight is its head: claims check the
 * head alone, whatever the line's length. A final head's queue row is deleted as for
 * any delivery, which makes the next row the head: it has been due since fan-out, so nothing needs
 * promoting. Replays and manual attempts take a fresh number: the back of the line.
 *
 * Events accepted concurrently (overlapping `POST /events` requests) have no defined order
 * between them; a client that waits for each 202 before sending the next gets its order kept.
 */
import type { Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { isDue, isInFlight } from "@/lib/delivery/states";

export type EndpointOrdering = "concurrent" | "fifo";

/** The sequence behind `event_fanout_queue.seq`; replays draw from it to join the back of the line. */
export const FIFO_SEQUENCE = "event_fanout_queue_seq_seq";

/** SQL: the next place at the back of every FIFO line. */
export const nextFifoSeqSql = `nextval('${FIFO_SEQUENCE}')`;

/** No event accepted before place `seq` (SQL) is still waiting to be fanned out. */
const earlierEventsFannedOut = (seq: string) =>
  `${seq} < (SELECT COALESCE(min(fq.seq), 9223372036854775807) FROM event_fanout_queue fq)`;

/**
 * Claim candidates (delivery_id, endpoint_id, run_at, app_id): the head of each FIFO endpoint
 * not listed in `excludedEndpoints` (SQL text[]), when it may be attempted now.
 */
export function fifoHeadCandidatesSql(excludedEndpoints: string): string {
  return `SELECT h.delivery_id, h.endpoint_id, h.run_at, fe.app_id FROM endpoints fe
    CROSS JOIN LATERAL (
      SELECT fq.delivery_id, fq.endpoint_id, fq.run_at, fq.lease_expires_at, fq.fifo_seq FROM delivery_queue fq
      WHERE fq.endpoint_id = fe.id AND fq.fifo_seq IS NOT NULL ORDER BY fq.fifo_seq LIMIT 1) h
    WHERE fe.ordering = 'fifo' AND fe.id <> ALL(${excludedEndpoints}) AND ${isDue("h")}
      AND ${earlierEventsFannedOut("h.fifo_seq")}`;
}

/**
 * After fan-out (in its transaction), with $1 the FIFO deliveries it just queued: a delivery whose
 * event number sorts before its line's head while that head is in flight (its event was accepted
 * by a request that overlapped a later one's, and committed after the later one was fanned out
 * and claimed) goes to the back instead, with the other new rows of that line after it in event
 * order. So the only row of a line in flight is its head. A new row that sorts before a head not
 * yet claimed keeps its place: that head could not be claimed while this event awaited fan-out.
 */
export const moveLateArrivalsToTheBackSql = `WITH fresh AS (
    SELECT q.delivery_id, q.endpoint_id, q.fifo_seq FROM delivery_queue q
    WHERE q.delivery_id = ANY($1::text[]) AND q.fifo_seq IS NOT NULL),
  late AS (
    SELECT DISTINCT f.endpoint_id FROM fresh f
    CROSS JOIN LATERAL (
      SELECT o.fifo_seq, o.lease_expires_at FROM delivery_queue o
      WHERE o.endpoint_id = f.endpoint_id AND o.fifo_seq IS NOT NULL AND NOT (o.delivery_id = ANY($1::text[]))
      ORDER BY o.fifo_seq LIMIT 1) h
    WHERE h.fifo_seq > f.fifo_seq AND ${isInFlight("h")}),
  renumbered AS (
    SELECT r.delivery_id, ${nextFifoSeqSql} AS seq FROM (
      SELECT f.delivery_id FROM fresh f JOIN late l ON l.endpoint_id = f.endpoint_id ORDER BY f.fifo_seq) r)
  UPDATE delivery_queue q SET fifo_seq = n.seq FROM renumbered n WHERE q.delivery_id = n.delivery_id`;

/** SQL true when queue row `q` is not held back by its endpoint's line (ordinary rows never are). */
export function notHeldBackSql(q: string): string {
  return `(${q}.fifo_seq IS NULL OR (
    NOT EXISTS (SELECT 1 FROM delivery_queue o WHERE o.endpoint_id = ${q}.endpoint_id AND o.fifo_seq IS NOT NULL
                AND o.delivery_id <> ${q}.delivery_id AND (o.fifo_seq < ${q}.fifo_seq OR ${isInFlight("o")}))
    AND ${earlierEventsFannedOut(`${q}.fifo_seq`)}))`;
}

/**
 * What holds a FIFO delivery back: the delivery ahead of it (the head, or one in flight), or
 * null when it waits only for earlier events' fan-out. `undefined` when it is not held back.
 */
export async function findDeliveryAhead(deliveryId: string): Promise<string | null | undefined> {
  const { rows } = await getDb().pool.query<{ held: boolean; ahead: string | null }>(
    `SELECT NOT ${notHeldBackSql("q")} AS held,
       (SELECT o.delivery_id FROM delivery_queue o WHERE o.endpoint_id = q.endpoint_id AND o.fifo_seq IS NOT NULL
          AND o.delivery_id <> q.delivery_id AND (o.fifo_seq < q.fifo_seq OR ${isInFlight("o")})
        ORDER BY o.fifo_seq LIMIT 1) AS ahead
     FROM delivery_queue q WHERE q.delivery_id = $1`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row || !row.held) return undefined;
  return row.ahead;
}

/** The head of a FIFO endpoint's line, if it may be attempted now (the Inngest driver starts its run). */
export async function findClaimableFifoHead(endpointId: string): Promise<string | null> {
  const { rows } = await getDb().pool.query<{ delivery_id: string }>(
    `SELECT c.delivery_id FROM (${fifoHeadCandidatesSql("ARRAY[]::text[]")}) c WHERE c.endpoint_id = $1`,
    [endpointId],
  );
  return rows[0]?.delivery_id ?? null;
}

/**
 * After an endpoint's ordering changed (in the caller's transaction): its waiting deliveries join
 * a line in the order they were created, or leave it.
 */
export async function reorderQueuedDeliveries(
  tx: Pick<Prisma.TransactionClient, "$executeRawUnsafe">,
  endpointId: string,
  ordering: EndpointOrdering,
): Promise<void> {
  if (ordering === "concurrent") {
    await tx.$executeRawUnsafe(
      "UPDATE delivery_queue SET fifo_seq = NULL WHERE endpoint_id = $1 AND fifo_seq IS NOT NULL",
      endpointId,
    );
    return;
  }
  // nextval() is called in the order of the sorted subquery's rows. Deliveries in flight go
  // first: the line then waits for them (claims only check the head).
  await tx.$executeRawUnsafe(
    `UPDATE delivery_queue q SET fifo_seq = n.seq FROM (
       SELECT o.delivery_id, ${nextFifoSeqSql} AS seq FROM (
         SELECT q2.delivery_id FROM delivery_queue q2 JOIN deliveries d ON d.id = q2.delivery_id
         WHERE q2.endpoint_id = $1 AND q2.fifo_seq IS NULL ORDER BY ${isInFlight("q2")} DESC, d.created_at, d.id) o) n
     WHERE q.delivery_id = n.delivery_id`,
    endpointId,
  );
}

export interface FifoBlocker {
  delivery_id: string;
  event_name: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  /** Deliveries waiting in the line behind it. */
  waiting: number;
}

/**
 * For each FIFO endpoint among `endpointIds`: the head holding its line after failing at least
 * once (null when nothing blocks it), and how many deliveries wait behind it.
 */
export async function findFifoBlockers(
  endpointIds: readonly string[],
): Promise<Map<string, FifoBlocker>> {
  const blockers = new Map<string, FifoBlocker>();
  if (endpointIds.length === 0) return blockers;
  const { rows } = await getDb().pool.query<{
    endpoint_id: string;
    id: string;
    event_name: string;
    attempt_count: number;
    next_attempt_at: Date | null;
    last_error: string | null;
    waiting: string;
  }>(
    `SELECT fe.id AS endpoint_id, d.id, d.event_name, d.attempt_count, d.next_attempt_at, d.last_error,
       (SELECT count(*) FROM delivery_queue w WHERE w.endpoint_id = fe.id AND w.fifo_seq IS NOT NULL AND w.delivery_id <> h.delivery_id) AS waiting
     FROM endpoints fe
     CROSS JOIN LATERAL (SELECT fq.delivery_id FROM delivery_queue fq WHERE fq.endpoint_id = fe.id AND fq.fifo_seq IS NOT NULL ORDER BY fq.fifo_seq LIMIT 1) h
     JOIN deliveries d ON d.id = h.delivery_id
     WHERE fe.id = ANY($1::text[]) AND fe.ordering = 'fifo' AND d.attempt_count > 0 AND d.last_error IS NOT NULL`,
    [endpointIds],
  );
  for (const r of rows) {
    blockers.set(r.endpoint_id, {
      delivery_id: r.id,
      event_name: r.event_name,
      attempts: r.attempt_count,
      next_attempt_at: r.next_attempt_at?.toISOString() ?? null,
      last_error: r.last_error,
      waiting: Number(r.waiting),
    });
  }
  return blockers;
}
