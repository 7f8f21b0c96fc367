/**
 * Applications (`/app`). A Svix app is a Hookline app: its Hookline slug is its id (a uid may
 * change and may use characters slugs cannot), its uid, metadata and throttle rate are kept on
 * the app row. Every call goes to lib/apps.
 */
import { z } from "zod";
import type { App } from "@/generated/prisma/client";
import { createApp } from "@/lib/apps/create-app";
import { deleteApp } from "@/lib/apps/delete-app";
import { updateApp } from "@/lib/apps/update-app";
import { getDb } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { assertEnvironmentPrincipal, mayActOnApp } from "@/lib/svix/auth";
import { resolveSvixApp } from "@/lib/svix/lookup";
import { mapPage, svixListQuery, svixPage } from "@/lib/svix/pagination";
import { svixReply, type SvixContext, type SvixRoute } from "@/lib/svix/router";
import {
  conflictOnDuplicate,
  eitherRate,
  svixBooleanQuery,
  svixMetadata,
  svixRate,
  svixUid,
} from "@/lib/svix/shared";

export interface SvixApplicationOut {
  id: string;
  uid: string | null;
  name: string;
  metadata: Record<string, string>;
  throttleRate: number | null;
  /** 1.x's name of `throttleRate`. */
  rateLimit: number | null;
  createdAt: string;
  updatedAt: string;
}

export function toApplicationOut(app: App): SvixApplicationOut {
  return {
    id: app.id,
    uid: app.svixUid,
    name: app.name,
    metadata: (app.metadata ?? {}) as Record<string, string>,
    throttleRate: app.throttleRate,
    rateLimit: app.throttleRate,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}

const appName = z.string().trim().min(1, "must not be empty").max(200, "is too long");
const appFields = {
  uid: svixUid.nullish(),
  metadata: svixMetadata.optional(),
  throttleRate: svixRate.nullish(),
  rateLimit: svixRate.nullish(),
};
export const applicationIn = z.object({ name: appName, ...appFields });
export const applicationPatch = z.object({ name: appName.optional(), ...appFields });

function svixFields(body: z.output<typeof applicationPatch>) {
  return { uid: body.uid, metadata: body.metadata, throttleRate: eitherRate(body) };
}

async function findByUid(uid: string): Promise<App | null> {
  return getDb().prisma.app.findUnique({ where: { svixUid: uid } });
}

/** A Svix-made app: slug = id, so it has a Hookline name that never needs to change. */
export async function createSvixApp(ctx: SvixContext, body: z.output<typeof applicationIn>) {
  const id = newId("app");
  return createApp(
    {
      id,
      slug: id,
      name: body.name,
      delivery_format: "svix",
      svix: { ...svixFields(body), metadata: body.metadata ?? {} },
    },
    ctx.principal.actor,
  );
}

const uidTaken = (uid: string | null | undefined) => `An application with uid "${uid}"`;

export const appRoutes: SvixRoute[] = [
  {
    method: "GET",
    path: "/app",
    operationId: "v1.application.list",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const query = ctx.query(svixListQuery);
      const page = await svixPage(query, { list: "svix_apps" }, "ascending", (args) =>
        getDb().prisma.app.findMany({ where: args.where, orderBy: args.orderBy, take: args.take }),
      );
      return mapPage(page, toApplicationOut);
    },
  },
  {
    method: "POST",
    path: "/app",
    operationId: "v1.application.create",
    handler: async (ctx) => {
      assertEnvironmentPrincipal(ctx.principal);
      const { get_if_exists: getIfExists } = ctx.query(
        z.object({ get_if_exists: svixBooleanQuery.optional() }),
      );
      const body = await ctx.body(applicationIn);
      if (getIfExists && body.uid) {
        const existing = await findByUid(body.uid);
        if (existing && mayActOnApp(ctx.principal, existing)) return toApplicationOut(existing);
      }
      const app = await createSvixApp(ctx, body);
      return svixReply(201, toApplicationOut(app));
    },
  },
  {
    method: "GET",
    path: "/app/{app_id}",
    operationId: "v1.application.get",
    handler: async (ctx) => toApplicationOut(await ctx.app()),
  },
  {
    method: "PUT",
    path: "/app/{app_id}",
    operationId: "v1.application.update",
    handler: async (ctx) => {
      const body = await ctx.body(applicationIn);
      const current = await resolveSvixApp(ctx.principal, ctx.params.app_id!).catch(
        (err: unknown) => {
          if ((err as { status?: number }).status === 404) return null;
          throw err;
        },
      );
      if (!current) {
        // Svix's upsert: an unknown id or uid creates the app with that uid.
        assertEnvironmentPrincipal(ctx.principal);
        const uid = body.uid ?? ctx.params.app_id!;
        const created = await createSvixApp(ctx, { ...body, uid: svixUid.parse(uid) });
        return svixReply(201, toApplicationOut(created));
      }
      const updated = await conflictOnDuplicate(
        () =>
          updateApp(
            current,
            {
              name: body.name,
              svix: { ...svixFields(body), metadata: body.metadata ?? {}, uid: body.uid ?? null },
            },
            ctx.principal.actor,
          ),
        uidTaken(body.uid),
      );
      return toApplicationOut(updated);
    },
  },
  {
    method: "PATCH",
    path: "/app/{app_id}",
    operationId: "v1.application.patch",
    handler: async (ctx) => {
      const body = await ctx.body(applicationPatch);
      const app = await ctx.app();
      const updated = await conflictOnDuplicate(
        () => updateApp(app, { name: body.name, svix: svixFields(body) }, ctx.principal.actor),
        uidTaken(body.uid),
      );
      return toApplicationOut(updated);
    },
  },
  {
    method: "DELETE",
    path: "/app/{app_id}",
    operationId: "v1.application.delete",
    handler: async (ctx) => {
      await deleteApp(await ctx.app(), ctx.principal.actor);
      return svixReply(204);
    },
  },
];
