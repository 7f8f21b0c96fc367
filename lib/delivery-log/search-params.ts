/**
 * "Find any event": the delivery log's search parameters, combined (AND) with its other filters.
 * Query strings carry text, so the payload condition is the filter language's text form.
 */
import { z } from "zod";
import { filterText } from "@/lib/filters/filter-input";

export const deliverySearchParams = {
  event_id: z
    .string()
    .min(1, "must not be empty")
    .max(100, "is too long")
    .optional()
    .describe(
      "Only the deliveries of this event (the `event_id` the trigger answered, `msg_...`).",
    ),
  idempotency_key: z
    .string()
    .min(1, "must not be empty")
    .max(255, "is too long")
    .optional()
    .describe(
      "Only the deliveries of the event holding this idempotency key (the `Idempotency-Key` header, or else the `event_id` sent with the trigger). " +
        "Once a key is reused after its 24 h window, it finds the newer event.",
    ),
  payload: filterText
    .optional()
    .describe(
      'Only deliveries whose event payload matches this condition, in the text form of the payload filter language (docs/filters.md), e.g. `customer.id = "cus_123" and amount > 0`. ' +
        "Expired payloads match nothing. A syntax error: 400 naming `payload` with the character.",
    ),
};
