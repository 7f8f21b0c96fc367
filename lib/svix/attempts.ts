/**
 * Svix message attempts over Hookline's delivery log. A Svix attempt is one of Hookline's
 * attempts (one HTTP request); Svix's per-endpoint status of a message is a Hookline delivery
 * (`MessageEndpointOut`, `EndpointMessageOut`). Status integers: 0 success, 1 pending, 2 fail,
 * 3 sending; an attempt is made before it is recorded, so attempts are 0 or 2.
 */
import { z } from "zod";
import type { App, Attempt, Delivery, Endpoint, Event } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { SqlParams } from "@/lib/delivery/sql";
import {
  attemptsMadeSql,
  readAttemptPageInWindows,
  readAttemptsById,
  removeAttemptBody,
  type AttemptWindow,
} from "@/lib/delivery-log/attempt-log";
import { scheduleManualAttempt } from "@/lib/delivery/schedule-manual-attempts";
import type { DeliveryStatus } from "@/lib/delivery/states";
import { apiErrors } from "@/lib/http/errors";
import { svixBooleanQuery } from "@/lib/svix/shared";
import { svixListQuery, svixPage, mapPage, type SvixListPage } from "@/lib/svix/pagination";
import type { Keyset } from "@/lib/http/pagination";
import { toEndpointOut, type SvixEndpointOut } from "@/lib/svix/routes/endpoints";
import {
  createdAtWindow,
  findSvixMessage,
  serializeMessage,
  messageFilters,
  type SvixMessageOut,
} from "@/lib/svix/messages";

export const SVIX_STATUS = { success: 0, pending: 1, fail: 2, sending: 3 } as const;
type SvixStatusText = keyof typeof SVIX_STATUS;
type SvixStatus = (typeof SVIX_STATUS)[SvixStatusText];

const statusOf = (text: SvixStatusText) => ({ status: SVIX_STATUS[text], statusText: text });

/** A delivery's status as Svix names a message's status at one endpoint. */
export function deliveryStatusText(status: DeliveryStatus): SvixStatusText {
  if (status === "success") return "success";
  if (status === "pending" || status === "retrying") return "pending";
  return "fail";
}

const statusParam = z.coerce
  .number()
  .int()
  .refine((n) => n >= 0 && n <= 4, "must be 0, 1, 2, 3 or 4") as z.ZodType<number, string>;
const statusCodeClassParam = z.coerce
  .number()
  .int()
  .refine((n) => [0, 100, 200, 300, 400, 500].includes(n), "must be 0, 100, 200, 300, 400 or 500");

const attemptFilters = {
  ...messageFilters,
  status: statusParam.optional(),
  status_code_class: statusCodeClassParam.optional(),
  expanded_statuses: svixBooleanQuery.optional(),
};

export const attemptsByEndpointQuery = svixListQuery.extend({
  ...attemptFilters,
  with_msg: svixBooleanQuery.optional(),
});
export const attemptsByMsgQuery = svixListQuery.extend({
  ...attemptFilters,
  endpoint_id: z.string().min(1).max(256).optional(),
});
export const attemptedMessagesQuery = svixListQuery.extend({
  ...messageFilters,
  status: statusParam.optional(),
});
export const attemptedDestinationsQuery = svixListQuery;
export const ATTEMPT_LIST_ARRAYS = ["event_types"] as const;

export type AttemptsByEndpointQuery = z.output<typeof attemptsByEndpointQuery>;
export type AttemptsByMsgQuery = z.output<typeof attemptsByMsgQuery>;
export type AttemptedMessagesQuery = z.output<typeof attemptedMessagesQuery>;
export type AttemptedDestinationsQuery = z.output<typeof attemptedDestinationsQuery>;

export interface SvixAttemptOut {
  id: string;
  msgId: string;
  endpointId: string;
  url: string;
  response: string;
  responseStatusCode: number;
  responseDurationMs: number;
  status: SvixStatus;
  statusText: SvixStatusText;
  triggerType: 0 | 1;
  timestamp: string;
  msg?: SvixMessageOut;
}

type AttemptRow = Attempt & { eventId: string; event?: Event };

export function serializeAttempt(a: AttemptRow, withContent = true): SvixAttemptOut {
  return {
    id: a.id,
    msgId: a.eventId,
    endpointId: a.endpointId,
    url: a.requestUrl,
    response: withContent ? (a.responseBody ?? a.error ?? "") : "",
    responseStatusCode: a.responseStatus ?? 0,
    responseDurationMs: a.durationMs,
    ...statusOf(a.error === null ? "success" : "fail"),
    triggerType: a.trigger === "auto" ? 0 : 1,
    timestamp: a.createdAt.toISOString(),
    ...(a.event && { msg: serializeMessage(a.event, withContent) }),
  };
}

