/** Frontend-only reads and actions of the portal that the backend API spells differently. */
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { rotateAppSecrets } from "@/lib/apps/rotate-app-secrets";
import { serializeEventType } from "@/lib/event-types/serialize";
import { visibleCatalog } from "@/lib/event-types/get-event-type";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { rotateEndpointSecretHandler } from "@/lib/endpoints/handlers";
import { apiErrors } from "@/lib/http/errors";

const MAX_CATALOG = 1_000;

/**
 * Seed 003 "Get Event Catalog": the app's event types by name, current ones first, then the
 * archived ones (`archived: true`): they stay subscribable, so the catalog keeps showing them,
 * marked as archived.
 */
export const eventCatalogHandler: AppScopedHandler = async ({ app }) => {
  const rows = await getDb().prisma.eventType.findMany({
    where: visibleCatalog(app),
    orderBy: [{ archived: "asc" }, { name: "asc" }],
    take: MAX_CATALOG,
  });
  return { data: rows.map(serializeEventType) };
};

/** Seed 003 "List Event Subscriptions": every pattern the app's live endpoints subscribe to. */
export const eventSubscriptionsHandler: AppScopedHandler = async ({ app }) => {
  const rows = await getDb().prisma.$queryRaw<{ pattern: string }[]>`
    SELECT DISTINCT unnest(subscriptions) AS pattern FROM endpoints
    WHERE app_id = ${app.id} AND deleted_at IS NULL ORDER BY pattern`;
  return { data: rows.map((r) => r.pattern) };
};

export const rotateSigningSecretRequest = z.strictObject({
  endpoint_id: z.string().min(1).optional(),
  expire_previous: z.boolean().optional(),
  grace_period_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
});

/**
 * Seed 003 "Rotate Signing Secret": one endpoint's (`endpoint_id`) or, without it, every
 * endpoint's of the app.
 */
export const rotateSigningSecretHandler: AppScopedHandler = async (ctx) => {
  const input = await ctx.body(rotateSigningSecretRequest);
  if (input.endpoint_id) {
    const { endpoint_id, ...rest } = input;
    return rotateEndpointSecretHandler({
      ...ctx,
      params: { id: endpoint_id },
      body: async (schema) => schema.parse(rest),
    });
  }
  if (input.expire_previous && input.grace_period_seconds) {
    throw apiErrors.validation([
      { field: "grace_period_seconds", message: "conflicts with expire_previous: true" },
    ]);
  }
  return rotateAppSecrets(
    ctx.app,
    { graceSeconds: input.expire_previous ? 0 : input.grace_period_seconds },
    ctx.actor,
  );
};
