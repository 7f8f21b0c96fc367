/**
 * JSON Schema validation of event payloads (the event type's `schema`). Draft 2020-12 by
 * default; a schema that declares draft-04/06/07 in `$schema` is read with draft-07 rules.
 * Compiled validators are cached by the schema's text.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsImport from "ajv-formats";
import { RE2JS } from "re2js";
import type { FieldError } from "@/lib/http/errors";
import { refProblem } from "@/lib/events/schema-refs";

// ajv-formats is CommonJS with a `default` property; bundlers disagree on which one we get.
const addFormats =
  (addFormatsImport as unknown as { default?: typeof addFormatsImport }).default ??
  addFormatsImport;

/**
 * `pattern` and `patternProperties` run on RE2 (linear time), never on the backtracking
 * engine: a payload string cannot hold the event loop. Patterns RE2 cannot express
 * (backreferences, lookaround) fail to compile, so the schema is refused at registration.
 */
const linearRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const re = RE2JS.compile(pattern, flags.includes("i") ? RE2JS.CASE_INSENSITIVE : 0);
    // ajv shares compiled patterns by `toString()`: it must tell patterns apart.
    return { test: (s: string) => re.test(s), toString: () => `re2js:/${pattern}/${flags}` };
  },
  { code: "re2js" },
);

const options = {
  strict: false,
  allErrors: true,
  validateFormats: true,
  code: { regExp: linearRegExp },
} as const;
let ajv2020: Ajv2020 | undefined;
let ajv07: Ajv | undefined;

function engineFor(schema: Record<string, unknown>): Ajv | Ajv2020 {
  const declared = typeof schema.$schema === "string" ? schema.$schema : "";
  if (/draft-0[467]/.test(declared)) {
    ajv07 ??= addFormats(new Ajv(options));
    return ajv07;
  }
  ajv2020 ??= addFormats(new Ajv2020(options));
  return ajv2020;
}

export class InvalidPayloadSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidPayloadSchemaError";
  }
}

const MAX_CACHED = 500;
const cache = new Map<string, ValidateFunction>();

/** Compiles (or fetches from cache) a validator. Throws InvalidPayloadSchemaError for a bad schema. */
export function compilePayloadSchema(schema: unknown): ValidateFunction {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    if (schema === true || schema === false) return compilePayloadSchema(schema ? {} : { not: {} });
    throw new InvalidPayloadSchemaError("a JSON Schema must be an object or a boolean");
  }
  const key = JSON.stringify(schema);
  const cached = cache.get(key);
  if (cached) return cached;
  // `$schema` only picks the draft; removing it spares a meta-schema lookup.
  const { $schema: _declared, ...rest } = schema as Record<string, unknown>;
  const problem = refProblem(rest);
  if (problem) throw new InvalidPayloadSchemaError(problem);
  let validate: ValidateFunction;
  try {
    validate = engineFor(schema as Record<string, unknown>).compile(rest);
  } catch (err) {
    throw new InvalidPayloadSchemaError((err as Error).message);
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, validate);
  return validate;
}

function pointerToPath(prefix: string, pointer: string): string {
  let path = prefix;
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  }
  return path;
}

function toFieldError(error: ErrorObject, prefix: string): FieldError {
  const field = pointerToPath(prefix, error.instancePath);
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  if (error.keyword === "required" && params.missingProperty) {
    return { field: `${field}.${params.missingProperty}`, message: "is required" };
  }
  if (error.keyword === "additionalProperties" && params.additionalProperty) {
    return {
      field: `${field}.${params.additionalProperty}`,
      message: "is not allowed by the event type's schema",
    };
  }
  return { field, message: error.message ?? "is invalid" };
}

/** Field errors (`payload.amount: must be integer`) for a payload that fails the schema; [] when it passes. */
export function validatePayload(
  schema: unknown,
  payload: unknown,
  prefix = "payload",
): FieldError[] {
  const validate = compilePayloadSchema(schema);
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => toFieldError(e, prefix));
}
