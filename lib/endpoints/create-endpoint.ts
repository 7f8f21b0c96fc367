import type { App, Endpoint } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { writeEndpointFilter } from "@/lib/endpoints/endpoint-filter";
import { checkEndpointUrl } from "@/lib/endpoints/endpoint-url";
import type { CreateEndpointRequest } from "@/lib/endpoints/schemas";
import { createSigningSecret } from "@/lib/endpoints/signing-secrets";
import { ensureEndpointSigningKeys } from "@/lib/endpoints/ed25519-signing-keys";
import { syncCatalog } from "@/lib/event-types/sync-catalog";
import { newId } from "@/lib/ids";
import { sealHeaders } from "@/lib/endpoints/stored-headers";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";
import { recordOperationalEventTx } from "@/lib/operational-events/record";

/** Subscriptions when none are given: everything (an endpoint that receives nothing is a surprise). */
export const DEFAULT_SUBSCRIPTIONS = ["*"];

/**
 * Registers an endpoint with its first signing secret; new event names join the catalog in the
 * same transaction. The secret is `input.secret` when given (a caller's, normalised by the schema),
 * else generated. Returns the secret's plaintext, which the create response shows.
 */
/** What the Svix-compatible surface adds to an endpoint (lib/svix). */
export interface SvixEndpointFields {
  uid?: string | null;
  metadata?: Record<string, string>;
  version?: number;
}

export async function createEndpoint(
  app: App,
  input: CreateEndpointRequest & { svix?: SvixEndpointFields },
  actor: string,
): Promise<{ endpoint: Endpoint; secret: string }> {
  const url = checkEndpointUrl(input.url);
  const subscriptions = input.subscriptions ?? DEFAULT_SUBSCRIPTIONS;
  const created = await getDb().prisma.$transaction(async (tx) => {
    await syncCatalog(tx, app, subscriptions, input.subscriptionsField, actor);
    let endpoint = await tx.endpoint.create({
      data: {
        id: newId("ep"),
        appId: app.id,
        url,
        description: input.description ?? null,
        ...sealHeaders(input.headers ?? {}),
        isActive: input.is_active ?? true,
        maxRetries: input.max_retries ?? 5,
        timeoutSeconds: input.timeout_seconds ?? 30,
        subscriptions,
        channels: input.channels ?? [],
        rateLimit: input.rate_limit ?? null,
        ordering: input.ordering ?? "concurrent",
        signatureScheme: input.signature_scheme ?? null,
        deliveryFormat: input.delivery_format ?? null,
        ...(input.svix && {
          svixUid: input.svix.uid ?? null,
          metadata: input.svix.metadata ?? {},
          version: input.svix.version ?? 1,
        }),
      },
    });
    if (input.filter) {
      await writeEndpointFilter(tx, endpoint.id, input.filter);
      endpoint = await tx.endpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    }
    const secret = await createSigningSecret(tx, endpoint.id, input.secret);
    await ensureEndpointSigningKeys(tx, app.id, endpoint);
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "endpoint.created",
      targetType: "endpoint",
      targetId: endpoint.id,
      details: { url: endpoint.url, subscriptions },
    });
    const due = await recordOperationalEventTx(tx, {
      type: "endpoint.created",
      appId: app.id,
      endpointId: endpoint.id,
      data: { url: endpoint.url, actor },
    });
    return { endpoint, secret, due };
  });
  if (created.due) kickOperationalEventDispatch();
  return { endpoint: created.endpoint, secret: created.secret };
}
