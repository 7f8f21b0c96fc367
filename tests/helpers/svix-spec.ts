/**
 * Validates answers of the Svix-compatible surface against Svix's own OpenAPI documents
 * (tests/fixtures/svix-reference: the open-source server's, then the full API's): the response
 * schema of the operation and status the spec declares. `expectSvixAnswer` fails the test with
 * every schema error; `svixFetch` is a fetch that checks each answer it sees.
 */
import fs from "node:fs";
import path from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";

/** Svix's specs, kept in the repository (tests/fixtures/svix-reference/README.md). */
const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const SVIX_REFERENCE_DIR = path.join(ROOT, "tests", "fixtures", "svix-reference");
const REFERENCE = SVIX_REFERENCE_DIR;
export const SPEC_FILES = ["svix-oss-openapi.json", "svix-openapi.json"] as const;

type Json = Record<string, unknown>;
interface Spec {
  file: string;
  doc: { paths: Record<string, Record<string, Json>>; components: { schemas: Json } };
}

function loadSpecs(): Spec[] {
  return SPEC_FILES.map((file) => ({
    file,
    doc: JSON.parse(fs.readFileSync(path.join(REFERENCE, file), "utf8")) as Spec["doc"],
  }));
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema `type: [t, "null"]` (3.1 documents pass through). */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    if (k === "nullable" || k === "example" || k === "discriminator" || k === "xml") continue;
    out[k] = toJsonSchema(v);
  }
  const src = node as Json;
  if (src.nullable === true) {
    if (typeof src.type === "string") out.type = [src.type, "null"];
    if (src.$ref || src.allOf || src.oneOf || src.anyOf) {
      const { description: _d, default: _def, ...rest } = out;
      return { anyOf: [rest, { type: "null" }] };
    }
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

interface Operation {
  spec: string;
  responses: Record<string, Json>;
}

let specs: Spec[] | null = null;
const ajvs = new Map<string, Ajv2020>();
const validators = new Map<string, ValidateFunction>();

function ajvFor(spec: Spec): Ajv2020 {
  let ajv = ajvs.get(spec.file);
  if (!ajv) {
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    // Svix's integer formats (uint16, int64, ...) are ranges, not string formats.
    for (const f of [
      "uint8",
      "uint16",
      "uint32",
      "uint64",
      "int8",
      "int16",
      "int32",
      "int64",
      "color",
      "uri-reference",
      "duration",
    ])
      ajv.addFormat(f, true);
    ajv.addSchema({ $id: "svix", components: toJsonSchema(spec.doc.components) as Json });
    ajvs.set(spec.file, ajv);
  }
  return ajv;
}

function refsToLocal(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(refsToLocal);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json))
    out[k] = k === "$ref" && typeof v === "string" ? `svix${v}` : refsToLocal(v);
  return out;
}

/**
 * The operation at `method path` (path as the spec writes it), from the first spec that has it,
 * or with `status`, the first that declares that status for it (the open-source spec leaves
 * out some success statuses the full one declares, e.g. 204 on expunge-content).
 */
export function svixOperation(method: string, specPath: string, status?: number): Operation {
  specs ??= loadSpecs();
  const found = specs.flatMap((spec) => {
    const op = spec.doc.paths[specPath]?.[method.toLowerCase()];
    return op ? [{ spec: spec.file, responses: op.responses as Record<string, Json> }] : [];
  });
  const first =
    found.find((op) => status === undefined || op.responses[String(status)]) ?? found[0];
  if (first) return first;
  throw new Error(`no ${method} ${specPath} in Svix's specs`);
}

/** `/api/v1/app/app_1/endpoint` → the spec's `/api/v1/app/{app_id}/endpoint` for this method. */
export function specPathFor(method: string, actualPath: string): string {
  specs ??= loadSpecs();
  const parts = actualPath.split("/").filter(Boolean);
  let best: { path: string; score: number } | null = null;
  for (const spec of specs) {
    for (const [p, ops] of Object.entries(spec.doc.paths)) {
      if (!ops[method.toLowerCase()]) continue;
      const segs = p.split("/").filter(Boolean);
      if (segs.length !== parts.length) continue;
      let score = 0;
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        if (segs[i]!.startsWith("{")) continue;
        if (segs[i] !== parts[i]) ok = false;
        else score++;
      }
      if (ok && (!best || score > best.score)) best = { path: p, score };
    }
    if (best) return best.path;
  }
  throw new Error(`no ${method} ${actualPath} in Svix's specs`);
}

