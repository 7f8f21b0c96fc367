import type { Endpoint } from "@/generated/prisma/client";
import type { EndpointResponse, FifoBlockerResponse } from "@/lib/endpoints/schemas";
import type { endpointSigningFields } from "@/lib/endpoints/signature-scheme";
import type { endpointDeliveryFormatFields } from "@/lib/endpoints/delivery-format";
import { maskHeaders } from "@/lib/endpoints/custom-headers";
import type { PayloadFilter } from "@/lib/filters/payload-filter";

/**
 * Everything but the signing and delivery-format fields, which need the app and the keys
 * (lib/endpoints/serialize-signing.ts).
 * `blockedBy`: the FIFO blocker read for this endpoint (lib/delivery/fifo-order.ts), if any.
 */
export function serializeEndpoint(
  endpoint: Endpoint,
  blockedBy: FifoBlockerResponse | null = null,
): Omit<
  EndpointResponse,
  keyof typeof endpointSigningFields | keyof typeof endpointDeliveryFormatFields
> {
  return {
    id: endpoint.id,
    app_id: endpoint.appId,
    url: endpoint.url,
    description: endpoint.description,
    headers: maskHeaders((endpoint.headers ?? {}) as Record<string, string>),
    is_active: endpoint.isActive,
    max_retries: endpoint.maxRetries,
    timeout_seconds: endpoint.timeoutSeconds,
    subscriptions: endpoint.subscriptions,
    channels: endpoint.channels,
    rate_limit: endpoint.rateLimit,
    ordering: endpoint.ordering,
    blocked_by: blockedBy,
    filter: (endpoint.filter ?? null) as PayloadFilter | null,
    disabled_reason: endpoint.disabledReason,
    disabled_at: endpoint.disabledAt?.toISOString() ?? null,
    failing_since: endpoint.failingSince?.toISOString() ?? null,
    consecutive_failures: endpoint.consecutiveFailures,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}