/** The attempts an attempt list is scoped to: an endpoint's, or a message's (at one endpoint). */
type AttemptScope = { appId: string; endpointId?: string; eventId?: string };

/**
 * Attempt filters shared by both attempt lists, as SQL over `a` (attempts) and `d` (their
 * deliveries); `null` when they can match nothing. The partitioned log has no foreign keys, so
 * Prisma cannot follow an attempt to its delivery: the page is chosen in SQL, then read whole.
 */
function attemptWhere(
  query: z.output<typeof attemptsByMsgQuery>,
  scope: AttemptScope,
  p: SqlParams,
): string[] | null {
  // Recorded attempts are finished: pending (1) and sending (3) have none; canceled (4) neither.
  if (query.status !== undefined && query.status !== 0 && query.status !== 2) return null;
  const cls = query.status_code_class;
  const window = createdAtWindow(query);
  const where = [`a.app_id = ${p.add(scope.appId)}`];
  if (scope.endpointId) where.push(`a.endpoint_id = ${p.add(scope.endpointId)}`);
  if (scope.eventId) where.push(`d.event_id = ${p.add(scope.eventId)}`);
  if (query.status === 0) where.push("a.error IS NULL");
  if (query.status === 2) where.push("a.error IS NOT NULL");
  if (cls === 0) where.push("a.response_status IS NULL");
  if (cls !== undefined && cls > 0)
    where.push(
      `a.response_status >= ${p.add(cls, "::int")} AND a.response_status < ${p.add(cls + 100, "::int")}`,
    );
  if (window?.gt) where.push(...attemptsMadeSql("a", ">", p.add(window.gt, "::timestamptz")));
  if (window?.lt) where.push(...attemptsMadeSql("a", "<", p.add(window.lt, "::timestamptz")));
  if (query.event_types?.length)
    where.push(`d.event_name = ANY(${p.add(query.event_types, "::text[]")})`);
  if (query.channel || query.tag) where.push(eventHas(query, p));
  return where;
}

function emptyPage<T>(): SvixListPage<T> {
  return { data: [], iterator: null, prevIterator: null, done: true };
}

async function attemptPage(
  scope: AttemptScope,
  query: z.output<typeof attemptsByMsgQuery> & { with_msg?: boolean },
  listScope: object,
): Promise<SvixListPage<SvixAttemptOut>> {
  const p = new SqlParams();
  const where = attemptWhere(query, scope, p);
  if (!where) return emptyPage();
  const page = await svixPage(
    query,
    { ...listScope, ...query, iterator: null, limit: null },
    "descending",
    async ({ take, keyset }) => {
      const { beyond, orderBy } = keysetSql("a", keyset, p);
      const { prisma, pool } = getDb();
      const after = keyset.after?.createdAt;
      if (after)
        beyond.push(
          ...attemptsMadeSql("a", keyset.ascending ? ">=" : "<=", p.add(after, "::timestamptz")),
        );
      const readPage = (window: AttemptWindow) => {
        const q = p.fork();
        const bounds = [
          ...(window.from ? attemptsMadeSql("a", ">=", q.add(window.from, "::timestamptz")) : []),
          ...(window.to ? attemptsMadeSql("a", "<", q.add(window.to, "::timestamptz")) : []),
        ];
        return pool
          .query<{ id: string; delivery_id: string; event_id: string }>(
            `SELECT a.id, a.delivery_id, d.event_id FROM all_attempts a JOIN deliveries d ON d.id = a.delivery_id
             WHERE ${[...where, ...beyond, ...bounds].join(" AND ")} ${orderBy} LIMIT ${q.add(take, "::int")}`,
            q.values,
          )
          .then((r) => r.rows);
      };
      // A message's attempts are few (its deliveries'); an endpoint's are read by time, nearest
      // the page's start first (lib/delivery-log/attempt-log.ts).
      const range = createdAtWindow(query);
      const start = keyset.ascending ? (after ?? range?.gt) : (after ?? range?.lt ?? new Date());
      const startAt = start === undefined ? undefined : new Date(start);
      const rows =
        scope.eventId || !startAt
          ? await readPage({ from: null, to: null })
          : await readAttemptPageInWindows(
              { at: startAt, descending: !keyset.ascending },
              take,
              readPage,
            );
      const [attempts, events] = await Promise.all([
        readAttemptsById(
          scope.appId,
          [...new Set(rows.map((r) => r.delivery_id))],
          rows.map((r) => r.id),
        ),
        query.with_msg
          ? prisma.event.findMany({
              where: { id: { in: [...new Set(rows.map((r) => r.event_id))] } },
            })
          : [],
      ]);
      const attemptById = new Map(attempts.map((a) => [a.id, a]));
      const eventById = new Map(events.map((e) => [e.id, e]));
      return rows.flatMap((r) => {
        const attempt = attemptById.get(r.id);
        return attempt
          ? [{ ...attempt, eventId: r.event_id, event: eventById.get(r.event_id) }]
          : [];
      });
    },
  );
  return mapPage(page, (a) => serializeAttempt(a, query.with_content ?? true));
}