/** Schema errors of `body` for `status` of the operation; throws if the status is not declared. */
export function svixSchemaErrors(
  method: string,
  specPath: string,
  status: number,
  body: unknown,
): string[] {
  specs ??= loadSpecs();
  const op = svixOperation(method, specPath, status);
  const declared = op.responses[String(status)];
  if (!declared) return [`status ${status} is not declared for ${method} ${specPath} (${op.spec})`];
  const schema = (declared.content as Record<string, { schema?: Json }> | undefined)?.[
    "application/json"
  ]?.schema;
  if (!schema)
    return body === undefined || body === null || body === ""
      ? []
      : [`${status} has no body in the spec`];
  const key = `${op.spec} ${method} ${specPath} ${status}`;
  let validate = validators.get(key);
  if (!validate) {
    const spec = specs.find((s) => s.file === op.spec)!;
    validate = ajvFor(spec).compile(refsToLocal(toJsonSchema(schema)) as Json);
    validators.set(key, validate);
  }
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`);
}

export function expectSvixAnswer(
  method: string,
  actualPath: string,
  status: number,
  body: unknown,
) {
  const specPath = specPathFor(method, actualPath);
  expect(
    svixSchemaErrors(method, specPath, status, body),
    `${method} ${actualPath} → ${status} ${JSON.stringify(body)?.slice(0, 300)}`,
  ).toEqual([]);
}

export interface CheckedAnswer {
  method: string;
  path: string;
  status: number;
  body: unknown;
  errors: string[];
}

/**
 * A fetch for `new Svix(token, { fetch })`-free use: the clients take `fetch` as an option, but
 * tests pass the real one through `globalThis`; this wraps it and records every answer with its
 * schema errors, so a test can assert all of them at the end.
 */
export function checkingFetch(base: typeof fetch = globalThis.fetch): {
  fetch: typeof fetch;
  answers: CheckedAnswer[];
} {
  const answers: CheckedAnswer[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const response = await base(input, init);
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: validated as text, and fails where the spec wants JSON
    }
    let errors: string[];
    try {
      errors = svixSchemaErrors(method, specPathFor(method, url.pathname), response.status, body);
    } catch (err) {
      errors = [(err as Error).message];
    }
    answers.push({ method, path: url.pathname, status: response.status, body, errors });
    return response;
  };
  return { fetch: wrapped, answers };
}

/**
 * Schema errors of an operational webhook body (`{ type, data }`) against Svix's schema for its
 * type: the open-source spec's `<Type>Event` component, or, for a type only the full API has
 * (`endpoint.enabled`), the full spec's `webhooks` entry; `specFile` picks one. Returns which spec
 * it used too.
 */
export function svixWebhookErrors(
  body: { type: string },
  specFile?: (typeof SPEC_FILES)[number],
): { spec: string; errors: string[] } {
  specs ??= loadSpecs();
  const name =
    body.type
      .split(/[._]/)
      .map((w) => w[0]!.toUpperCase() + w.slice(1))
      .join("") + "Event";
  for (const spec of specs.filter((s) => !specFile || s.file === specFile)) {
    const component = spec.doc.components.schemas[name];
    const hook = (spec.doc as { webhooks?: Record<string, { post?: Json }> }).webhooks?.[body.type]
      ?.post;
    const schema: Json | undefined = component
      ? { $ref: `#/components/schemas/${name}` }
      : ((hook?.requestBody as Json | undefined)?.content as Record<string, { schema?: Json }>)?.[
          "application/json"
        ]?.schema;
    if (!schema) continue;
    const key = `${spec.file} webhook ${body.type}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajvFor(spec).compile(refsToLocal(toJsonSchema(schema)) as Json);
      validators.set(key, validate);
    }
    const errors = validate(body)
      ? []
      : (validate.errors ?? []).map((e) => `${e.instancePath || "(root)"} ${e.message ?? ""}`);
    return { spec: spec.file, errors };
  }
  return { spec: "none", errors: [`no schema for ${body.type} in Svix's specs`] };
}
