/**
 * `POST .../filters/test`: does a filter match a payload? The payload is given, or is the catalog
 * example of a named event type (the portal's "Test against the catalog example"). The single
 * source for validation, types, the OpenAPI document and the SDK.
 */
import { z } from "zod";
import { eventName } from "@/lib/events/schemas";
import { filterInput } from "@/lib/filters/filter-input";
import { payloadFilter } from "@/lib/filters/payload-filter";

export const testFilterRequest = z
  .strictObject({
    filter: filterInput.describe("The filter, JSON or text form (docs/filters.md)."),
    payload: z
      .record(z.string(), z.unknown(), { message: "must be a JSON object" })
      .optional()
      .describe("The payload to test against."),
    event_type: eventName
      .optional()
      .describe("Test against this catalog event type's `example` instead."),
  })
  .superRefine((v, ctx) => {
    if ((v.payload === undefined) === (v.event_type === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: ["payload"],
        message: "send either payload or event_type (one of them)",
      });
    }
  });
export type TestFilterRequest = z.output<typeof testFilterRequest>;

export const testFilterResponse = z.object({
  /** Whether an event with this payload would be delivered to an endpoint with this filter. */
  matches: z.boolean(),
  /** The filter's JSON form (what an endpoint stores and returns). */
  filter: payloadFilter,
  /** The payload tested: the one given, or the event type's example. */
  payload: z.record(z.string(), z.unknown()),
});
export type TestFilterResponse = z.infer<typeof testFilterResponse>;
