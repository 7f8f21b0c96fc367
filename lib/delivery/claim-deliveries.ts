/**
 * Leasing queued deliveries for an attempt: in batches for the embedded workers, one by id for
 * an Inngest step, and giving leases back. Only `delivery_queue` is written; the log is read.
 */
import type { PoolClient } from "pg";
import { getDb, type NamedStatement } from "@/lib/db/client";
import { namedParams } from "@/lib/delivery/sql";
import { payloadTextColumns, payloadTextOf } from "@/lib/events/payload-text";
import {
  CLAIM_JOINS,
  claimColumns,
  loadedEventOf,
  toClaim,
  type ClaimedDelivery,
  type ClaimRow,
  type EventCache,
  type LoadedEvent,
} from "@/lib/delivery/claimed-delivery";
import {
  fifoHeadCandidatesSql,
  findDeliveryAhead,
  notHeldBackSql,
} from "@/lib/delivery/fifo-order";
import {
  isDue,
  leaseIsFree,
  LEASE_MARGIN_SECONDS,
  OPEN_STATUSES_SQL,
  type DeliveryStatus,
} from "@/lib/delivery/states";

export interface ClaimDueInput {
  workerId: string;
  limit: number;
  /** Free attempt slots per endpoint in this worker; endpoints at 0 are skipped entirely. */
  endpointSlots?: ReadonlyMap<string, number>;
  /** Slots for endpoints not in `endpointSlots` (a rate_limit lowers it further). */
  defaultEndpointSlots: number;
  /** How many due rows to look at per claim; more lets busy endpoints be skipped past. */
  scanLimit?: number;
  /** The worker's events; payloads it holds are not sent again, and new ones are added. */
  events: EventCache;
}

/**
 * Leases up to `limit` due deliveries (FOR UPDATE SKIP LOCKED, so concurrent workers never get
 * the same row), at most the free slots of each endpoint, shared fairly: round-robin over the
 * apps with due work (and, within an app, over its endpoints), oldest first within each. One
 * app's backlog (a 10,000-endpoint fan-out, a slow receiver's retries) takes its turn beside
 * the other apps' deliveries instead of ahead of them.
 *
 * The apps with queued rows are found by a skip scan of the (app_id, run_at) index (one probe
 * per app), and each app's due rows are read from its own range of it: the cost grows with the
 * number of apps with queued work, not with the backlog.
 */
const CLAIM = namedParams({
  worker_id: "",
  limit: "int",
  full: "text[]",
  scan_limit: "int",
  open_endpoints: "text[]",
  open_slots: "int[]",
  default_slots: "int",
  lease_margin: "int",
  held_events: "text[]",
});

export async function claimDueDeliveries(input: ClaimDueInput): Promise<ClaimedDelivery[]> {
  if (input.limit <= 0) return [];
  const { rows } = await getDb().claimPool.query<ClaimRow>(claimDueStatement(input));
  return claimsOf(rows, input.events);
}

