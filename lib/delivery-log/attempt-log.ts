/**
 * Every attempt of the log, wherever it is kept: the attempt rows, and the first attempts that
 * succeeded, which stay in their delivery's row (the single-write path:
 * lib/delivery/attempt-outcome.ts). The `all_attempts` view reads both as one table in the
 * attempt rows' columns; these read it in Prisma's `Attempt` shape.
 */
import type { Attempt } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { FIRST_ATTEMPT_IN_LOG_ROW_WITHIN } from "@/lib/delivery/first-attempt";
import { SqlParams } from "@/lib/delivery/sql";

/**
 * Conditions on `alias` (all_attempts) for attempts made at `op` `at` (`>=`, `>`, `<`, `<=`): on the
 * attempt's time, and on its row's (`row_created_at`), which a first attempt kept in the log row
 * precedes by less than FIRST_ATTEMPT_IN_LOG_ROW_WITHIN; the second lets the deliveries' time
 * index find those. `at` is SQL (a cast parameter).
 */
export function attemptsMadeSql(alias: string, op: ">=" | ">" | "<" | "<=", at: string): string[] {
  return [
    `${alias}.created_at ${op} ${at}`,
    op.startsWith("<")
      ? `${alias}.row_created_at ${op} ${at}`
      : `${alias}.row_created_at ${op} ${at} - interval '${FIRST_ATTEMPT_IN_LOG_ROW_WITHIN}'`,
  ];
}

const HOUR_MS = 3_600_000;
/** A page by time looks this far from its start first, then further: a page that fills from
 *  recent attempts reads no older ones. */
const PAGE_WINDOWS_MS = [HOUR_MS, 24 * HOUR_MS, 7 * 24 * HOUR_MS, 31 * 24 * HOUR_MS];

export interface AttemptWindow {
  /** Attempts made at or after (null: no bound). */
  from: Date | null;
  /** Attempts made before (null: no bound). */
  to: Date | null;
}

/**
 * A page of attempts in time order read in widening windows away from `start` (the page's
 * first instant, or `now` for the newest): `read(window)` returns the page's rows within the
 * window, in order. The first window holding `take` of them holds the page (every attempt
 * nearer `start` is in it); the last window is unbounded.
 */
export async function readAttemptPageInWindows<T>(
  start: { at: Date; descending: boolean },
  take: number,
  read: (window: AttemptWindow) => Promise<T[]>,
): Promise<T[]> {
  const t = start.at.getTime();
  for (const width of PAGE_WINDOWS_MS) {
    const rows = await read(
      start.descending
        ? { from: new Date(t - width), to: null }
        : { from: null, to: new Date(t + width) },
    );
    if (rows.length >= take) return rows;
  }
  return read({ from: null, to: null });
}

/** all_attempts' columns under the names of Prisma's `Attempt`. */
export const ATTEMPT_FIELDS = `id, delivery_id AS "deliveryId", app_id AS "appId", endpoint_id AS "endpointId",
  attempt_number AS "attemptNumber", trigger, request_url AS "requestUrl", request_headers AS "requestHeaders",
  response_status AS "responseStatus", response_headers AS "responseHeaders", response_body AS "responseBody",
  response_body_truncated AS "responseBodyTruncated", duration_ms AS "durationMs", error, created_at AS "createdAt"`;

/** A delivery's attempts, newest first, at most `limit`. */
export async function readDeliveryAttempts(deliveryId: string, limit: number): Promise<Attempt[]> {
  const { rows } = await getDb().pool.query<Attempt>(
    `SELECT ${ATTEMPT_FIELDS} FROM all_attempts WHERE delivery_id = $1
     ORDER BY created_at DESC, attempt_number DESC LIMIT $2`,
    [deliveryId, limit],
  );
  return rows;
}

/**
 * Attempts by id, within the deliveries given (attempts are keyed by their delivery: an id alone
 * would read every partition). Another app's attempt is not found.
 */
export async function readAttemptsById(
  appId: string,
  deliveryIds: string[],
  attemptIds: string[],
): Promise<Attempt[]> {
  if (deliveryIds.length === 0 || attemptIds.length === 0) return [];
  const p = new SqlParams();
  const { rows } = await getDb().pool.query<Attempt>(
    `SELECT ${ATTEMPT_FIELDS} FROM all_attempts
     WHERE app_id = ${p.add(appId)} AND delivery_id = ANY (${p.add(deliveryIds, "::text[]")}) AND id = ANY (${p.add(attemptIds, "::text[]")})`,
    p.values,
  );
  return rows;
}

/** Removes an attempt's response body, as retention would; wherever the attempt is kept. */
export async function removeAttemptBody(deliveryId: string, attemptId: string): Promise<void> {
  await getDb().pool.query(
    `WITH own_row AS (
       UPDATE attempts SET response_body = NULL, response_body_truncated = false
       WHERE delivery_id = $1 AND id = $2 RETURNING id)
     UPDATE deliveries SET first_response_body = NULL, first_response_body_truncated = false
     WHERE id = $1 AND first_attempt_id = $2`,
    [deliveryId, attemptId],
  );
}
