/**
 * An event type's JSON Schema as the rows of a field table (the catalog's "Fields"): one row per
 * property, nested objects flattened into dotted paths (`customer.address.city`), array items as
 * `lines[]` (their properties `lines[].amount`). Only what a reader needs: the path, a type in
 * words, whether the field is required (within its parent), and the description.
 */

export interface SchemaField {
  path: string;
  type: string;
  required: boolean;
  description: string | null;
}

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Deeper than this the table stops (a recursive `$ref` cannot run it forever; refs are not followed anyway). */
const MAX_DEPTH = 8;

function typeOf(schema: Schema): string {
  const t = schema.type;
  let base: string;
  if (Array.isArray(t)) base = t.map(String).join(" or ");
  else if (typeof t === "string") base = t;
  else if (isObject(schema.properties)) base = "object";
  else if (Array.isArray(schema.enum)) base = "enum";
  else if ("const" in schema) base = "const";
  else if (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf)) {
    const options = (schema.anyOf ?? schema.oneOf) as unknown[];
    base = options.filter(isObject).map(typeOf).join(" or ") || "any";
  } else base = "any";
  if (base === "array" && isObject(schema.items)) base = `array of ${typeOf(schema.items)}`;
  if (typeof schema.format === "string") base += ` (${schema.format})`;
  if (Array.isArray(schema.enum))
    base += `: one of ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  else if ("const" in schema) base += `: ${JSON.stringify(schema.const)}`;
  return base;
}

function walk(schema: Schema, prefix: string, depth: number, out: SchemaField[]) {
  if (depth > MAX_DEPTH) return;
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === "string") : [],
  );
  for (const [name, child] of Object.entries(properties)) {
    if (!isObject(child)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({
      path,
      type: typeOf(child),
      required: required.has(name),
      description: typeof child.description === "string" ? child.description : null,
    });
    nested(child, path, depth, out);
  }
}

function nested(schema: Schema, path: string, depth: number, out: SchemaField[]) {
  if (isObject(schema.properties)) walk(schema, path, depth + 1, out);
  if (isObject(schema.items) && isObject(schema.items.properties))
    walk(schema.items, `${path}[]`, depth + 1, out);
}

/** The schema's fields in the order the schema lists them; none when it describes no properties. */
export function schemaFields(schema: unknown): SchemaField[] {
  if (!isObject(schema)) return [];
  const out: SchemaField[] = [];
  walk(schema, "", 0, out);
  if (out.length === 0 && isObject(schema.items)) nested(schema, "", 0, out);
  return out;
}
