/**
 * Endpoints (`/app/{app_id}/endpoint/...`): a translation onto lib/endpoints. Svix's fields map
 * to Hookline's: `disabled` = not active, `eventTypes` (1.x `filterTypes`; null = all) =
 * subscriptions (`*`), `throttleRate` (1.x `rateLimit`) = rate limit, `channels`, `description`,
 * `headers`; `uid`, `metadata` and `version` are kept on the endpoint. A caller's `secret` is
 * used as the signing secret (create, and `key` on rotate).
 */
import { z } from "zod";
import type { App, Endpoint } from "@/generated/prisma/client";
import { countEndpointDeliveries } from "@/lib/analytics/endpoint-counts";
import { getDb } from "@/lib/db/client";
import { createEndpoint, DEFAULT_SUBSCRIPTIONS } from "@/lib/endpoints/create-endpoint";
import { customHeaders, isSensitiveHeader } from "@/lib/endpoints/custom-headers";
import { deleteEndpoint } from "@/lib/endpoints/delete-endpoint";
import { revealEndpointSecret } from "@/lib/endpoints/reveal-endpoint-secret";
import { rotateEndpointSecret } from "@/lib/endpoints/rotate-endpoint-secret";
import { MAX_ROTATION_GRACE_SECONDS, suppliedSigningSecret } from "@/lib/endpoints/schemas";
import { testEndpoint } from "@/lib/endpoints/test-endpoint";
import { updateEndpoint } from "@/lib/endpoints/update-endpoint";
import { channelName, eventName } from "@/lib/events/schemas";
import { apiErrors } from "@/lib/http/errors";
import { createReplayTask } from "@/lib/replays/create-replay-task";
import { findCatalogEventType } from "@/lib/svix/catalog";
import { validateSvixBody } from "@/lib/svix/input";
import { resolveSvixEndpoint } from "@/lib/svix/lookup";
import { mapPage, svixListQuery, svixPage } from "@/lib/svix/pagination";
import { svixReply, type SvixContext, type SvixRoute } from "@/lib/svix/router";
import { conflictOnDuplicate, svixMetadata, svixUid } from "@/lib/svix/shared";