/** The claim as a named statement (its plan is checked in tests/integration/delivery-claim-plan.test.ts). */
export function claimDueStatement(input: ClaimDueInput): NamedStatement {
  const slots = [...(input.endpointSlots ?? new Map<string, number>())];
  const full = slots.filter(([, n]) => n <= 0).map(([id]) => id);
  const open = slots.filter(([, n]) => n > 0);
  // A named statement over the narrow queue, kept as one generic plan (the claim pool):
  // every table is reached by key, so that plan does not depend on the values. Candidates are
  // read without locks; only the rows picked are locked, found by primary key.
  const { $ } = CLAIM;
  return {
    name: "hookline_claim_due",
    // FIFO endpoints' rows are left to the second source, which offers only each line's head.
    text: `WITH RECURSIVE queued_apps AS (
       (SELECT q.app_id FROM delivery_queue q WHERE q.fifo_seq IS NULL ORDER BY q.app_id LIMIT 1)
       UNION ALL
       SELECT (SELECT q.app_id FROM delivery_queue q WHERE q.fifo_seq IS NULL AND q.app_id > a.app_id ORDER BY q.app_id LIMIT 1)
       FROM queued_apps a WHERE a.app_id IS NOT NULL
     ),
     candidates AS (
       (SELECT c.delivery_id, c.endpoint_id, c.run_at, a.app_id FROM queued_apps a
        CROSS JOIN LATERAL (
          SELECT q.delivery_id, q.endpoint_id, q.run_at FROM delivery_queue q
          WHERE q.app_id = a.app_id AND ${isDue("q")} AND q.fifo_seq IS NULL AND q.endpoint_id <> ALL(${$.full})
          ORDER BY q.run_at
          LIMIT ${$.scan_limit}) c
        WHERE a.app_id IS NOT NULL)
       UNION ALL
       ${fifoHeadCandidatesSql($.full)}
     ),
     by_endpoint AS (
       SELECT c.*, row_number() OVER (PARTITION BY c.endpoint_id ORDER BY c.run_at, c.delivery_id) AS endpoint_rank
       FROM candidates c
     ),
     -- An app's n-th turn comes after every app's (n-1)-th: its endpoints' first rows, then seconds.
     eligible AS (
       SELECT r.delivery_id, row_number() OVER (PARTITION BY r.app_id ORDER BY r.endpoint_rank, r.run_at, r.delivery_id) AS app_turn
       FROM by_endpoint r
       LEFT JOIN unnest(${$.open_endpoints}, ${$.open_slots}) AS s(endpoint_id, slots) ON s.endpoint_id = r.endpoint_id
       WHERE r.endpoint_rank <= LEAST(COALESCE(s.slots, ${$.default_slots}), COALESCE((SELECT pe.rate_limit FROM endpoints pe WHERE pe.id = r.endpoint_id), ${$.default_slots}))
     ),
     turns AS (SELECT delivery_id, app_turn FROM eligible ORDER BY app_turn LIMIT ${$.limit} * 2),
     picked AS (
       SELECT q.delivery_id FROM turns t JOIN delivery_queue q ON q.delivery_id = t.delivery_id
       WHERE ${isDue("q")}
       ORDER BY t.app_turn, q.run_at
       LIMIT ${$.limit}
       FOR UPDATE OF q SKIP LOCKED
     ),
     l AS (
       UPDATE delivery_queue q SET leased_by = ${$.worker_id}, lease_expires_at = now() + make_interval(secs => e.timeout_seconds + ${$.lease_margin})
       FROM picked p, endpoints e
       WHERE q.delivery_id = ANY (ARRAY(SELECT delivery_id FROM picked)) AND q.delivery_id = p.delivery_id AND e.id = q.endpoint_id
       RETURNING q.delivery_id, q.leased_by, q.fifo_seq IS NOT NULL AS fifo
     )
     ${readLeasedSql($.held_events)}`,
    values: CLAIM.values({
      worker_id: input.workerId,
      limit: input.limit,
      full,
      scan_limit: input.scanLimit ?? Math.max(input.limit * 4, 200),
      open_endpoints: open.map(([id]) => id),
      open_slots: open.map(([, n]) => n),
      default_slots: input.defaultEndpointSlots,
      lease_margin: LEASE_MARGIN_SECONDS,
      held_events: input.events.ids(),
    }),
  };
}

/**
 * The claim columns of the rows a CTE `l` (delivery_id, leased_by, fifo) just leased, to end the
 * statement; the payload comes once per event, and not at all for the events the worker holds
 * (`heldIds`, a text[] parameter).
 */
function readLeasedSql(heldIds: string): string {
  return `SELECT ${claimColumns(`row_number() OVER (PARTITION BY d.event_id ORDER BY d.id) = 1 AND NOT (d.event_id = ANY (${heldIds}))`)}
     FROM l ${CLAIM_JOINS}`;
}

