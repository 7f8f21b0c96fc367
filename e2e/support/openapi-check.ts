/**
 * Checks live answers against the OpenAPI document the server publishes: each answer's status
 * must be declared for its operation, its JSON body must validate against the declared schema
 * (JSON Schema 2020-12, Ajv), its declared headers must be present, and the operations covered
 * are counted so a run can prove it went through all of them.
 */
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { APIResponse } from "@playwright/test";

type Json = Record<string, unknown>;
interface Operation {
  operationId: string;
  responses: Record<string, Json>;
}

export interface Finding {
  call: string;
  problem: string;
}

export class OpenApiChecker {
  readonly covered = new Set<string>();
  readonly findings: Finding[] = [];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly ops: {
    method: string;
    template: string;
    pattern: RegExp;
    specificity: number;
    op: Operation;
  }[] = [];

  constructor(private readonly doc: Json) {
    // ajv-formats is CommonJS: its function is the default export, or that export's `default`.
    const add = ((addFormats as unknown as { default?: unknown }).default ?? addFormats) as (
      ajv: Ajv2020,
    ) => void;
    add(this.ajv);
    for (const [template, byMethod] of Object.entries(
      doc.paths as Record<string, Record<string, Operation>>,
    )) {
      const pattern = new RegExp(
        `^${template.replace(/[.]/g, "\\.").replace(/\{[^}]+\}/g, "[^/]+")}$`,
      );
      const specificity = template.split("/").filter((s) => !s.startsWith("{")).length;
      for (const [method, op] of Object.entries(byMethod))
        this.ops.push({ method: method.toUpperCase(), template, pattern, specificity, op });
    }
  }

  get operationIds(): string[] {
    return this.ops.map((o) => o.op.operationId).sort();
  }

  private deref(node: Json): Json {
    let n = node;
    for (let i = 0; i < 10 && typeof n.$ref === "string" && n.$ref.startsWith("#/"); i++) {
      n = n.$ref
        .slice(2)
        .split("/")
        .reduce<unknown>((at, key) => (at as Json)[key], this.doc) as Json;
    }
    return n;
  }

  /** Checks one answer; `label` names the call in findings. */
  async check(
    method: string,
    url: string,
    res: APIResponse,
    label = `${method} ${new URL(url).pathname}`,
  ): Promise<void> {
    const path = new URL(url).pathname;
    const match = this.ops
      .filter((o) => o.method === method && o.pattern.test(path))
      .sort((a, b) => b.specificity - a.specificity)[0];
    if (!match) {
      this.findings.push({ call: label, problem: "no operation in the document" });
      return;
    }
    this.covered.add(match.op.operationId);
    const status = String(res.status());
    const declared = match.op.responses[status];
    if (!declared) {
      this.findings.push({
        call: label,
        problem: `status ${status} not declared (declared: ${Object.keys(match.op.responses).join(", ")}): ${(await res.text()).slice(0, 200)}`,
      });
      return;
    }
    const response = this.deref(declared);
    const headers = res.headers();
    for (const name of Object.keys((response.headers as Json | undefined) ?? {})) {
      if (name.toLowerCase() === "set-cookie") continue;
      if (!(name.toLowerCase() in headers))
        this.findings.push({ call: label, problem: `${status}: declared header ${name} missing` });
    }
    const content = response.content as Record<string, { schema: Json }> | undefined;
    const text = await res.text();
    if (!content) {
      if (text.length > 0)
        this.findings.push({ call: label, problem: `${status}: a body where none is declared` });
      return;
    }
    if (!/application\/json/.test(headers["content-type"] ?? "")) {
      this.findings.push({
        call: label,
        problem: `${status}: content-type ${headers["content-type"]} is not the declared application/json`,
      });
      return;
    }
    const schema = this.resolveRefs(content["application/json"]!.schema);
    const validate = this.ajv.compile(schema);
    if (!validate(JSON.parse(text))) {
      this.findings.push({
        call: label,
        problem: `${status}: body does not match the schema: ${this.ajv.errorsText(validate.errors)} — ${text.slice(0, 300)}`,
      });
    }
  }

  /**
   * Inlines `#/components/...` references (the schemas' own `#/$defs` stay as they are). A
   * recursive component (the payload filter) cannot be inlined: it goes into the root's `$defs`
   * once, and every reference to it points there.
   */
  private resolveRefs(node: unknown): Json {
    const hoisted: Json = {};
    const expanding = new Set<string>();
    const recursive = new Set<string>();
    const defName = (ref: string) =>
      `component_${ref.slice("#/components/".length).replace(/[^A-Za-z0-9_]/g, "_")}`;
    const walk = (n: unknown): unknown => {
      if (Array.isArray(n)) return n.map(walk);
      if (!n || typeof n !== "object") return n;
      const o = n as Json;
      if (typeof o.$ref === "string" && o.$ref.startsWith("#/components/")) {
        const ref = o.$ref;
        const pointer = { $ref: `#/$defs/${defName(ref)}` };
        if (defName(ref) in hoisted) return pointer;
        if (expanding.has(ref)) {
          recursive.add(ref);
          return pointer;
        }
        expanding.add(ref);
        const expanded = walk(this.deref(o));
        expanding.delete(ref);
        if (!recursive.has(ref)) return expanded;
        hoisted[defName(ref)] = expanded;
        return pointer;
      }
      return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, walk(v)]));
    };
    const root = walk(node) as Json;
    if (Object.keys(hoisted).length === 0) return root;
    // A root that is itself a hoisted pointer keeps its target beside it.
    return { ...root, $defs: { ...((root.$defs as Json | undefined) ?? {}), ...hoisted } };
  }
}
