import type { Delivery, Endpoint } from "@/generated/prisma/client";
import type { TestEndpointResponse } from "@/lib/endpoints/schemas";
import type {
  TestPingResult,
  WebhookCreated,
  WebhookDelivery,
  WebhookListed,
  WebhookUpdated,
} from "@/lib/compat/schemas";

/** Seed 004's field sets, one per operation; nothing else is answered. */
export function webhookCreated(endpoint: Endpoint, secret: string): WebhookCreated {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.subscriptions,
    active: endpoint.isActive,
    createdAt: endpoint.createdAt.toISOString(),
    secret,
  };
}

export function webhookListed(endpoint: Endpoint): WebhookListed {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.subscriptions,
    active: endpoint.isActive,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function webhookUpdated(endpoint: Endpoint): WebhookUpdated {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.subscriptions,
    active: endpoint.isActive,
    updatedAt: endpoint.updatedAt.toISOString(),
  };
}

export function testPingResult(result: TestEndpointResponse): TestPingResult {
  return {
    deliveryId: result.delivery_id,
    success: result.success,
    statusCode: result.status_code,
    error: result.error,
    durationMs: result.duration_ms,
  };
}

export function webhookDelivery(delivery: Delivery): WebhookDelivery {
  return {
    id: delivery.id,
    webhookId: delivery.endpointId,
    eventId: delivery.eventId,
    event: delivery.eventName,
    status: delivery.status,
    attempts: delivery.attemptCount,
    statusCode: delivery.lastStatusCode,
    error: delivery.lastError,
    createdAt: delivery.createdAt.toISOString(),
    nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
    completedAt: delivery.completedAt?.toISOString() ?? null,
  };
}

/** The envelope of every seed-004 answer. */
export function success<T>(data: T): { success: true; data: T } {
  return { success: true, data };
}

export function successPage<R, T>(
  page: { data: R[]; nextCursor: string | null },
  serialize: (row: R) => T,
) {
  return {
    success: true as const,
    data: page.data.map(serialize),
    nextCursor: page.nextCursor,
    hasMore: page.nextCursor !== null,
  };
}
