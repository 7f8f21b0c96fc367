/**
 * What an endpoint receives. `hookline`: the Standard Webhooks envelope `{ type, timestamp, data }`
 * with `webhook-*` headers, whose id is the delivery's (one per endpoint). `svix`: what Svix
 * sends, so receivers written for Svix keep working: the payload as the body, `svix-*` headers
 * and the `webhook-*` ones too (Standard Webhooks libraries read those), whose id is the event's
 * (the same for every endpoint, retry and replay of one message). An app sets the default of its
 * endpoints; an endpoint's own setting (null: inherit) overrides it.
 */
import { z } from "zod";

export const DELIVERY_FORMATS = ["hookline", "svix"] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];
export const DEFAULT_DELIVERY_FORMAT: DeliveryFormat = "hookline";

export const deliveryFormat = z.enum(DELIVERY_FORMATS, {
  message: 'must be "hookline" or "svix"',
});

export const DELIVERY_FORMAT_DESCRIPTION =
  "`hookline`: body `{type,timestamp,data}`, `webhook-*` headers, id = the delivery's. `svix`: body = the payload as stored, `svix-*` and `webhook-*` headers, id = the event's (the same on every endpoint and retry).";

export const isDeliveryFormat = (value: string | null | undefined): value is DeliveryFormat =>
  (DELIVERY_FORMATS as readonly string[]).includes(value ?? "");

/** The format in force: the endpoint's own, else its app's (anything unknown reads as the default). */
export function effectiveDeliveryFormat(
  endpointFormat: string | null | undefined,
  appFormat: string | null | undefined,
): DeliveryFormat {
  const chosen = endpointFormat ?? appFormat;
  return isDeliveryFormat(chosen) ? chosen : DEFAULT_DELIVERY_FORMAT;
}

/** The delivery-format fields of an endpoint response. */
export const endpointDeliveryFormatFields = {
  delivery_format: deliveryFormat
    .nullable()
    .describe("The endpoint's own choice; null inherits the app's. " + DELIVERY_FORMAT_DESCRIPTION),
  effective_delivery_format: deliveryFormat.describe(
    "The format deliveries are sent in now (the endpoint's, else the app's).",
  ),
};
