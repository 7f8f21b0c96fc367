import { z } from "zod";
import { fieldPath, type FieldError } from "@/lib/http/errors";

/**
 * Event-type JSON Schemas, compiled with zod's JSON Schema reader. A schema it cannot read
 * (e.g. `if`/`then`) is refused at registration rather than silently never checked.
 */
export function compilePayloadSchema(schema: Record<string, unknown>): { ok: true; schema: z.ZodType } | { ok: false; reason: string } {
  try {
    return { ok: true, schema: z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]) };
  } catch (err) {
    return { ok: false, reason: `is not a JSON Schema Hookline can use: ${(err as Error).message}` };
  }
}

/** Field errors of `payload` against a compiled schema, named under `field` (`example.amount`). */
export function payloadErrors(schema: z.ZodType, payload: unknown, field: string): FieldError[] {
  const result = schema.safeParse(payload);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ field: fieldPath([field, ...issue.path]), message: issue.message }));
}
