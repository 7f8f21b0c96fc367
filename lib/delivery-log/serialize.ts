import type { Attempt, Delivery, Endpoint, Event } from "@/generated/prisma/client";
import type { AttemptResponse, DeliveryDetail, DeliverySummary } from "@/lib/delivery-log/schemas";
import { payloadValueOf } from "@/lib/events/payload-text";

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function serializeDelivery(d: Delivery): DeliverySummary {
  return {
    id: d.id,
    app_id: d.appId,
    event_id: d.eventId,
    event_name: d.eventName,
    endpoint_id: d.endpointId,
    status: d.status,
    attempt_count: d.attemptCount,
    next_attempt_at: iso(d.nextAttemptAt),
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    last_attempt_at: iso(d.lastAttemptAt),
    completed_at: iso(d.completedAt),
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value))
      out[k] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}

export function serializeAttempt(a: Attempt, bodyExpired: boolean): AttemptResponse {
  return {
    id: a.id,
    attempt_number: a.attemptNumber,
    trigger: a.trigger,
    request_url: a.requestUrl,
    request_headers: stringRecord(a.requestHeaders),
    response_status: a.responseStatus,
    response_headers:
      a.responseHeaders &&
      typeof a.responseHeaders === "object" &&
      !Array.isArray(a.responseHeaders)
        ? (a.responseHeaders as Record<string, unknown>)
        : null,
    response_body: a.responseBody,
    response_body_truncated: a.responseBodyTruncated,
    response_body_expired: bodyExpired,
    duration_ms: a.durationMs,
    error: a.error,
    created_at: a.createdAt.toISOString(),
  };
}

export interface DeliveryWithRelations extends Delivery {
  event: Pick<Event, "payload" | "payloadText" | "payloadExpiredAt" | "createdAt">;
  endpoint: Pick<
    Endpoint,
    "id" | "url" | "description" | "isActive" | "disabledReason" | "deletedAt"
  >;
  attempts: Attempt[];
}

/** `retentionCutoff`: attempts older than it with no body had theirs removed by retention. */
export function serializeDeliveryDetail(
  d: DeliveryWithRelations,
  retentionCutoff: Date,
  blockedBy: DeliveryDetail["blocked_by"] = null,
): DeliveryDetail {
  const expired = d.event.payloadExpiredAt !== null;
  return {
    ...serializeDelivery(d),
    // Parsed from the stored text: the answer lists the keys in the order the producer sent them.
    payload: expired ? null : (payloadValueOf(d.event) as DeliveryDetail["payload"]),
    payload_expired: expired,
    payload_expired_at: iso(d.event.payloadExpiredAt),
    event_created_at: d.event.createdAt.toISOString(),
    endpoint: {
      id: d.endpoint.id,
      url: d.endpoint.url,
      description: d.endpoint.description,
      is_active: d.endpoint.isActive && d.endpoint.deletedAt === null,
      disabled_reason: d.endpoint.disabledReason,
      deleted: d.endpoint.deletedAt !== null,
    },
    attempts: d.attempts.map((a) =>
      serializeAttempt(
        a,
        a.responseBody === null &&
          a.responseStatus !== null &&
          a.createdAt.getTime() < retentionCutoff.getTime(),
      ),
    ),
    blocked_by: blockedBy,
  };
}