const LEASE_BY_IDS = namedParams({
  holder: "",
  lease_margin: "int",
  ids: "text[]",
  held_events: "text[]",
});

/**
 * Leases deliveries by id, in the caller's transaction: the fan-out hands what it just made to
 * the worker that made it, so a new event's first deliveries start without a claim in between.
 * Rows already leased are left alone. Turn the rows into claims with `claimsOf` once committed.
 */
export async function leaseByIds(
  client: Pick<PoolClient, "query">,
  holder: string,
  deliveryIds: readonly string[],
  heldEventIds: readonly string[],
): Promise<ClaimRow[]> {
  if (deliveryIds.length === 0) return [];
  const { $ } = LEASE_BY_IDS;
  const { rows } = await client.query<ClaimRow>({
    name: "hookline_lease_by_ids",
    text: `WITH l AS (
       UPDATE delivery_queue q SET leased_by = ${$.holder}, lease_expires_at = now() + make_interval(secs => e.timeout_seconds + ${$.lease_margin})
       FROM endpoints e
       WHERE q.delivery_id = ANY (${$.ids}) AND e.id = q.endpoint_id AND q.leased_by IS NULL
       RETURNING q.delivery_id, q.leased_by, q.fifo_seq IS NOT NULL AS fifo
     )
     ${readLeasedSql($.held_events)}`,
    values: LEASE_BY_IDS.values({
      holder,
      lease_margin: LEASE_MARGIN_SECONDS,
      ids: deliveryIds,
      held_events: heldEventIds,
    }),
  });
  return rows;
}

/**
 * Each claim holds its event in the cache. Holds are taken before anything is awaited: attempts
 * finishing meanwhile release their holds, and an event the cache dropped while a claim's rows
 * were on their way is read again (its payload was not sent because the cache had it).
 */
export async function claimsOf(rows: ClaimRow[], events: EventCache): Promise<ClaimedDelivery[]> {
  const fresh = new Map<string, LoadedEvent>();
  for (const row of rows)
    if (row.payload_text !== null || row.payload !== null || row.payload_expired)
      fresh.set(row.event_id, loadedEventOf(row));
  const claims: (ClaimedDelivery | null)[] = rows.map((row) => {
    const event = events.get(row.event_id) ?? fresh.get(row.event_id);
    return event ? toClaim(row, events.hold(event)) : null;
  });
  const missing = [...new Set(rows.filter((_, i) => claims[i] === null).map((r) => r.event_id))];
  if (missing.length === 0) return claims as ClaimedDelivery[];
  const { rows: found } = await getDb().pool.query<{
    id: string;
    name: string;
    created_at: Date;
    payload_text: string | null;
    payload: unknown;
  }>(
    `SELECT id, name, created_at, ${payloadTextColumns("events")} FROM events WHERE id = ANY($1::text[])`,
    [missing],
  );
  const read = new Map(
    found.map((e) => {
      const payloadText = payloadTextOf({ payloadText: e.payload_text, payload: e.payload });
      return [
        e.id,
        {
          id: e.id,
          name: e.name,
          createdAt: e.created_at,
          payloadText,
          expired: payloadText === null,
        },
      ];
    }),
  );
  return rows.map((row, i) => {
    const claim = claims[i];
    if (claim) return claim;
    // Gone from the database too (its app was deleted): nothing to send; the attempt cancels it.
    const event = events.get(row.event_id) ??
      read.get(row.event_id) ?? {
        id: row.event_id,
        name: row.event_name,
        createdAt: row.event_created_at,
        payloadText: null,
        expired: true,
      };
    return toClaim(row, events.hold(event));
  });
}

export type ClaimRefusal =
  | { claimed: false; reason: "not_found" }
  | { claimed: false; reason: "final"; status: DeliveryStatus }
  | { claimed: false; reason: "leased"; leasedBy: string | null; leaseExpiresAt: Date | null }
  | { claimed: false; reason: "not_due"; nextAttemptAt: Date | null }
  /** A FIFO delivery behind another (`aheadId`; null: behind events still being fanned out). */
  | { claimed: false; reason: "blocked"; aheadId: string | null };

