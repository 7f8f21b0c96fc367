/**
 * Svix message attempts over Hookline's delivery log. A Svix attempt is one of Hookline's
 * attempts (one HTTP request); Svix's per-endpoint status of a message is a Hookline delivery
 * (`MessageEndpointOut`, `EndpointMessageOut`). Status integers: 0 success, 1 pending, 2 fail,
 * 3 sending; an attempt is made before it is recorded, so attempts are 0 or 2.
 */
import { z } from "zod";
import type { App, Attempt, Delivery, Endpoint, Event, Prisma } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { scheduleManualAttempt } from "@/lib/delivery/schedule-manual-attempts";
import type { DeliveryStatus } from "@/lib/delivery/states";
import { apiErrors } from "@/lib/http/errors";
import { svixBooleanQuery } from "@/lib/svix/shared";
import { svixListQuery, svixPage, mapPage, type SvixListPage } from "@/lib/svix/pagination";
import {
  createdAtWindow,
  findSvixMessage,
  serializeMessage,
  svixChannel,
  svixEventTypeName,
  svixTag,
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
  status: statusParam.optional(),
  status_code_class: statusCodeClassParam.optional(),
  channel: svixChannel.optional(),
  tag: svixTag.optional(),
  event_types: z.array(svixEventTypeName).max(100).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  with_content: svixBooleanQuery.optional(),
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
  status: statusParam.optional(),
  channel: svixChannel.optional(),
  tag: svixTag.optional(),
  event_types: z.array(svixEventTypeName).max(100).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  with_content: svixBooleanQuery.optional(),
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

type AttemptRow = Attempt & { delivery: { eventId: string; event?: Event } };

export function serializeAttempt(a: AttemptRow, withContent = true): SvixAttemptOut {
  return {
    id: a.id,
    msgId: a.delivery.eventId,
    endpointId: a.endpointId,
    url: a.requestUrl,
    response: withContent ? (a.responseBody ?? a.error ?? "") : "",
    responseStatusCode: a.responseStatus ?? 0,
    responseDurationMs: a.durationMs,
    ...statusOf(a.error === null ? "success" : "fail"),
    triggerType: a.trigger === "auto" ? 0 : 1,
    timestamp: a.createdAt.toISOString(),
    ...(a.delivery.event && { msg: serializeMessage(a.delivery.event, withContent) }),
  };
}

/** Attempt filters shared by both attempt lists; `null` when they can match nothing. */
function attemptWhere(query: z.output<typeof attemptsByMsgQuery>): Prisma.AttemptWhereInput | null {
  // Recorded attempts are finished: pending (1) and sending (3) have none; canceled (4) neither.
  if (query.status !== undefined && query.status !== 0 && query.status !== 2) return null;
  const cls = query.status_code_class;
  const window = createdAtWindow(query);
  return {
    ...(query.status === 0 && { error: null }),
    ...(query.status === 2 && { error: { not: null } }),
    ...(cls === 0 && { responseStatus: null }),
    ...(cls !== undefined && cls > 0 && { responseStatus: { gte: cls, lt: cls + 100 } }),
    ...(window && { createdAt: window }),
    delivery: {
      ...(query.event_types?.length && { eventName: { in: query.event_types } }),
      ...((query.channel || query.tag) && {
        event: {
          ...(query.channel && { channels: { has: query.channel } }),
          ...(query.tag && { tags: { has: query.tag } }),
        },
      }),
    },
  };
}

function emptyPage<T>(): SvixListPage<T> {
  return { data: [], iterator: null, prevIterator: null, done: true };
}

async function attemptPage(
  base: Prisma.AttemptWhereInput,
  query: z.output<typeof attemptsByMsgQuery> & { with_msg?: boolean },
  scope: object,
): Promise<SvixListPage<SvixAttemptOut>> {
  const filters = attemptWhere(query);
  if (!filters) return emptyPage();
  const page = await svixPage(
    query,
    { ...scope, ...query, iterator: null, limit: null },
    "descending",
    ({ where, orderBy, take }) =>
      getDb().prisma.attempt.findMany({
        where: { AND: [base, filters, where] },
        orderBy,
        take,
        include: { delivery: { select: { eventId: true, event: query.with_msg ?? false } } },
      }),
  );
  return mapPage(page, (a) => serializeAttempt(a as AttemptRow, query.with_content ?? true));
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
    { appId: app.id, delivery: { eventId: event.id }, ...(endpointId && { endpointId }) },
    query,
    { list: "svix.attempts.msg", app: app.id, msg: event.id },
  );
}

export const attemptNotFound = () => apiErrors.notFound("Message attempt");

async function findAttempt(app: Pick<App, "id">, msgIdOrEventId: string, attemptId: string) {
  const event = await findSvixMessage(app, msgIdOrEventId);
  const attempt = await getDb().prisma.attempt.findFirst({
    where: { id: attemptId, appId: app.id, delivery: { eventId: event.id } },
    include: { delivery: { select: { eventId: true } } },
  });
  if (!attempt) throw attemptNotFound();
  return attempt;
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
  await getDb().prisma.attempt.update({
    where: { id: attempt.id },
    data: { responseBody: null, responseBodyTruncated: false },
  });
}

export interface SvixMessageEndpointOut {
  id: string;
  uid: string | null;
  url: string;
  description: string;
  disabled: boolean;
  eventTypes: string[] | null;
  channels: string[] | null;
  throttleRate: number | null;
  createdAt: string;
  updatedAt: string;
  status: SvixStatus;
  statusText: SvixStatusText;
  nextAttempt: string | null;
}

type EndpointFields = Pick<
  Endpoint,
  | "id"
  | "url"
  | "description"
  | "isActive"
  | "subscriptions"
  | "channels"
  | "rateLimit"
  | "createdAt"
  | "updatedAt"
  | "svixUid"
>;

function serializeDestination(d: Delivery & { endpoint: EndpointFields }): SvixMessageEndpointOut {
  const e = d.endpoint;
  return {
    id: e.id,
    uid: e.svixUid,
    url: e.url,
    description: e.description ?? "",
    disabled: !e.isActive,
    // Svix says "every event type" with null; Hookline with `*`.
    eventTypes:
      e.subscriptions.length > 0 && !e.subscriptions.includes("*") ? e.subscriptions : null,
    channels: e.channels.length > 0 ? e.channels : null,
    throttleRate: e.rateLimit,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
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
  const filters: Prisma.DeliveryWhereInput = {
    appId: app.id,
    endpointId: endpoint.id,
    ...(query.status !== undefined && { status: { in: DELIVERY_STATUSES_OF[query.status] } }),
    ...(query.event_types?.length && { eventName: { in: query.event_types } }),
    ...(window && { createdAt: window }),
    ...((query.channel || query.tag) && {
      event: {
        ...(query.channel && { channels: { has: query.channel } }),
        ...(query.tag && { tags: { has: query.tag } }),
      },
    }),
  };
  const scope = {
    ...query,
    list: "svix.endpoint.msgs",
    app: app.id,
    endpoint: endpoint.id,
    iterator: null,
    limit: null,
  };
  const page = await svixPage(query, scope, "descending", ({ where, orderBy, take }) =>
    getDb().prisma.delivery.findMany({
      where: { AND: [filters, where] },
      orderBy,
      take,
      include: { event: true },
    }),
  );
  return mapPage(page, (d) => ({
    ...serializeMessage(d.event, query.with_content ?? true),
    ...statusOf(deliveryStatusText(d.status)),
    nextAttempt: d.nextAttemptAt?.toISOString() ?? null,
  }));
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
