import {
  compilePayloadSchema,
  InvalidPayloadSchemaError,
  validatePayload,
} from "@/lib/events/payload-schema";
import { apiErrors } from "@/lib/http/errors";

/**
 * The schema must compile with the validator that checks triggered payloads (so a schema is
 * never accepted here and then unusable there), and the example must satisfy it.
 */
export function checkSchemaAndExample(
  schema: Record<string, unknown> | null,
  example: Record<string, unknown> | null,
): void {
  if (!schema) return;
  try {
    compilePayloadSchema(schema);
  } catch (err) {
    if (err instanceof InvalidPayloadSchemaError) {
      throw apiErrors.validation([
        { field: "schema", message: `is not a valid JSON Schema: ${err.message}` },
      ]);
    }
    throw err;
  }
  if (!example) return;
  const errors = validatePayload(schema, example, "example");
  if (errors.length)
    throw apiErrors.validation(
      errors.map((e) => ({
        ...e,
        message: `${e.message} (the example does not match the schema)`,
      })),
    );
}
