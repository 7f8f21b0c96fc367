import { z } from "zod";

/** `POST .../deliveries/{id}/skip` takes no fields (an empty body or `{}`). */
export const skipDeliveryRequest = z.strictObject({});

export const skipDeliveryResponse = z.object({
  delivery_id: z.string(),
  status: z.literal("cancelled"),
  /** The FIFO endpoint's delivery that may now be attempted, if any. */
  next_in_line: z.string().nullable(),
});
export type SkipDeliveryResponse = z.infer<typeof skipDeliveryResponse>;
