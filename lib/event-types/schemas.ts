import { z } from "zod";
import { eventName } from "@/lib/events/schemas";
import { booleanQueryParam, listQuery } from "@/lib/openapi/shared-schemas";

/** The event catalog: request and response shapes (validation, types, OpenAPI, SDK). */
const jsonObject = z.record(z.string(), z.unknown(), { message: "must be a JSON object" });

const eventTypeFields = {
  description: z.string().max(2000, "must be at most 2000 characters").nullable().optional(),
  schema: jsonObject.nullable().optional().describe("JSON Schema (2020-12) of the payload."),
  example: jsonObject
    .nullable()
    .optional()
    .describe("An example payload; must satisfy `schema` when both are set."),
  archived: z
    .boolean()
    .optional()
    .describe("Archived types stay subscribable but are marked deprecated."),
};

export const createEventTypeRequest = z.strictObject({ name: eventName, ...eventTypeFields });
export type CreateEventTypeRequest = z.output<typeof createEventTypeRequest>;

export const updateEventTypeRequest = z
  .strictObject(eventTypeFields)
  .refine((v) => Object.keys(v).length > 0, { message: "send at least one field to change" });
export type UpdateEventTypeRequest = z.output<typeof updateEventTypeRequest>;

export const eventTypeResponse = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()).nullable(),
  example: z.record(z.string(), z.unknown()).nullable(),
  archived: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type EventTypeResponse = z.infer<typeof eventTypeResponse>;

export const listEventTypesQuery = listQuery.extend({
  archived: booleanQueryParam
    .optional()
    .describe("Only archived (true) or only current (false) types; both when omitted."),
});