/**
 * Leases one delivery by id (the Inngest driver's attempt step). With `onlyIfDue` a delivery
 * whose next attempt is still in the future is refused with its due time; a FIFO delivery that
 * is not its line's claimable head is refused as `blocked`.
 */
export async function claimDelivery(
  deliveryId: string,
  holder: string,
  options: { onlyIfDue: boolean },
): Promise<({ claimed: true } & ClaimedDelivery) | ClaimRefusal> {
  const { pool } = getDb();
  const { rows } = await pool.query<ClaimRow>(
    `WITH l AS (
       UPDATE delivery_queue q SET leased_by = $2, lease_expires_at = now() + make_interval(secs => e.timeout_seconds + $3)
       FROM endpoints e
       WHERE q.delivery_id = $1 AND e.id = q.endpoint_id
         AND (${leaseIsFree("q")} OR q.leased_by = $2)
         AND (NOT $4::boolean OR q.run_at <= now() + interval '1 second')
         AND ${notHeldBackSql("q")}
       RETURNING q.delivery_id, q.leased_by, q.fifo_seq IS NOT NULL AS fifo)
     SELECT ${claimColumns("true")}
     FROM l ${CLAIM_JOINS}`,
    [deliveryId, holder, LEASE_MARGIN_SECONDS, options.onlyIfDue],
  );
  const row = rows[0];
  if (row) return { claimed: true, ...toClaim(row, loadedEventOf(row)) };
  const current = await pool.query<{
    status: DeliveryStatus;
    run_at: Date | null;
    leased_by: string | null;
    lease_expires_at: Date | null;
  }>(
    `SELECT d.status, q.run_at, q.leased_by, q.lease_expires_at
     FROM deliveries d LEFT JOIN delivery_queue q ON q.delivery_id = d.id WHERE d.id = $1`,
    [deliveryId],
  );
  const state = current.rows[0];
  if (!state) return { claimed: false, reason: "not_found" };
  if (!state.run_at) return { claimed: false, reason: "final", status: state.status };
  if (state.lease_expires_at && state.lease_expires_at.getTime() > Date.now()) {
    return {
      claimed: false,
      reason: "leased",
      leasedBy: state.leased_by,
      leaseExpiresAt: state.lease_expires_at,
    };
  }
  if (!options.onlyIfDue || state.run_at.getTime() <= Date.now() + 1_000) {
    const ahead = await findDeliveryAhead(deliveryId);
    if (ahead !== undefined) return { claimed: false, reason: "blocked", aheadId: ahead };
  }
  return { claimed: false, reason: "not_due", nextAttemptAt: state.run_at };
}

/** Gives leased deliveries back unattempted (graceful shutdown); they are due again at once. */
export async function releaseClaims(
  holder: string,
  deliveryIds: readonly string[],
): Promise<number> {
  if (deliveryIds.length === 0) return 0;
  const result = await getDb().pool.query(
    "UPDATE delivery_queue SET leased_by = NULL, lease_expires_at = NULL WHERE leased_by = $1 AND delivery_id = ANY($2::text[])",
    [holder, deliveryIds],
  );
  return result.rowCount ?? 0;
}

/**
 * Removes queue rows whose delivery is gone (its app was deleted) or already final (never left
 * by the state machine, but cheap to guarantee): the queue has no foreign key, on purpose.
 */
export async function dropOrphanedQueueRows(): Promise<number> {
  const result = await getDb().pool.query(
    `DELETE FROM delivery_queue q WHERE ${leaseIsFree("q")}
       AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.id = q.delivery_id AND d.status IN ${OPEN_STATUSES_SQL})`,
  );
  return result.rowCount ?? 0;
}
