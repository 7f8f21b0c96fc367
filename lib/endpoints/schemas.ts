import { z } from "zod";
import { channelName, eventName, subscriptionPattern } from "@/lib/events/schemas";
import { listQuery } from "@/lib/openapi/shared-schemas";
import { customHeaders } from "@/lib/endpoints/custom-headers";
import { endpointSigningFields, signatureScheme } from "@/lib/endpoints/signature-scheme";
import { filterInput } from "@/lib/filters/filter-input";
import { normalizeSigningSecret } from "@/lib/crypto/secrets";
import {
  DELIVERY_FORMAT_DESCRIPTION,
  deliveryFormat,
  endpointDeliveryFormatFields,
} from "@/lib/endpoints/delivery-format";
import { payloadFilter } from "@/lib/filters/payload-filter";

/**
 * Request and response shapes for endpoints: the single source for validation, TS types, the
 * OpenAPI document and the SDK. The URL's address policy depends on the server's config, so it
 * is checked in the domain functions (`checkEndpointUrl`), not here.
 */

export const endpointOrdering = z
  .enum(["concurrent", "fifo"], { message: 'must be "concurrent" or "fifo"' })
  .describe(
    "`fifo`: one attempt at a time, in the order the events were accepted; a failing delivery holds the rest until it succeeds, exhausts its retries or is skipped. Events accepted by overlapping requests have no defined order. Default `concurrent`.",
  );

/** The delivery holding a FIFO endpoint's line after failing at least once. */
export const fifoBlocker = z.object({
  delivery_id: z.string(),
  event_name: z.string(),
  attempts: z.number().int(),
  next_attempt_at: z.string().nullable(),
  last_error: z.string().nullable(),
  /** Deliveries waiting in the line behind it. */
  waiting: z.number().int(),
});
export type FifoBlockerResponse = z.infer<typeof fifoBlocker>;

const subscriptionList = z
  .array(subscriptionPattern)
  .min(1, "must name at least one event (or *)")
  .max(100, "at most 100 subscriptions");

/** The seeds spell it three ways (003: subscriptions, 002/004: events, 001: subscribed_events). */
export const SUBSCRIPTION_FIELDS = ["subscriptions", "events", "subscribed_events"] as const;
export type SubscriptionField = (typeof SUBSCRIPTION_FIELDS)[number];

const endpointFields = {
  url: z
    .string()
    .trim()
    .min(1, "is required")
    .describe("HTTPS URL that receives the events (no credentials, no private addresses)."),
  description: z.string().max(2000, "must be at most 2000 characters").nullable().optional(),
  headers: customHeaders.optional(),
  is_active: z.boolean().optional(),
  max_retries: z
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be at least 0")
    .max(20, "must be at most 20")
    .optional()
    .describe("Retries after the first attempt (default 5)."),
  timeout_seconds: z
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(60, "must be at most 60")
    .optional()
    .describe("Seconds to wait for a response (default 30)."),
  rate_limit: z
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(10_000, "must be at most 10000")
    .nullable()
    .optional()
    .describe("Deliveries per second; null for no limit."),
  channels: z.array(channelName).max(20, "at most 20 channels").optional(),
  ordering: endpointOrdering.optional(),
  signature_scheme: signatureScheme
    .nullable()
    .optional()
    .describe(
      "`hmac` (v1, default), `ed25519` (v1a) or `both`; null or absent inherits the app's.",
    ),
  subscriptions: subscriptionList
    .optional()
    .describe("Event names, `*` or `prefix.*`. Also accepted as `events` or `subscribed_events`."),
  events: subscriptionList.optional().describe("Alias of `subscriptions`."),
  subscribed_events: subscriptionList.optional().describe("Alias of `subscriptions`."),
  delivery_format: deliveryFormat
    .nullable()
    .optional()
    .describe("Null or absent inherits the app's. " + DELIVERY_FORMAT_DESCRIPTION),
  filter: filterInput
    .nullable()
    .optional()
    .describe(
      "Payload filter (docs/filters.md), JSON or text form: events it does not match are not delivered here (counted as `filtered`). `null` removes it.",
    ),
};

/**
 * A signing secret the caller brings (from Svix or another Standard Webhooks sender), so
 * receivers keep verifying with the secret they have. Answered with the `whsec_` prefix.
 */
export const suppliedSigningSecret = z
  .string()
  .transform((value, ctx) => {
    try {
      return normalizeSigningSecret(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "must be whsec_ followed by the base64 of 24-64 random bytes",
      });
      return z.NEVER;
    }
  })
  .describe(
    "A signing secret to use instead of a generated one: `whsec_` + base64 of 24-64 random bytes (the prefix may be left out).",
  );

type Spelled = { [K in SubscriptionField]?: string[] };

/** One subscription list out of the three spellings; several that differ are refused. */
function mergeSubscriptions<T extends Spelled>(value: T, ctx: z.RefinementCtx) {
  const given = SUBSCRIPTION_FIELDS.filter((f) => value[f] !== undefined);
  const first = given[0];
  const key = (list: string[]) => [...new Set(list)].sort().join("\n");
  for (const other of given.slice(1)) {
    if (key(value[other]!) !== key(value[first!]!)) {
      ctx.addIssue({
        code: "custom",
        path: [other],
        message: `differs from ${first}; send one of them`,
      });
    }
  }
  const { subscriptions: _s, events: _e, subscribed_events: _se, ...rest } = value;
  return {
    ...rest,
    subscriptions: first ? [...new Set(value[first])] : undefined,
    /** Which spelling the caller used, so later errors name their field. */
    subscriptionsField: first ?? ("subscriptions" as SubscriptionField),
  };
}

