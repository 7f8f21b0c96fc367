/**
 * Builds the Svix-compatible part of Hookline's OpenAPI document from Svix's own specs: for
 * every operation in the route table, the spec's operation object (the one with the route's
 * operationId; else the open-source server's; else the full API's), with the component
 * schemas it reaches, renamed `Svix…` and converted from OpenAPI 3.0 (`nullable`) to 3.1.
 * scripts/svix-openapi.ts writes the result to lib/svix/openapi-operations.json.
 */
type Json = Record<string, unknown>;
export interface SvixSpec {
  paths: Record<string, Record<string, Json>>;
  components: { schemas: Record<string, Json> };
}
export interface SvixOperationsFile {
  paths: Record<string, Record<string, Json>>;
  schemas: Record<string, Json>;
}

export const SVIX_TAG = "Svix compatibility";
const PREFIX = "Svix";

/** OpenAPI 3.0 `nullable: true` → 3.1 (`type: [t, "null"]`, or `anyOf` with null for refs). */
function to31(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(to31);
  if (!node || typeof node !== "object") return node;
  const src = node as Json;
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === "nullable") continue;
    if (k === "$ref" && typeof v === "string")
      out[k] = v.replace("#/components/schemas/", `#/components/schemas/${PREFIX}`);
    else out[k] = to31(v);
  }
  if (src.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (out.$ref || out.allOf || out.oneOf || out.anyOf) {
      const { description, ...rest } = out;
      return { ...(description ? { description } : {}), anyOf: [rest, { type: "null" }] };
    }
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  return out;
}

function refsIn(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) for (const n of node) refsIn(n, into);
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === "$ref" && typeof v === "string" && v.startsWith("#/components/schemas/"))
        into.add(v.slice("#/components/schemas/".length));
      else refsIn(v, into);
    }
}

const SERVER_ERROR = {
  description: "Database unavailable or unexpected error; nothing was changed. Retry shortly.",
  content: {
    "application/json": { schema: { $ref: `#/components/schemas/${PREFIX}HttpErrorOut` } },
  },
};

export function extractSvixOperations(
  specs: SvixSpec[],
  routes: readonly { method: string; path: string; operationId: string; auth?: string }[],
): SvixOperationsFile {
  const paths: SvixOperationsFile["paths"] = {};
  const wanted = new Set<string>(["HttpErrorOut"]);
  for (const route of routes) {
    const specPath = `/api/v1${route.path}`;
    const method = route.method.toLowerCase();
    const candidates = specs.map((s) => s.paths[specPath]?.[method]).filter(Boolean) as Json[];
    const op = candidates.find((c) => c.operationId === route.operationId) ?? candidates[0];
    if (!op) throw new Error(`Svix's specs have no ${route.method} ${specPath}`);
    const spec = specs.find((s) => s.paths[specPath]?.[method] === op)!;
    refsIn(op, wanted);
    const converted = to31(op) as Json;
    const responses = { ...(converted.responses as Json), 503: SERVER_ERROR };
    (paths[specPath] ??= {})[method] = {
      ...converted,
      operationId: route.operationId,
      tags: [SVIX_TAG],
      security: route.auth === "none" ? [] : [{ apiKey: [] }],
      responses,
      "x-svix-spec": specs.indexOf(spec) === 0 ? "svix-oss-openapi.json" : "svix-openapi.json",
    };
  }
  // Every schema the operations reach, from the spec that defines it (the OSS one first).
  const schemas: SvixOperationsFile["schemas"] = {};
  const queue = [...wanted];
  while (queue.length) {
    const name = queue.pop()!;
    if (schemas[`${PREFIX}${name}`]) continue;
    const schema = specs.map((s) => s.components.schemas[name]).find(Boolean);
    if (!schema) throw new Error(`Svix's specs have no schema ${name}`);
    const reached = new Set<string>();
    refsIn(schema, reached);
    queue.push(...reached);
    schemas[`${PREFIX}${name}`] = to31(schema) as Json;
  }
  return {
    paths,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
}
