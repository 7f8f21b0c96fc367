import { apiErrors, type FieldError } from "@/lib/http/errors";
import { compilePayloadSchema, payloadErrors } from "@/lib/event-types/payload-schema";

/** The schema must be one Hookline can check payloads with, and the example must satisfy it. */
export function checkSchemaAndExample(schema: Record<string, unknown> | null, example: Record<string, unknown> | null): void {
  if (!schema) return;
  const compiled = compilePayloadSchema(schema);
  if (!compiled.ok) throw apiErrors.validation([{ field: "schema", message: compiled.reason }]);
  if (!example) return;
  const errors: FieldError[] = payloadErrors(compiled.schema, example, "example");
  if (errors.length) throw apiErrors.validation(errors.map((e) => ({ ...e, message: `${e.message} (does not match schema)` })));
}