export const createEndpointRequest = z
  .strictObject({ ...endpointFields, secret: suppliedSigningSecret.optional() })
  .transform(mergeSubscriptions);
export type CreateEndpointRequest = z.output<typeof createEndpointRequest>;

export const updateEndpointRequest = z
  .strictObject({ ...endpointFields, url: endpointFields.url.optional() })
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one field to change" })
  .transform(mergeSubscriptions);
export type UpdateEndpointRequest = z.output<typeof updateEndpointRequest>;

export const endpointResponse = z.object({
  id: z.string(),
  app_id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  is_active: z.boolean(),
  max_retries: z.number().int(),
  timeout_seconds: z.number().int(),
  subscriptions: z.array(z.string()),
  channels: z.array(z.string()),
  rate_limit: z.number().int().nullable(),
  ordering: endpointOrdering,
  /** FIFO endpoints: the failing delivery the others wait behind (skip it to let them through); else null. */
  blocked_by: fifoBlocker.nullable(),
  /** The payload filter's JSON form; null without one. */
  filter: payloadFilter.nullable(),
  /** Why delivery stopped (`410 Gone`, repeated failures); null when active or paused by hand. */
  disabled_reason: z.string().nullable(),
  disabled_at: z.string().nullable(),
  failing_since: z.string().nullable(),
  consecutive_failures: z.number().int(),
  ...endpointSigningFields,
  ...endpointDeliveryFormatFields,
  created_at: z.string(),
  updated_at: z.string(),
});
export type EndpointResponse = z.infer<typeof endpointResponse>;

/** Create answers with the signing secret too; afterwards it takes `GET .../secret` (audited). */
export const createdEndpointResponse = endpointResponse.extend({ secret: z.string() });
export type CreatedEndpointResponse = z.infer<typeof createdEndpointResponse>;

export const listEndpointsQuery = listQuery;

export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 60 * 60;

const rotationFields = {
  expire_previous: z.boolean().optional().describe("Invalidate the previous secret at once."),
  grace_period_seconds: z
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must be at least 0")
    .max(MAX_ROTATION_GRACE_SECONDS, `must be at most ${MAX_ROTATION_GRACE_SECONDS} (7 days)`)
    .optional()
    .describe("How long the previous secret stays valid (default 86400)."),
};

function refuseGraceWithExpire(
  v: { expire_previous?: boolean; grace_period_seconds?: number },
  ctx: z.RefinementCtx,
) {
  if (v.expire_previous && v.grace_period_seconds !== undefined && v.grace_period_seconds > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["grace_period_seconds"],
      message: "conflicts with expire_previous: true",
    });
  }
}

/** `graceSeconds` undefined: the default grace of lib/endpoints/signing-secrets.ts. */
const graceOf = (v: { expire_previous?: boolean; grace_period_seconds?: number }) =>
  v.expire_previous ? 0 : v.grace_period_seconds;

/** `POST /apps/{slug}/rotate-secret`: the previous secrets keep signing for the grace (default 24 h). */
export const rotateSecretRequest = z
  .strictObject(rotationFields)
  .superRefine(refuseGraceWithExpire)
  .transform((v) => ({ graceSeconds: graceOf(v) }));
export type RotateSecretRequest = z.output<typeof rotateSecretRequest>;

/** `POST .../endpoints/{id}/rotate-secret`: as the app's, and the new secret may be brought along. */
export const rotateEndpointSecretRequest = z
  .strictObject({
    ...rotationFields,
    secret: suppliedSigningSecret
      .optional()
      .describe(
        "The new secret, instead of a generated one: `whsec_` + base64 of 24-64 random bytes.",
      ),
  })
  .superRefine(refuseGraceWithExpire)
  .transform((v) => ({ graceSeconds: graceOf(v), secret: v.secret }));
export type RotateEndpointSecretRequest = z.output<typeof rotateEndpointSecretRequest>;

export const rotateSecretResponse = z.object({
  secret: z.string(),
  /** When the previous secret stops signing; null when it was invalidated at once. */
  previous_secret_expires_at: z.string().nullable(),
  /** The new `whpk_` key when the endpoint has an Ed25519 key (rotated with the secret, same grace); else null. */
  public_key: z.string().nullable(),
});
export type RotateSecretResponse = z.infer<typeof rotateSecretResponse>;

export const endpointSecretResponse = z.object({ secret: z.string() });
export type EndpointSecretResponse = z.infer<typeof endpointSecretResponse>;

export const DEFAULT_TEST_EVENT = "webhook.test";

/** `POST .../test`: one signed delivery now, outside the endpoint's subscriptions. */
export const testEndpointRequest = z.strictObject({
  event_name: eventName.optional().describe(`Defaults to ${DEFAULT_TEST_EVENT}.`),
  payload: z.record(z.string(), z.unknown(), { message: "must be a JSON object" }).optional(),
});
export type TestEndpointRequest = z.output<typeof testEndpointRequest>;

export const testEndpointResponse = z.object({
  delivery_id: z.string(),
  success: z.boolean(),
  status_code: z.number().int().nullable(),
  error: z.string().nullable(),
  duration_ms: z.number(),
  response_body: z.string().nullable(),
});
export type TestEndpointResponse = z.infer<typeof testEndpointResponse>;

/** `POST .../reactivate` takes no fields (an empty body or `{}`). */
export const reactivateEndpointRequest = z.strictObject({});
