import { z } from "zod";
import { subscriptionPattern } from "@/lib/events/schemas";
import { cursorParam, limitParam } from "@/lib/http/pagination";
import { deliveryStatusParam } from "@/lib/delivery-log/schemas";
import type { CreateEndpointRequest, UpdateEndpointRequest } from "@/lib/endpoints/schemas";

/**
 * Seed 004's surface (`/apps/{appId}/webhooks`): its own field names (camelCase, `events`,
 * `active`), every answer wrapped in `{ success: true, data }`, and per operation exactly the
 * fields seed 004 lists. Underneath it calls the same endpoint services as `/endpoints`.
 */
const events = z
  .array(subscriptionPattern)
  .min(1, "must name at least one event")
  .max(100, "at most 100 events")
  .describe("Events to subscribe to (`*` and `prefix.*` allowed).");
const url = z.string().trim().min(1, "is required").describe("HTTPS URL to receive events.");

/** Parsed straight into the endpoint service's input, so both surfaces share one implementation. */
export const createWebhookRequest = z
  .strictObject({ url, events })
  .transform((v): CreateEndpointRequest => ({
    url: v.url,
    subscriptions: [...new Set(v.events)],
    subscriptionsField: "events",
  }));

export const updateWebhookRequest = z
  .strictObject({ url: url.optional(), events: events.optional(), active: z.boolean().optional() })
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one of url, events, active" })
  .transform((v): UpdateEndpointRequest => ({
    ...(v.url !== undefined && { url: v.url }),
    ...(v.active !== undefined && { is_active: v.active }),
    subscriptions: v.events && [...new Set(v.events)],
    subscriptionsField: "events",
  }));

/** Seed 004 rotation takes no options: the old secret is invalid at once. */
export const rotateWebhookSecretRequest = z.strictObject({}).transform(() => ({ graceSeconds: 0 }));

export const listWebhooksQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });

export const testPingRequest = z.strictObject({});

export const listWebhookDeliveriesQuery = z.strictObject({
  status: deliveryStatusParam.optional(),
  limit: limitParam,
  cursor: cursorParam,
});
export type ListWebhookDeliveriesQuery = z.output<typeof listWebhookDeliveriesQuery>;

/** Create: id, url, events, active, createdAt, secret (the only time the secret is shown). */
export const webhookCreated = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  secret: z.string(),
});
/** List: as create without the secret, plus updatedAt. */
export const webhookListed = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** Update: id, url, events, active, updatedAt. */
export const webhookUpdated = z.strictObject({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  updatedAt: z.string(),
});
export const webhookSecret = z.strictObject({ secret: z.string() });
export const testPingResult = z.strictObject({
  deliveryId: z.string(),
  success: z.boolean(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});
export const webhookDelivery = z.strictObject({
  id: z.string(),
  webhookId: z.string(),
  eventId: z.string(),
  event: z.string(),
  status: deliveryStatusParam,
  attempts: z.number().int(),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  completedAt: z.string().nullable(),
});

/** `{ success: true, data }` */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}
/** A page: `{ success: true, data: [...], nextCursor, hasMore }`. */
export function pagedEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    success: z.literal(true),
    data: z.array(item),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
  });
}

export type WebhookCreated = z.infer<typeof webhookCreated>;
export type WebhookListed = z.infer<typeof webhookListed>;
export type WebhookUpdated = z.infer<typeof webhookUpdated>;
export type TestPingResult = z.infer<typeof testPingResult>;
export type WebhookDelivery = z.infer<typeof webhookDelivery>;