/** `message-attempt.list-by-endpoint`: the endpoint's attempts, newest first. */
export function listAttemptsByEndpoint(
  app: Pick<App, "id">,
  endpoint: Pick<Endpoint, "id">,
  query: AttemptsByEndpointQuery,
): Promise<SvixListPage<SvixAttemptOut>> {
  return attemptPage({ appId: app.id, endpointId: endpoint.id }, query, {
    list: "svix.attempts.endpoint",
    app: app.id,
    endpoint: endpoint.id,
  });
}

/** `message-attempt.list-by-msg`: the message's attempts (optionally at one endpoint). */
export async function listAttemptsByMsg(
  app: Pick<App, "id">,
  msgIdOrEventId: string,
  query: AttemptsByMsgQuery,
  endpointId?: string,
): Promise<SvixListPage<SvixAttemptOut>> {
  const event = await findSvixMessage(app, msgIdOrEventId);
  return attemptPage(
    { appId: app.id, eventId: event.id, ...(endpointId && { endpointId }) },
    query,
    { list: "svix.attempts.msg", app: app.id, msg: event.id },
  );
}

export const attemptNotFound = () => apiErrors.notFound("Message attempt");

async function findAttempt(app: Pick<App, "id">, msgIdOrEventId: string, attemptId: string) {
  const event = await findSvixMessage(app, msgIdOrEventId);
  const { prisma } = getDb();
  // The message's deliveries first: attempts are keyed (delivery_id, id).
  const deliveries = await prisma.delivery.findMany({
    where: { appId: app.id, eventId: event.id },
    select: { id: true },
  });
  const [attempt] = await readAttemptsById(
    app.id,
    deliveries.map((d) => d.id),
    [attemptId],
  );
  if (!attempt) throw attemptNotFound();
  return { ...attempt, eventId: event.id };
}

export async function getSvixAttempt(
  app: Pick<App, "id">,
  msgIdOrEventId: string,
  attemptId: string,
): Promise<SvixAttemptOut> {
  return serializeAttempt(await findAttempt(app, msgIdOrEventId, attemptId));
}

/** `message-attempt.expunge-content`: the response body goes, as retention would take it. */
export async function expungeSvixAttemptContent(
  app: Pick<App, "id">,
  msgIdOrEventId: string,
  attemptId: string,
): Promise<void> {
  const attempt = await findAttempt(app, msgIdOrEventId, attemptId);
  await removeAttemptBody(attempt.deliveryId, attempt.id);
}

export type SvixMessageEndpointOut = SvixEndpointOut & {
  status: SvixStatus;
  statusText: SvixStatusText;
  nextAttempt: string | null;
};

function serializeDestination(d: Delivery & { endpoint: Endpoint }): SvixMessageEndpointOut {
  return {
    ...toEndpointOut(d.endpoint),
    ...statusOf(deliveryStatusText(d.status)),
    nextAttempt: d.nextAttemptAt?.toISOString() ?? null,
  };
}

/** `message-attempt.list-attempted-destinations`: the message's endpoints with its status at each. */
export async function listAttemptedDestinations(
  app: Pick<App, "id">,
  msgIdOrEventId: string,
  query: AttemptedDestinationsQuery,
): Promise<SvixListPage<SvixMessageEndpointOut>> {
  const event = await findSvixMessage(app, msgIdOrEventId);
  const scope = { list: "svix.msg.endpoints", app: app.id, msg: event.id };
  const page = await svixPage(query, scope, "ascending", ({ where, orderBy, take }) =>
    getDb().prisma.delivery.findMany({
      where: { AND: [{ appId: app.id, eventId: event.id }, where] },
      orderBy,
      take,
      include: { endpoint: true },
    }),
  );
  return mapPage(page, serializeDestination);
}

export type SvixEndpointMessageOut = SvixMessageOut & {
  status: SvixStatus;
  statusText: SvixStatusText;
  nextAttempt: string | null;
};

const DELIVERY_STATUSES_OF: Record<number, DeliveryStatus[]> = {
  0: ["success"],
  1: ["pending", "retrying"],
  2: ["failed", "cancelled"],
  3: [],
  4: ["cancelled"],
};

