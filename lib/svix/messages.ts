/**
 * Svix messages over Hookline events: a message is an event (its id, `msg_...`, is the event's
 * id and every delivery's `svix-id`), `eventType` its name, `eventId` its uid (unique per app for
 * good, and a lookup key wherever Svix takes a message id), `channels` and `tags` its labels.
 * Creating one takes the native trigger's accept path (catalog check, group commit, fan-out
 * behind the answer).
 */
import { z } from "zod";
import { Prisma, type App, type Event } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { payloadValueOf } from "@/lib/events/payload-text";
import { acceptAppEvent } from "@/lib/events/trigger-event";
import { apiErrors } from "@/lib/http/errors";
import { svixValidationError } from "@/lib/svix/errors";
import { svixBooleanQuery } from "@/lib/svix/shared";
import { svixListQuery, svixPage, mapPage, type SvixListPage } from "@/lib/svix/pagination";

const SVIX_NAME = /^[a-zA-Z0-9\-_.]+$/;
const NAME_MESSAGE = "must be letters, digits, - _ or .";

export const svixEventTypeName = z.string().min(1).max(256).regex(SVIX_NAME, NAME_MESSAGE);
export const svixChannel = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9\-_.:+]+$/, "must be letters, digits, - _ . : or +");
export const svixTag = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9\-_./\\#]+$/, "must be letters, digits, - _ . / \\ or #");

const unique = (items: readonly string[]) => new Set(items).size === items.length;

/** `MessageIn`. Unknown fields are ignored as Svix does; features Hookline lacks are refused. */
export const svixMessageIn = z.object({
  eventType: svixEventTypeName,
  payload: z.record(z.string(), z.unknown(), { message: "must be a JSON object" }),
  eventId: z.string().min(1).max(256).regex(SVIX_NAME, NAME_MESSAGE).nullish(),
  channels: z
    .array(svixChannel)
    .min(1)
    .max(10)
    .refine(unique, "must not repeat a channel")
    .nullish(),
  tags: z.array(svixTag).max(5).refine(unique, "must not repeat a tag").nullish(),
  /** Accepted for compatibility; payloads follow Hookline's retention (HOOKLINE_PAYLOAD_RETENTION_DAYS). */
  payloadRetentionPeriod: z.number().int().min(1).max(90).nullish(),
  payloadRetentionHours: z.number().int().min(1).max(2160).nullish(),
  deliverAt: z.null({ message: "scheduled delivery (deliverAt) is not supported" }).optional(),
  application: z
    .null({ message: "creating the application with the message is not supported" })
    .optional(),
  transformationsParams: z.null({ message: "transformations are not supported" }).optional(),
});
export type SvixMessageIn = z.output<typeof svixMessageIn>;

export const withContentQuery = z.object({ with_content: svixBooleanQuery.optional() });

/** Query filters over messages, shared by the message list and the attempt lists. */
export const messageFilters = {
  channel: svixChannel.optional(),
  tag: svixTag.optional(),
  event_types: z.array(svixEventTypeName).max(100).optional(),
  before: z.iso.datetime({ offset: true }).optional(),
  after: z.iso.datetime({ offset: true }).optional(),
  with_content: svixBooleanQuery.optional(),
};

export const svixMessageListQuery = svixListQuery.extend(messageFilters);
export type SvixMessageListQuery = z.output<typeof svixMessageListQuery>;
export const MESSAGE_LIST_ARRAYS = ["event_types"] as const;

export interface SvixMessageOut {
  id: string;
  eventType: string;
  eventId: string | null;
  payload: Record<string, unknown>;
  channels: string[] | null;
  tags: string[] | null;
  timestamp: string;
}

type MessageRow = Pick<
  Event,
  "id" | "name" | "uid" | "payload" | "payloadText" | "channels" | "tags" | "createdAt"
>;

/**
 * `MessageOut`: an expunged or expired payload, or `with_content=false`, answers `{}`. The payload
 * is parsed from its stored text, so its keys answer in the order the producer sent them.
 */
export function serializeMessage(event: MessageRow, withContent = true): SvixMessageOut {
  const value = withContent ? payloadValueOf(event) : null;
  const payload = value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  return {
    id: event.id,
    eventType: event.name,
    eventId: event.uid,
    payload,
    channels: event.channels.length > 0 ? event.channels : null,
    tags: event.tags.length > 0 ? event.tags : null,
    timestamp: event.createdAt.toISOString(),
  };
}

