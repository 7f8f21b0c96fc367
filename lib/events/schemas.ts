import { z } from "zod";

/** Event names: dot-separated segments of letters, digits and underscores (`invoice.paid`). */
export const eventName = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(
    /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/,
    "must be dot-separated segments of letters, digits and _ (e.g. invoice.paid)",
  );

/** A subscription: an event name, `*`, or `prefix.*`. */
export const subscriptionPattern = z
  .string()
  .max(200, "must be at most 200 characters")
  .regex(
    /^(\*|[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*(\.\*)?)$/,
    "must be an event name, * or prefix.* (e.g. invoice.*)",
  );

export const channelName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1-128 characters of letters, digits, _ . : -");

/** `POST /api/v1/apps/{slug}/events` (seed 002 `triggerWebhook`). */
export const triggerEventRequest = z.strictObject({
  event_name: eventName,
  payload: z.record(z.string(), z.unknown(), { message: "must be a JSON object" }),
  /** Client-chosen id; doubles as the idempotency key when no Idempotency-Key header is sent. */
  event_id: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, "must be 1-128 characters of letters, digits, _ . : -")
    .optional(),
  channels: z.array(channelName).max(10, "at most 10 channels").optional(),
});
export type TriggerEventRequest = z.output<typeof triggerEventRequest>;

export const triggerEventResponse = z.object({
  event_id: z.string(),
  event_name: z.string(),
  /** True when an earlier event with the same idempotency key was returned instead. */
  duplicate: z.boolean(),
  created_at: z.string(),
});
export type TriggerEventResponse = z.infer<typeof triggerEventResponse>;
