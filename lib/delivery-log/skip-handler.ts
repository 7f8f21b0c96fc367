import { skipDelivery, type SkipRefusal } from "@/lib/delivery/skip-delivery";
import { deliveryNotFound } from "@/lib/delivery-log/get-delivery";
import { skipDeliveryRequest, type SkipDeliveryResponse } from "@/lib/delivery-log/skip-schemas";
import type { AppScopedHandler } from "@/lib/http/app-scope";
import { apiErrors } from "@/lib/http/errors";

const REFUSALS: Record<Exclude<SkipRefusal, "not_found">, string> = {
  final: "The delivery is already final; there is nothing to skip",
  not_fifo: 'Only deliveries of endpoints with ordering "fifo" can be skipped',
  in_flight: "An attempt for this delivery is in flight; skip it once that attempt is recorded",
};

/** Skip one waiting delivery of a FIFO endpoint, letting the next in its line through. */
export const skipDeliveryHandler: AppScopedHandler<{ id: string }> = async ({
  app,
  params,
  body,
  actor,
}) => {
  await body(skipDeliveryRequest);
  const outcome = await skipDelivery(app.id, params.id, actor);
  if (!outcome.skipped) {
    if (outcome.reason === "not_found") throw deliveryNotFound(params.id);
    throw apiErrors.conflict(REFUSALS[outcome.reason], {
      reason: outcome.reason,
      ...(outcome.status && { status: outcome.status }),
    });
  }
  return {
    delivery_id: params.id,
    status: "cancelled",
    next_in_line: outcome.nextInLine,
  } satisfies SkipDeliveryResponse;
};
