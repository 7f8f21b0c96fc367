import type { App, Endpoint } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { findFifoBlockers } from "@/lib/delivery/fifo-order";
import { publicKeysOf } from "@/lib/endpoints/ed25519-signing-keys";
import type { EndpointResponse } from "@/lib/endpoints/schemas";
import { serializeEndpoint } from "@/lib/endpoints/serialize";
import { effectiveDeliveryFormat, isDeliveryFormat } from "@/lib/endpoints/delivery-format";
import {
  effectiveSignatureScheme,
  SIGNATURE_SCHEMES,
  type SignatureScheme,
} from "@/lib/endpoints/signature-scheme";

const ownScheme = (value: string | null): SignatureScheme | null =>
  value !== null && (SIGNATURE_SCHEMES as readonly string[]).includes(value)
    ? (value as SignatureScheme)
    : null;

/**
 * Endpoint responses with their signing fields: the scheme (own and in force) and the public
 * keys, read in one query for the whole list; FIFO endpoints with what blocks their line. `app` is the endpoints' app when the caller has it
 * (app-scoped routes); otherwise the apps are read.
 */
export async function serializeEndpoints(
  endpoints: readonly Endpoint[],
  app?: Pick<App, "id" | "signatureScheme" | "deliveryFormat">,
): Promise<EndpointResponse[]> {
  const appIds = [...new Set(endpoints.map((e) => e.appId))].filter((id) => id !== app?.id);
  const [keys, apps, blockers] = await Promise.all([
    publicKeysOf(endpoints.map((e) => e.id)),
    appIds.length
      ? getDb().prisma.app.findMany({
          where: { id: { in: appIds } },
          select: { id: true, signatureScheme: true, deliveryFormat: true },
        })
      : [],
    findFifoBlockers(endpoints.filter((e) => e.ordering === "fifo").map((e) => e.id)),
  ]);
  const appsById = new Map<string, Pick<App, "signatureScheme" | "deliveryFormat">>(
    apps.map((a) => [a.id, a]),
  );
  if (app) appsById.set(app.id, app);
  return endpoints.map((endpoint) => {
    const publicKeys = keys.get(endpoint.id) ?? [];
    return {
      ...serializeEndpoint(endpoint, blockers.get(endpoint.id)),
      signature_scheme: ownScheme(endpoint.signatureScheme),
      effective_signature_scheme: effectiveSignatureScheme(
        endpoint.signatureScheme,
        appsById.get(endpoint.appId)?.signatureScheme,
      ),
      delivery_format: isDeliveryFormat(endpoint.deliveryFormat) ? endpoint.deliveryFormat : null,
      effective_delivery_format: effectiveDeliveryFormat(
        endpoint.deliveryFormat,
        appsById.get(endpoint.appId)?.deliveryFormat,
      ),
      public_key: publicKeys.find((k) => k.expires_at === null)?.public_key ?? null,
      public_keys: publicKeys,
    };
  });
}

export async function serializeEndpointWithSigning(
  endpoint: Endpoint,
  app?: Pick<App, "id" | "signatureScheme" | "deliveryFormat">,
): Promise<EndpointResponse> {
  return (await serializeEndpoints([endpoint], app))[0]!;
}