export const messageNotFound = () => apiErrors.notFound("Message");

/**
 * `message.create`: 409 when the app already has a message with this `eventId`. The
 * `idempotency-key` is the event's idempotency key, kept in the same group-committed insert: a
 * repeat within its window answers the first message and sends nothing.
 */
export async function createSvixMessage(
  app: App,
  input: SvixMessageIn,
  withContent = true,
  idempotencyKey: string | null = null,
  payloadText?: string,
): Promise<SvixMessageOut> {
  const event = await acceptAppEvent(
    app,
    {
      name: input.eventType,
      payload: input.payload,
      payloadText,
      key: idempotencyKey,
      channels: input.channels ?? [],
      uid: input.eventId ?? null,
      tags: input.tags ?? [],
    },
    "eventType",
  );
  if (event.uidTaken)
    throw apiErrors.conflict(`A message with eventId "${input.eventId}" already exists`, {
      msg_id: event.eventId,
    });
  if (event.duplicate) return getSvixMessage(app, event.eventId, withContent);
  return serializeMessage(
    {
      id: event.eventId,
      name: event.name,
      uid: input.eventId ?? null,
      payload: input.payload as Prisma.JsonObject,
      payloadText: payloadText ?? null,
      channels: [...(input.channels ?? [])],
      tags: [...(input.tags ?? [])],
      createdAt: event.createdAt,
    },
    withContent,
  );
}

/** The message by id or `eventId`; an id wins over another message's equal `eventId`. */
export async function findSvixMessage(app: Pick<App, "id">, idOrEventId: string): Promise<Event> {
  const rows = await getDb().prisma.event.findMany({
    where: { appId: app.id, OR: [{ id: idOrEventId }, { uid: idOrEventId }] },
    take: 2,
  });
  const event = rows.find((r) => r.id === idOrEventId) ?? rows[0];
  if (!event) throw messageNotFound();
  return event;
}

export async function getSvixMessage(
  app: Pick<App, "id">,
  idOrEventId: string,
  withContent = true,
): Promise<SvixMessageOut> {
  return serializeMessage(await findSvixMessage(app, idOrEventId), withContent);
}

/** The `before`/`after` window on `createdAt`, refused when empty. */
export function createdAtWindow(query: {
  before?: string;
  after?: string;
}): Prisma.DateTimeFilter | undefined {
  if (!query.before && !query.after) return undefined;
  const before = query.before ? new Date(query.before) : undefined;
  const after = query.after ? new Date(query.after) : undefined;
  if (before && after && after >= before)
    throw svixValidationError("query", [{ loc: ["after"], msg: "must be earlier than before" }]);
  return { ...(before && { lt: before }), ...(after && { gt: after }) };
}

/** `message.list`: newest first, filtered by channel, tag, event types and time. */
export async function listSvixMessages(
  app: Pick<App, "id">,
  query: SvixMessageListQuery,
): Promise<SvixListPage<SvixMessageOut>> {
  const where: Prisma.EventWhereInput = {
    appId: app.id,
    ...(query.channel && { channels: { has: query.channel } }),
    ...(query.tag && { tags: { has: query.tag } }),
    ...(query.event_types?.length && { name: { in: query.event_types } }),
  };
  const window = createdAtWindow(query);
  const scope = {
    list: "svix.messages",
    app: app.id,
    channel: query.channel ?? null,
    tag: query.tag ?? null,
    event_types: query.event_types ?? null,
    before: query.before ?? null,
    after: query.after ?? null,
  };
  const page = await svixPage(query, scope, "descending", ({ where: keyset, orderBy, take }) =>
    getDb().prisma.event.findMany({
      where: { AND: [where, keyset, window ? { createdAt: window } : {}] },
      orderBy,
      take,
    }),
  );
  return mapPage(page, (e) => serializeMessage(e, query.with_content ?? true));
}

/**
 * `message.expunge-content`: the payload goes as retention would take it (deliveries not yet
 * made are cancelled, never sent without it); the message and its attempts stay.
 */
export async function expungeSvixMessageContent(
  app: Pick<App, "id">,
  idOrEventId: string,
): Promise<void> {
  const event = await findSvixMessage(app, idOrEventId);
  await getDb().prisma.event.updateMany({
    where: { id: event.id, payloadExpiredAt: null },
    data: { payload: Prisma.DbNull, payloadText: null, payloadExpiredAt: new Date() },
  });
}
