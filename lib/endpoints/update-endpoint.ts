import type { App, Endpoint, Prisma } from "@/generated/prisma/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db/client";
import { reorderQueuedDeliveries } from "@/lib/delivery/fifo-order";
import { writeEndpointFilter } from "@/lib/endpoints/endpoint-filter";
import { checkEndpointUrl } from "@/lib/endpoints/endpoint-url";
import { getEndpoint } from "@/lib/endpoints/get-endpoint";
import { clearFailureState } from "@/lib/endpoints/reactivate-endpoint";
import type { UpdateEndpointRequest } from "@/lib/endpoints/schemas";
import type { SvixEndpointFields } from "@/lib/endpoints/create-endpoint";
import { syncCatalog } from "@/lib/event-types/sync-catalog";
import { keepMaskedHeaders } from "@/lib/endpoints/custom-headers";
import { ensureEndpointSigningKeys } from "@/lib/endpoints/ed25519-signing-keys";
import { openHeaders, sealHeaders } from "@/lib/endpoints/stored-headers";
import { kickOperationalEventDispatch } from "@/lib/operational-events/dispatch";
import { recordOperationalEventTx } from "@/lib/operational-events/record";

/** Changes the given fields only. Turning a disabled endpoint back on also clears its failure state. */
export async function updateEndpoint(
  app: App,
  id: string,
  input: UpdateEndpointRequest & { svix?: SvixEndpointFields },
  actor: string,
): Promise<Endpoint> {
  const { svix } = input;
  const url = input.url === undefined ? undefined : checkEndpointUrl(input.url);
  const result = await getDb().prisma.$transaction(async (tx) => {
    const current = await getEndpoint(app, id, tx);
    if (input.subscriptions)
      await syncCatalog(tx, app, input.subscriptions, input.subscriptionsField, actor);
    const data: Prisma.EndpointUpdateInput = {
      ...(url !== undefined && { url }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.headers !== undefined &&
        sealHeaders(keepMaskedHeaders(input.headers, openHeaders(current)))),
      ...(input.max_retries !== undefined && { maxRetries: input.max_retries }),
      ...(input.timeout_seconds !== undefined && { timeoutSeconds: input.timeout_seconds }),
      ...(input.rate_limit !== undefined && { rateLimit: input.rate_limit }),
      ...(input.channels !== undefined && { channels: input.channels }),
      ...(input.subscriptions !== undefined && { subscriptions: input.subscriptions }),
      ...(input.ordering !== undefined && { ordering: input.ordering }),
      ...(input.signature_scheme !== undefined && { signatureScheme: input.signature_scheme }),
      ...(input.delivery_format !== undefined && { deliveryFormat: input.delivery_format }),
      ...(svix?.uid !== undefined && { svixUid: svix.uid }),
      ...(svix?.metadata !== undefined && { metadata: svix.metadata }),
      ...(svix?.version !== undefined && { version: svix.version }),
      ...(input.is_active === false && { isActive: false }),
      ...(input.is_active === true && clearFailureState),
    };
    if (input.filter !== undefined) await writeEndpointFilter(tx, current.id, input.filter);
    const updated = await tx.endpoint.update({ where: { id: current.id }, data });
    if (input.ordering !== undefined && input.ordering !== current.ordering)
      await reorderQueuedDeliveries(tx, current.id, input.ordering);
    if (input.signature_scheme !== undefined) await ensureEndpointSigningKeys(tx, app.id, updated);
    const { subscriptionsField: _field, ...changed } = input;
    const fields = Object.keys(changed).filter(
      (k) => changed[k as keyof typeof changed] !== undefined,
    );
    await recordAudit(tx, {
      appId: app.id,
      actor,
      action: "endpoint.updated",
      targetType: "endpoint",
      targetId: current.id,
      details: { fields },
    });
    const event = { appId: app.id, endpointId: current.id };
    let due = await recordOperationalEventTx(tx, {
      ...event,
      type: "endpoint.updated",
      data: { fields, actor },
    });
    // Turned off or back on by this update: Svix's `endpoint.disabled` (manual) / `endpoint.enabled`.
    if (input.is_active === false && current.isActive)
      due =
        (await recordOperationalEventTx(tx, {
          ...event,
          type: "endpoint.disabled",
          data: { kind: "manual", reason: "turned off through the API", actor },
        })) || due;
    if (input.is_active === true && !current.isActive)
      due =
        (await recordOperationalEventTx(tx, {
          ...event,
          type: "endpoint.enabled",
          data: { disabled_reason: current.disabledReason, actor },
        })) || due;
    return { updated, due };
  });
  if (result.due) kickOperationalEventDispatch();
  return result.updated;
}
