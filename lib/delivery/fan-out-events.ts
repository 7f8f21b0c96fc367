/**
 * Fan-out, behind the trigger: `POST /events` commits the event and an `event_fanout_queue` row
 * and answers; this turns queued events into deliveries, many events per statement. The queue
 * rows are taken with FOR UPDATE SKIP LOCKED and deleted in the transaction that inserts the
 * deliveries, so several processes share the work and a crash in between repeats the fan-out
 * (never half of it, never twice). One path for keyed and unkeyed triggers alike.
 *
 * An event is fanned out at most `endpointsPerEvent` endpoints at a time (in endpoint id order,
 * the queue row keeping its place): one app's 10,000-endpoint event takes several short
 * statements, and the other apps' events queued behind it go out with the first of them.
 */
import { foldIntoRollupsSql, NO_ATTEMPT_COLUMNS } from "@/lib/analytics/rollups";
import { getDb } from "@/lib/db/client";
import { leaseByIds } from "@/lib/delivery/claim-deliveries";
import type { ClaimRow } from "@/lib/delivery/claimed-delivery";
import { withTransaction } from "@/lib/delivery/sql";
import { matchingPatterns } from "@/lib/events/subscriptions";
import { moveLateArrivalsToTheBackSql } from "@/lib/delivery/fifo-order";
import { newId } from "@/lib/ids";

export interface MadeDelivery {
  deliveryId: string;
  endpointId: string;
  appId: string;
  /** In a FIFO endpoint's line (only its line's head may be attempted). */
  fifo: boolean;
  /** The endpoint's attempts per second, if limited. */
  rateLimit: number | null;
}

export interface FanOutResult {
  /** Events taken (fully or in part). */
  events: number;
  /** Of those, the ones with endpoints still to do (taken again by the next call). */
  unfinished: number;
  /** Every delivery made, leased or not. */
  deliveries: MadeDelivery[];
  /** The ones leased to `lease.holder` in the same transaction (see `FanOutLease`). */
  leased: ClaimRow[];
}

/**
 * A worker taking some of what it fans out, leased in the fan-out's own transaction: a new
 * event's deliveries go from commit to request without a claim statement (and its wait) in
 * between. `pick` chooses among the deliveries made (the worker knows its free slots).
 */
export interface FanOutLease {
  holder: string;
  /** Events the worker holds already (their payloads are not read again). */
  heldEventIds(): string[];
  pick(made: readonly MadeDelivery[]): string[];
}

/**
 * Which queued events a call takes: `new` ones (none of their endpoints done yet) or
 * `continuing` ones (a big event's later chunks). Two workers, one per lane, keep the other
 * apps' new events from waiting behind a 10,000-endpoint event's chunks; no lane takes both.
 */
export type FanOutLane = "new" | "continuing";

/**
 * Fans out up to `limit` queued events, oldest first (or exactly `eventIds`, when given: the
 * Inngest step for one event). Creates one pending, due delivery per active subscribed endpoint
 * (an endpoint with channels only gets events carrying one of them, one with a payload filter
 * only events it matches), its queue row and the rollup counts (`filtered` for the events a
 * filter kept from its endpoint). Returns the deliveries made.
 *
 * Delivery ids keep newId's form (`dlv_` + 10 time + 16 random Crockford characters): one stem
 * per event (time + 10 random characters) and the endpoint's ordinal (6 hex digits) last.
 * Deliveries of FIFO endpoints take the event's acceptance number as their place in line.
 */