/** `message-attempt.list-attempted-messages`: the messages sent to an endpoint, newest first. */
export async function listAttemptedMessages(
  app: Pick<App, "id">,
  endpoint: Pick<Endpoint, "id">,
  query: AttemptedMessagesQuery,
): Promise<SvixListPage<SvixEndpointMessageOut>> {
  const window = createdAtWindow(query);
  const p = new SqlParams();
  const where = [`d.app_id = ${p.add(app.id)}`, `d.endpoint_id = ${p.add(endpoint.id)}`];
  if (query.status !== undefined)
    where.push(`d.status::text = ANY(${p.add(DELIVERY_STATUSES_OF[query.status], "::text[]")})`);
  if (query.event_types?.length)
    where.push(`d.event_name = ANY(${p.add(query.event_types, "::text[]")})`);
  if (window?.gt) where.push(`d.created_at > ${p.add(window.gt, "::timestamptz")}`);
  if (window?.lt) where.push(`d.created_at < ${p.add(window.lt, "::timestamptz")}`);
  if (query.channel || query.tag) where.push(eventHas(query, p));
  const scope = {
    ...query,
    list: "svix.endpoint.msgs",
    app: app.id,
    endpoint: endpoint.id,
    iterator: null,
    limit: null,
  };
  const { prisma } = getDb();
  const page = await svixPage(query, scope, "descending", ({ take, keyset }) =>
    pageOfDeliveries(where, p, take, keyset),
  );
  const events = new Map(
    (
      await prisma.event.findMany({
        where: { id: { in: [...new Set(page.data.map((d) => d.eventId))] } },
      })
    ).map((e) => [e.id, e]),
  );
  return mapPage({ ...page, data: page.data.filter((d) => events.has(d.eventId)) }, (d) => ({
    ...serializeMessage(events.get(d.eventId)!, query.with_content ?? true),
    ...statusOf(deliveryStatusText(d.status)),
    nextAttempt: d.nextAttemptAt?.toISOString() ?? null,
  }));
}

/** SQL: the event of delivery `d` carries the channel and the tag asked for. */
function eventHas(query: { channel?: string; tag?: string }, p: SqlParams): string {
  return `EXISTS (SELECT 1 FROM events e WHERE e.id = d.event_id${query.channel ? ` AND ${p.add(query.channel)} = ANY(e.channels)` : ""}${query.tag ? ` AND ${p.add(query.tag)} = ANY(e.tags)` : ""})`;
}

/** The keyset clause over `alias`'s (created_at, id) and the ORDER BY that goes with it. */
function keysetSql(
  alias: string,
  keyset: { after: Keyset | undefined; ascending: boolean },
  p: SqlParams,
) {
  const dir = keyset.ascending ? "ASC" : "DESC";
  return {
    beyond: keyset.after
      ? [
          `(${alias}.created_at, ${alias}.id) ${keyset.ascending ? ">" : "<"} (${p.add(keyset.after.createdAt, "::timestamptz")}, ${p.add(keyset.after.id)})`,
        ]
      : [],
    orderBy: `ORDER BY ${alias}.created_at ${dir}, ${alias}.id ${dir}`,
  };
}

async function pageOfDeliveries(
  where: string[],
  p: SqlParams,
  take: number,
  keyset: { after: Keyset | undefined; ascending: boolean },
): Promise<Delivery[]> {
  const { beyond, orderBy } = keysetSql("d", keyset, p);
  const { rows } = await getDb().pool.query<{ id: string }>(
    `SELECT d.id FROM deliveries d WHERE ${[...where, ...beyond].join(" AND ")} ${orderBy} LIMIT ${p.add(take, "::int")}`,
    p.values,
  );
  const found = await getDb().prisma.delivery.findMany({
    where: { id: { in: rows.map((r) => r.id) } },
  });
  const byId = new Map(found.map((d) => [d.id, d]));
  return rows.flatMap((r) => byId.get(r.id) ?? []);
}

/**
 * `message-attempt.resend`: the delivery of this message to this endpoint is attempted again
 * now (the same delivery, so the same `svix-id`), recorded as a manual attempt.
 */
export async function resendSvixMessage(
  app: Pick<App, "id">,
  msgIdOrEventId: string,
  endpoint: Pick<Endpoint, "id">,
): Promise<void> {
  const event = await findSvixMessage(app, msgIdOrEventId);
  if (event.payloadExpiredAt)
    throw apiErrors.conflict("The message's payload was expunged or expired; it cannot be resent");
  const delivery = await getDb().prisma.delivery.findFirst({
    where: { appId: app.id, eventId: event.id, endpointId: endpoint.id },
    select: { id: true },
  });
  if (!delivery) throw apiErrors.notFound("Message attempt for this endpoint");
  const result = await scheduleManualAttempt(delivery.id, "manual");
  if (result.scheduled) return;
  if (result.reason === "in_flight")
    throw apiErrors.conflict("The message is being sent to this endpoint right now");
  if (result.reason === "endpoint_inactive") throw apiErrors.conflict("The endpoint is disabled");
  throw attemptNotFound();
}