export interface SvixEndpointOut {
  id: string;
  uid: string | null;
  url: string;
  description: string;
  metadata: Record<string, string>;
  disabled: boolean;
  eventTypes: string[] | null;
  /** 1.x's name of `eventTypes`. */
  filterTypes: string[] | null;
  channels: string[] | null;
  throttleRate: number | null;
  /** 1.x's name of `throttleRate`. */
  rateLimit: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const isEverything = (subscriptions: string[]) =>
  subscriptions.length === 1 && subscriptions[0] === "*";

export function toEndpointOut(endpoint: Endpoint): SvixEndpointOut {
  const eventTypes = isEverything(endpoint.subscriptions) ? null : endpoint.subscriptions;
  return {
    id: endpoint.id,
    uid: endpoint.svixUid,
    url: endpoint.url,
    description: endpoint.description ?? "",
    metadata: (endpoint.metadata ?? {}) as Record<string, string>,
    disabled: !endpoint.isActive,
    eventTypes,
    filterTypes: eventTypes,
    channels: endpoint.channels.length ? endpoint.channels : null,
    throttleRate: endpoint.rateLimit,
    rateLimit: endpoint.rateLimit,
    version: endpoint.version,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

const eventTypeList = z
  .array(eventName)
  .min(1, "must name at least one event type (or be null for all)")
  .max(100, "at most 100 event types");
const rate = z
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(10_000, "must be at most 10000");
const endpointFields = {
  url: z.string().trim().min(1, "must not be empty").max(65_536, "is too long"),
  description: z.string().max(2000, "must be at most 2000 characters").optional(),
  uid: svixUid.nullish(),
  disabled: z.boolean().optional(),
  eventTypes: eventTypeList.nullish(),
  filterTypes: eventTypeList.nullish(),
  channels: z.array(channelName).min(1).max(10, "at most 10 channels").nullish(),
  throttleRate: rate.nullish(),
  rateLimit: rate.nullish(),
  metadata: svixMetadata.optional(),
  version: z.number().int().min(1, "must be at least 1").nullish(),
};
const withSecret = { secret: suppliedSigningSecret.nullish() };

export const endpointIn = z.object({
  ...endpointFields,
  ...withSecret,
  headers: customHeaders.nullish(),
});
export const endpointUpdate = z.object(endpointFields);
export const endpointPatch = z.object({
  ...endpointFields,
  ...withSecret,
  url: endpointFields.url.optional(),
});
type EndpointBody = z.output<typeof endpointPatch>;

/** `eventTypes` (2.x) or else `filterTypes` (1.x): undefined unsent, null = every event. */
function subscriptionsOf(body: EndpointBody): { list?: string[]; field: string } {
  const given = body.eventTypes !== undefined ? body.eventTypes : body.filterTypes;
  const field = body.eventTypes !== undefined ? "eventTypes" : "filterTypes";
  if (given === undefined) return { field };
  return { list: given === null ? DEFAULT_SUBSCRIPTIONS : [...new Set(given)], field };
}

function rateOf(body: EndpointBody): number | null | undefined {
  return body.throttleRate !== undefined ? body.throttleRate : body.rateLimit;
}

async function create(ctx: SvixContext, app: App, body: z.output<typeof endpointIn>, uid?: string) {
  const subs = subscriptionsOf(body);
  const { endpoint } = await conflictOnDuplicate(
    () =>
      createEndpoint(
        app,
        {
          url: body.url,
          description: body.description ?? null,
          headers: body.headers ?? undefined,
          is_active: !(body.disabled ?? false),
          rate_limit: rateOf(body) ?? null,
          channels: body.channels ?? [],
          subscriptions: subs.list,
          subscriptionsField: subs.field as "subscriptions",
          secret: body.secret ?? undefined,
          svix: {
            uid: body.uid ?? uid ?? null,
            metadata: body.metadata ?? {},
            version: body.version ?? 1,
          },
        },
        ctx.principal.actor,
      ),
    `An endpoint with uid "${body.uid ?? uid}"`,
  );
  return endpoint;
}

/** PUT replaces every field; PATCH (`partial`) changes those given. */
async function update(
  ctx: SvixContext,
  app: App,
  current: Endpoint,
  body: EndpointBody,
  partial: boolean,
): Promise<Endpoint> {
  const subs = subscriptionsOf(body);
  const pick = <T>(value: T | undefined, whole: T): T | undefined =>
    value !== undefined ? value : partial ? undefined : whole;
  const rateLimit = rateOf(body);
  const updated = await conflictOnDuplicate(
    () =>
      updateEndpoint(
        app,
        current.id,
        {
          url: body.url,
          description: pick(body.description, ""),
          is_active: pick(body.disabled === undefined ? undefined : !body.disabled, true),
          rate_limit: pick(rateLimit, null),
          channels: pick(body.channels === null ? [] : body.channels, []),
          subscriptions: pick(subs.list, DEFAULT_SUBSCRIPTIONS),
          subscriptionsField: subs.field as "subscriptions",
          svix: {
            uid: pick(body.uid, null),
            metadata: pick(body.metadata, {}),
            version: pick(body.version ?? undefined, current.version),
          },
        },
        ctx.principal.actor,
      ),
    `An endpoint with uid "${body.uid}"`,
  );
  if (body.secret) {
    await rotateEndpointSecret(
      app,
      current.id,
      { graceSeconds: 0, secret: body.secret },
      ctx.principal.actor,
    );
  }
  return updated;
}

async function appAndEndpoint(ctx: SvixContext): Promise<{ app: App; endpoint: Endpoint }> {
  const app = await ctx.app();
  const endpoint = await resolveSvixEndpoint(app, ctx.params.endpoint_id!);
  return { app, endpoint };
}

const instant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .transform((s) => new Date(s));

/** Svix's redaction: sensitive values are not answered, only their names. */
function headersOut(endpoint: Endpoint) {
  const stored = (endpoint.headers ?? {}) as Record<string, string>;
  const headers: Record<string, string> = {};
  const sensitive: string[] = [];
  for (const [name, value] of Object.entries(stored)) {
    if (isSensitiveHeader(name)) sensitive.push(name);
    else headers[name] = value;
  }
  return { headers, sensitive };
}

const P = "/app/{app_id}/endpoint";
const ONE = `${P}/{endpoint_id}`;

export const endpointRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: P,
    operationId: "v1.endpoint.list",
    handler: async (ctx) => {
      const app = await ctx.app();
      const query = ctx.query(svixListQuery);
      const page = await svixPage(
        query,
        { list: "svix_endpoints", app: app.id },
        "ascending",
        (args) =>
          getDb().prisma.endpoint.findMany({
            where: { AND: [{ appId: app.id, deletedAt: null }, args.where] },
            orderBy: args.orderBy,
            take: args.take,
          }),
      );
      return mapPage(page, toEndpointOut);
    },
  },
  {
    method: "POST",
    path: P,
    operationId: "v1.endpoint.create",
    handler: async (ctx) => {
      const body = await ctx.body(endpointIn);
      const app = await ctx.app();
      return svixReply(201, toEndpointOut(await create(ctx, app, body)));
    },
  },
  {
    method: "GET",
    path: ONE,
    operationId: "v1.endpoint.get",
    handler: async (ctx) => toEndpointOut((await appAndEndpoint(ctx)).endpoint),
  },
  {
    method: "PUT",
    path: ONE,
    operationId: "v1.endpoint.update",
    handler: async (ctx) => {
      const body = await ctx.body(endpointUpdate);
      const app = await ctx.app();
      const current = await resolveSvixEndpoint(app, ctx.params.endpoint_id!).catch(
        (err: unknown) => {
          if ((err as { status?: number }).status === 404) return null;
          throw err;
        },
      );
      if (!current) {
        // Svix's upsert: an unknown id or uid creates the endpoint with that uid.
        const uid = svixUid.safeParse(ctx.params.endpoint_id);
        if (!uid.success) throw apiErrors.notFound("Endpoint");
        return svixReply(201, toEndpointOut(await create(ctx, app, body, uid.data)));
      }
      return toEndpointOut(await update(ctx, app, current, body, false));
    },
  },
  {
    method: "PATCH",
    path: ONE,
    operationId: "v1.endpoint.patch",
    handler: async (ctx) => {
      const body = await ctx.body(endpointPatch);
      const { app, endpoint } = await appAndEndpoint(ctx);
      return toEndpointOut(await update(ctx, app, endpoint, body, true));
    },
  },
  {
    method: "DELETE",
    path: ONE,
    operationId: "v1.endpoint.delete",
    handler: async (ctx) => {
      const { app, endpoint } = await appAndEndpoint(ctx);
      await deleteEndpoint(app, endpoint.id, ctx.principal.actor);
      return svixReply(204);
    },
  },
  {
    method: "GET",
    path: `${ONE}/secret`,
    operationId: "v1.endpoint.get-secret",
    handler: async (ctx) => {
      const { app, endpoint } = await appAndEndpoint(ctx);
      return { key: await revealEndpointSecret(app, endpoint.id, ctx.principal.actor) };
    },
  },
  {
    method: "POST",
    path: `${ONE}/secret/rotate`,
    operationId: "v1.endpoint.rotate-secret",
    handler: async (ctx) => {
      const body = await ctx.body(
        z.object({
          key: suppliedSigningSecret.nullish(),
          gracePeriodSeconds: z
            .number({ message: "must be a whole number" })
            .int("must be a whole number")
            .min(0, "must be at least 0")
            .max(MAX_ROTATION_GRACE_SECONDS, `must be at most ${MAX_ROTATION_GRACE_SECONDS}`)
            .nullish(),
        }),
      );
      const { app, endpoint } = await appAndEndpoint(ctx);
      await rotateEndpointSecret(
        app,
        endpoint.id,
        { graceSeconds: body.gracePeriodSeconds ?? undefined, secret: body.key ?? undefined },
        ctx.principal.actor,
      );
      return svixReply(204);
    },
  },
  {
    method: "POST",
    path: `${ONE}/recover`,
    operationId: "v1.endpoint.recover",
    handler: async (ctx) => {
      const body = await ctx.body(z.object({ since: instant, until: instant.nullish() }));
      const { app, endpoint } = await appAndEndpoint(ctx);
      const result = await createReplayTask(
        app,
        {
          start_date: body.since,
          end_date: body.until ?? new Date(),
          endpoint_id: endpoint.id,
          status: "failed",
        },
        ctx.principal.actor,
      );
      if (result.dryRun) throw apiErrors.internal();
      return svixReply(202, {
        id: result.task.id,
        status: "running",
        task: "endpoint.recover",
        updatedAt: result.task.updatedAt.toISOString(),
      });
    },
  },
  {
    method: "GET",
    path: `${ONE}/headers`,
    operationId: "v1.endpoint.get-headers",
    handler: async (ctx) => headersOut((await appAndEndpoint(ctx)).endpoint),
  },
  {
    method: "PUT",
    path: `${ONE}/headers`,
    operationId: "v1.endpoint.update-headers",
    handler: async (ctx) => {
      const body = await ctx.body(z.object({ headers: customHeaders }));
      const { app, endpoint } = await appAndEndpoint(ctx);
      await updateEndpoint(
        app,
        endpoint.id,
        { headers: body.headers, subscriptions: undefined, subscriptionsField: "subscriptions" },
        ctx.principal.actor,
      );
      return svixReply(204);
    },
  },
  {
    method: "PATCH",
    path: `${ONE}/headers`,
    operationId: "v1.endpoint.patch-headers",
    handler: async (ctx) => {
      const body = await ctx.body(
        z.object({
          headers: z.record(z.string(), z.string()),
          deleteHeaders: z.array(z.string()).max(100).optional(),
        }),
      );
      const { app, endpoint } = await appAndEndpoint(ctx);
      const current = (endpoint.headers ?? {}) as Record<string, string>;
      const removed = new Set((body.deleteHeaders ?? []).map((h) => h.toLowerCase()));
      const changed = new Set(Object.keys(body.headers).map((h) => h.toLowerCase()));
      const kept = Object.entries(current).filter(
        ([name]) => !removed.has(name.toLowerCase()) && !changed.has(name.toLowerCase()),
      );
      const { headers } = validateSvixBody(z.object({ headers: customHeaders }), {
        headers: { ...Object.fromEntries(kept), ...body.headers },
      });
      await updateEndpoint(
        app,
        endpoint.id,
        { headers, subscriptions: undefined, subscriptionsField: "subscriptions" },
        ctx.principal.actor,
      );
      return svixReply(204);
    },
  },
  {
    method: "GET",
    path: `${ONE}/stats`,
    operationId: "v1.endpoint.get-stats",
    handler: async (ctx) => {
      const query = ctx.query(z.object({ since: instant.optional(), until: instant.optional() }));
      const { endpoint } = await appAndEndpoint(ctx);
      const counts = await countEndpointDeliveries(endpoint.id, query);
      return {
        success: counts.success,
        pending: counts.pending,
        sending: counts.sending,
        fail: counts.failed,
        canceled: counts.cancelled,
      };
    },
  },
  {
    method: "POST",
    path: `${ONE}/send-example`,
    operationId: "v1.endpoint.send-example",
    handler: async (ctx) => {
      const body = await ctx.body(
        z.object({ eventType: eventName, exampleIndex: z.number().int().min(0).optional() }),
      );
      const { app, endpoint } = await appAndEndpoint(ctx);
      const eventType = await findCatalogEventType(app, body.eventType);
      if (!eventType) throw apiErrors.notFound(`Event type "${body.eventType}"`);
      const payload = eventType.examples[body.exampleIndex ?? 0] ?? { type: body.eventType };
      const sent = await testEndpoint(
        app,
        endpoint.id,
        { event_name: body.eventType, payload },
        ctx.principal.actor,
      );
      const delivery = await getDb().prisma.delivery.findUniqueOrThrow({
        where: { id: sent.delivery_id },
        select: { eventId: true, createdAt: true },
      });
      return {
        id: delivery.eventId,
        eventType: body.eventType,
        payload,
        timestamp: delivery.createdAt.toISOString(),
        channels: null,
      };
    },
  },
];
