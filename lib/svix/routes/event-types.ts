/**
 * Event types (`/event-type`): the environment-wide catalog (lib/svix/catalog.ts), through
 * lib/event-types with the environment as the catalog's owner. Svix's `schemas` are kept as
 * documentation (Svix does not validate payloads against them, so neither does this catalog);
 * the latest version's first example becomes the type's example, which the portal shows.
 */
import { z } from "zod";
import type { EventType } from "@/generated/prisma/client";
import { createEventType } from "@/lib/event-types/create-event-type";
import { deleteEventType } from "@/lib/event-types/delete-event-type";
import { ENVIRONMENT_CATALOG, getEventType } from "@/lib/event-types/get-event-type";
import { updateEventType } from "@/lib/event-types/update-event-type";
import { getDb } from "@/lib/db/client";
import { eventName } from "@/lib/events/schemas";
import { assertEnvironmentPrincipal } from "@/lib/svix/auth";
import { examplesOf } from "@/lib/svix/catalog";
import { mapPage, svixListQuery, svixPage } from "@/lib/svix/pagination";
import { svixReply, type SvixContext, type SvixRoute } from "@/lib/svix/router";
import { svixBooleanQuery } from "@/lib/svix/shared";

export interface SvixEventTypeOut {
  name: string;
  description: string;
  archived: boolean;
  deprecated: boolean;
  schemas: Record<string, unknown> | null;
  groupName: string | null;
  featureFlags: string[] | null;
  featureFlag: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toEventTypeOut(eventType: EventType, withContent = true): SvixEventTypeOut {
  const schemas =
    (eventType.schemas as Record<string, unknown> | null) ??
    (eventType.schema ? { "1": eventType.schema } : null);
  return {
    name: eventType.name,
    description: eventType.description ?? "",
    archived: eventType.archived,
    deprecated: eventType.deprecated,
    schemas: withContent ? schemas : null,
    groupName: eventType.groupName,
    featureFlags: eventType.featureFlags.length ? eventType.featureFlags : null,
    featureFlag: eventType.featureFlags[0] ?? null,
    createdAt: eventType.createdAt.toISOString(),
    updatedAt: eventType.updatedAt.toISOString(),
  };
}

const jsonObject = z.record(z.string(), z.unknown(), { message: "must be a JSON object" });
const flag = z
  .string()
  .max(256)
  .regex(/^[a-zA-Z0-9\-_.]+$/, "must contain only a-z, A-Z, 0-9, -, _ and .");
const fields = {
  description: z.string().max(2000, "must be at most 2000 characters"),
  archived: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  schemas: z.record(z.string(), jsonObject).nullish(),
  groupName: z.string().max(256).nullish(),
  featureFlags: z.array(flag).max(50).nullish(),
  featureFlag: flag.nullish(),
};
export const eventTypeIn = z.object({ name: eventName, ...fields });
export const eventTypeUpdate = z.object(fields);
export const eventTypePatch = z.object({ ...fields, description: fields.description.optional() });
type EventTypeBody = z.output<typeof eventTypePatch>;

/** PUT sends every field (absent ones reset); PATCH only those given. */
function toDomain(body: EventTypeBody, whole: boolean) {
  const pick = <T>(value: T | undefined, reset: T): T | undefined =>
    value !== undefined ? value : whole ? reset : undefined;
  const flags =
    body.featureFlags !== undefined
      ? (body.featureFlags ?? [])
      : body.featureFlag !== undefined
        ? body.featureFlag === null
          ? []
          : [body.featureFlag]
        : undefined;
  const example =
    body.schemas === undefined
      ? undefined
      : ((examplesOf({ schemas: body.schemas, example: null } as EventType)[0] ?? null) as Record<
          string,
          unknown
        > | null);
  return {
    description: body.description,
    archived: pick(body.archived, false),
    example: pick(example, null),
    svix: {
      schemas: pick(body.schemas, null),
      deprecated: pick(body.deprecated, false),
      groupName: pick(body.groupName, null),
      featureFlags: pick(flags, []),
    },
  };
}

async function environmentType(ctx: SvixContext): Promise<EventType> {
  return getEventType(ENVIRONMENT_CATALOG, ctx.params.event_type_name!);
}

const ONE = "/event-type/{event_type_name}";

export const eventTypeRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: "/event-type",
    operationId: "v1.event-type.list",
    handler: async (ctx) => {
      const query = ctx.query(
        svixListQuery.extend({
          include_archived: svixBooleanQuery.optional(),
          with_content: svixBooleanQuery.optional(),
        }),
      );
      const archived = query.include_archived ? {} : { archived: false };
      const page = await svixPage(
        query,
        { list: "svix_event_types", archived: query.include_archived ?? false },
        "ascending",
        (args) =>
          getDb().prisma.eventType.findMany({
            where: { AND: [{ appId: null, ...archived }, args.where] },
            orderBy: args.orderBy,
            take: args.take,
          }),
      );
      return mapPage(page, (row) => toEventTypeOut(row, query.with_content ?? false));
    },
  },
  {
    method: "POST",
    path: "/event-type",
    operationId: "v1.event-type.create",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const body = await ctx.body(eventTypeIn);
      const created = await createEventType(
        ENVIRONMENT_CATALOG,
        { name: body.name, ...toDomain(body, true) },
        ctx.principal.actor,
      );
      return svixReply(201, toEventTypeOut(created));
    },
  },
  {
    method: "GET",
    path: ONE,
    operationId: "v1.event-type.get",
    handler: async (ctx) => toEventTypeOut(await environmentType(ctx)),
  },
  {
    method: "PUT",
    path: ONE,
    operationId: "v1.event-type.update",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const body = await ctx.body(eventTypeUpdate);
      const name = ctx.params.event_type_name!;
      const exists = await getDb().prisma.eventType.findFirst({ where: { appId: null, name } });
      if (!exists) {
        // Svix's upsert: a new name creates the type.
        const valid = eventName.safeParse(name);
        if (!valid.success) await environmentType(ctx);
        const created = await createEventType(
          ENVIRONMENT_CATALOG,
          { name, ...toDomain(body, true) },
          ctx.principal.actor,
        );
        return svixReply(201, toEventTypeOut(created));
      }
      const updated = await updateEventType(
        ENVIRONMENT_CATALOG,
        name,
        toDomain(body, true),
        ctx.principal.actor,
      );
      return toEventTypeOut(updated);
    },
  },
  {
    method: "PATCH",
    path: ONE,
    operationId: "v1.event-type.patch",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const body = await ctx.body(eventTypePatch);
      const current = await environmentType(ctx);
      const updated = await updateEventType(
        ENVIRONMENT_CATALOG,
        current.name,
        toDomain(body, false),
        ctx.principal.actor,
      );
      return toEventTypeOut(updated);
    },
  },
  {
    method: "DELETE",
    path: ONE,
    operationId: "v1.event-type.delete",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const { expunge } = ctx.query(z.object({ expunge: svixBooleanQuery.optional() }));
      const current = await environmentType(ctx);
      // As Svix: archived unless `expunge=true`, which removes it.
      if (expunge) await deleteEventType(ENVIRONMENT_CATALOG, current.name, ctx.principal.actor);
      else
        await updateEventType(
          ENVIRONMENT_CATALOG,
          current.name,
          { archived: true },
          ctx.principal.actor,
        );
      return svixReply(204);
    },
  },
];