export async function fanOutQueuedEvents(options: {
  limit: number;
  eventIds?: readonly string[];
  /** Endpoints per event per call at most (default: all). */
  endpointsPerEvent?: number;
  lane?: FanOutLane;
  lease?: FanOutLease;
}): Promise<FanOutResult> {
  // On the write pool, whose named statements keep one generic plan: planning each anew was
  // most of these statements' time at a few events a call.
  // One statement per shape, so that each keeps its own plan: by id (the Inngest step), or the
  // oldest of a lane (or of all); and per limit, written in: a generic plan guesses a tenth of
  // the queue for `LIMIT $1`, and joined that many events by reading them all.
  const by = options.eventIds ? "ids" : (options.lane ?? "any");
  const limit = Math.max(1, Math.trunc(options.limit));
  const which = {
    ids: "event_id = ANY($1::text[])",
    new: "fanned_out_to IS NULL",
    continuing: "fanned_out_to IS NOT NULL",
    any: "true",
  }[by];
  return withTransaction(async (client) => {
    const taken = await client.query<{
      id: string;
      name: string;
      seq: string;
      fanned_out_to: string | null;
    }>({
      name: `hookline_fan_out_take_${by}_${limit}`,
      text: `WITH f AS (
         SELECT event_id, seq, fanned_out_to FROM event_fanout_queue WHERE ${which}
         ORDER BY created_at LIMIT ${limit} FOR UPDATE SKIP LOCKED),
       -- Events gone meanwhile (their app was deleted) leave nothing to fan out.
       gone AS (
         DELETE FROM event_fanout_queue q USING f
         WHERE q.event_id = f.event_id AND NOT EXISTS (SELECT 1 FROM events ev WHERE ev.id = f.event_id))
       SELECT ev.id, ev.name, f.seq, f.fanned_out_to FROM events ev JOIN f ON f.event_id = ev.id`,
      values: options.eventIds ? [options.eventIds] : [],
    });
    if (taken.rows.length === 0) return { events: 0, unfinished: 0, deliveries: [], leased: [] };
    const events = taken.rows;
    // Patterns are unpacked once per event (MATERIALIZED), not once per candidate endpoint; the
    // ordinal is written in hex, whose digits are all Crockford characters.
    // Each call's stem is new, so a chunk's ordinals may start at 0 again.
    const { rows: written } = await client.query<{
      id: string;
      endpoint_id: string;
      app_id: string;
      fifo: boolean;
      rate_limit: number | null;
      unfinished: boolean;
    }>({
      name: "hookline_fan_out_write",
      text: `WITH f AS MATERIALIZED (
         SELECT u.event_id, u.stem, u.seq, u.after, ARRAY(SELECT json_array_elements_text(u.patterns::json)) AS patterns
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::text[]) AS u(event_id, patterns, stem, seq, after)),
       pairs AS MATERIALIZED (
         SELECT ev.id AS event_id, ev.app_id, ev.name, ev.created_at, f.stem, ep.id AS endpoint_id,
                CASE WHEN ep.ordering = 'fifo' THEN f.seq END AS fifo_seq, ep.rate_limit,
                row_number() OVER (PARTITION BY ev.id ORDER BY ep.id) - 1 AS n,
                (ep.filter_path IS NULL OR COALESCE(ev.payload @@ ep.filter_path, false)) AS matches
         FROM f JOIN events ev ON ev.id = f.event_id
         CROSS JOIN LATERAL (
           SELECT ep.id, ep.ordering, ep.filter_path, ep.rate_limit FROM endpoints ep
           WHERE ep.app_id = ev.app_id AND ep.is_active AND ep.deleted_at IS NULL
             AND ep.subscriptions && f.patterns
             AND (cardinality(ep.channels) = 0 OR ep.channels && ev.channels)
             AND (f.after IS NULL OR ep.id > f.after)
           ORDER BY ep.id LIMIT $6) ep),
       progress AS (
         SELECT event_id, max(endpoint_id) AS last, count(*) AS n FROM pairs GROUP BY event_id),
       done AS (
         DELETE FROM event_fanout_queue WHERE event_id = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM progress p WHERE p.event_id = event_fanout_queue.event_id AND p.n >= $6)),
       more AS (
         UPDATE event_fanout_queue SET fanned_out_to = p.last FROM progress p
         WHERE p.event_id = event_fanout_queue.event_id AND p.n >= $6),
       ins AS (
         INSERT INTO deliveries (id, app_id, event_id, endpoint_id, event_name, status, next_attempt_at, created_at, updated_at, next_attempt_trigger)
         SELECT p.stem || lpad(to_hex(p.n), 6, '0'), p.app_id, p.event_id, p.endpoint_id, p.name, 'pending', p.created_at, p.created_at, p.created_at, 'auto'
         FROM pairs p WHERE p.matches
         RETURNING id, app_id, endpoint_id, created_at),
       -- The same rows as ins, read from pairs for their place in line (a join of ins to pairs,
       -- two CTE scans without statistics, was planned as a nested loop: 14 s for 10,000).
       q AS (INSERT INTO delivery_queue (delivery_id, app_id, endpoint_id, run_at, fifo_seq)
             SELECT p.stem || lpad(to_hex(p.n), 6, '0'), p.app_id, p.endpoint_id, p.created_at, p.fifo_seq FROM pairs p WHERE p.matches),
       r AS (${foldIntoRollupsSql(
         `(SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC') AS hour, 1 AS created, 0 AS succeeded, 0 AS failed, 0 AS filtered, ${NO_ATTEMPT_COLUMNS} FROM ins
           UNION ALL SELECT app_id, endpoint_id, date_trunc('hour', created_at, 'UTC'), 0, 0, 0, 1, ${NO_ATTEMPT_COLUMNS} FROM pairs WHERE NOT matches)`,
         { filtered: true },
       )})
       SELECT p.stem || lpad(to_hex(p.n), 6, '0') AS id, p.endpoint_id, p.app_id, p.fifo_seq IS NOT NULL AS fifo, p.rate_limit, false AS unfinished
       FROM pairs p WHERE p.matches
       UNION ALL SELECT NULL, NULL, NULL, false, NULL, true FROM progress WHERE n >= $6`,
      values: [
        events.map((e) => e.id),
        events.map((e) => JSON.stringify(matchingPatterns(e.name))),
        events.map(() => newId("dlv").slice(0, "dlv_".length + 10 + 10)),
        events.map((e) => e.seq),
        events.map((e) => e.fanned_out_to),
        options.endpointsPerEvent ?? null,
      ],
    });
    const unfinished = written.filter((r) => r.unfinished).length;
    const rows = written.filter((r) => !r.unfinished);
    const fifo = rows.filter((r) => r.fifo).map((r) => r.id);
    if (fifo.length > 0) await client.query(moveLateArrivalsToTheBackSql, [fifo]);
    const deliveries = rows.map((r) => ({
      deliveryId: r.id,
      endpointId: r.endpoint_id,
      appId: r.app_id,
      fifo: r.fifo,
      rateLimit: r.rate_limit,
    }));
    const lease = options.lease;
    const leased = lease
      ? await leaseByIds(client, lease.holder, lease.pick(deliveries), lease.heldEventIds())
      : [];
    return { events: events.length, unfinished, deliveries, leased };
  }, getDb().writePool);
}

/** Events accepted but not fanned out for longer than `graceSeconds` (the Inngest reconciler). */
export async function findStalledFanOuts(
  graceSeconds: number,
  limit: number,
): Promise<{ eventId: string; appId: string }[]> {
  const { rows } = await getDb().pool.query<{ id: string; app_id: string }>(
    `SELECT ev.id, ev.app_id FROM event_fanout_queue f JOIN events ev ON ev.id = f.event_id
     WHERE f.created_at < now() - make_interval(secs => $1) ORDER BY f.created_at LIMIT $2`,
    [graceSeconds, limit],
  );
  return rows.map((r) => ({ eventId: r.id, appId: r.app_id }));
}
