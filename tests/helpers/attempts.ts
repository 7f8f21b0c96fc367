/**
 * Tests read attempts through the `all_attempts` view: a first attempt that succeeded is kept in
 * its delivery's row, not in an `attempts` row (lib/delivery/attempt-outcome.ts), and Prisma's
 * client sees only the attempt rows. These return Prisma's `Attempt` shape, as
 * `prisma.attempt.findMany`/`count` did before.
 */
import type { Attempt } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { ATTEMPT_FIELDS } from "@/lib/delivery-log/attempt-log";
import { SqlParams } from "@/lib/delivery/sql";

export interface AttemptFilter {
  appId?: string;
  deliveryId?: string;
  /** Attempts of none of these deliveries. */
  notDeliveryIds?: string[];
  endpointId?: string;
  attemptNumber?: number;
  minAttemptNumber?: number;
  responseStatus?: number;
}

export interface AttemptOrder {
  /** `created` (default): by time, then attempt number; `attemptNumber`: the other way round. */
  orderBy?: "created" | "attemptNumber";
}

function where(filter: AttemptFilter, p: SqlParams): string {
  const conditions: string[] = [];
  if (filter.appId !== undefined) conditions.push(`app_id = ${p.add(filter.appId)}`);
  if (filter.deliveryId !== undefined) conditions.push(`delivery_id = ${p.add(filter.deliveryId)}`);
  if (filter.notDeliveryIds !== undefined)
    conditions.push(`delivery_id <> ALL (${p.add(filter.notDeliveryIds, "::text[]")})`);
  if (filter.endpointId !== undefined) conditions.push(`endpoint_id = ${p.add(filter.endpointId)}`);
  if (filter.attemptNumber !== undefined)
    conditions.push(`attempt_number = ${p.add(filter.attemptNumber, "::int")}`);
  if (filter.minAttemptNumber !== undefined)
    conditions.push(`attempt_number >= ${p.add(filter.minAttemptNumber, "::int")}`);
  if (filter.responseStatus !== undefined)
    conditions.push(`response_status = ${p.add(filter.responseStatus, "::int")}`);
  return conditions.length ? `WHERE ${conditions.join(" AND ")}` : "";
}

/** The attempts matching `filter`, oldest first (or by attempt number), wherever each is kept. */
export async function findAttempts(
  filter: AttemptFilter = {},
  { orderBy = "created", limit }: AttemptOrder & { limit?: number } = {},
): Promise<Attempt[]> {
  const p = new SqlParams();
  const order =
    orderBy === "created" ? "created_at, attempt_number, id" : "attempt_number, created_at, id";
  const { rows } = await getDb().pool.query<Attempt>(
    `SELECT ${ATTEMPT_FIELDS} FROM all_attempts ${where(filter, p)} ORDER BY ${order}` +
      (limit === undefined ? "" : ` LIMIT ${p.add(limit, "::int")}`),
    p.values,
  );
  return rows;
}

/** The first attempt matching `filter` (see findAttempts for the order), or undefined. */
export async function findFirstAttempt(
  filter: AttemptFilter,
  order: AttemptOrder = {},
): Promise<Attempt | undefined> {
  return (await findAttempts(filter, { ...order, limit: 1 }))[0];
}

/** The first attempt matching `filter`; throws when there is none (as findFirstOrThrow). */
export async function findFirstAttemptOrThrow(
  filter: AttemptFilter,
  order: AttemptOrder = {},
): Promise<Attempt> {
  const attempt = await findFirstAttempt(filter, order);
  if (!attempt) throw new Error(`no attempt matches ${JSON.stringify(filter)}`);
  return attempt;
}

/** How many attempts match `filter`, wherever each is kept. */
export async function countAttempts(filter: AttemptFilter = {}): Promise<number> {
  const p = new SqlParams();
  const { rows } = await getDb().pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM all_attempts ${where(filter, p)}`,
    p.values,
  );
  return rows[0]!.n;
}
