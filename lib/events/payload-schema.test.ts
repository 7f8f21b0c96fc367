import { describe, expect, it } from "vitest";
import {
  compilePayloadSchema,
  InvalidPayloadSchemaError,
  validatePayload,
} from "@/lib/events/payload-schema";

describe("payload schemas", () => {
  const schema = {
    type: "object",
    required: ["amount"],
    additionalProperties: false,
    properties: {
      amount: { type: "integer" },
      customer: { type: "object", properties: { email: { type: "string", format: "email" } } },
      lines: {
        type: "array",
        items: { type: "object", properties: { "a/b": { type: "string" } } },
      },
    },
  };

  it("names the failing paths under `payload`", () => {
    expect(validatePayload(schema, { amount: 1 })).toEqual([]);
    const errors = validatePayload(schema, {
      customer: { email: "x" },
      lines: [{ "a/b": 1 }],
      extra: true,
    });
    expect(errors.map((e) => e.field).sort()).toEqual([
      "payload.amount",
      "payload.customer.email",
      "payload.extra",
      "payload.lines[0].a/b",
    ]);
    expect(errors.find((e) => e.field === "payload.amount")!.message).toBe("is required");
  });

  it("reads draft-07 schemas (`$schema`) and 2020-12 by default", () => {
    const draft7 = {
      $schema: "http://json-schema.org/draft-07/schema#",
      type: "object",
      properties: { a: { type: "string" } },
      required: ["a"],
    };
    expect(validatePayload(draft7, {})).toEqual([{ field: "payload.a", message: "is required" }]);
    const v2020 = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "array",
      prefixItems: [{ type: "string" }],
    };
    expect(validatePayload(v2020, ["a", 1])).toEqual([]);
    expect(validatePayload(v2020, [1])).toEqual([
      { field: "payload[0]", message: "must be string" },
    ]);
  });

  it("accepts boolean schemas and refuses malformed ones with a clear error", () => {
    expect(validatePayload(true, { any: 1 })).toEqual([]);
    expect(validatePayload(false, {})).toHaveLength(1);
    expect(() => compilePayloadSchema({ type: "no-such-type" })).toThrow(InvalidPayloadSchemaError);
    expect(() => compilePayloadSchema("nope")).toThrow(/must be an object/);
  });

  it("caches compiled validators by schema text", () => {
    expect(compilePayloadSchema({ type: "object" })).toBe(compilePayloadSchema({ type: "object" }));
  });

  it("runs `pattern` and `patternProperties` in linear time (ReDoS reproduction of issue 13)", () => {
    const schema = {
      type: "object",
      properties: { s: { type: "string", pattern: "^(a+)+$" } },
      patternProperties: { "^(b+)+$": { type: "string" } },
    };
    compilePayloadSchema(schema);
    const started = performance.now();
    expect(validatePayload(schema, { s: `${"a".repeat(5_000)}!` })).toHaveLength(1);
    expect(validatePayload(schema, { [`${"b".repeat(5_000)}!`]: 1 })).toEqual([]);
    // A backtracking engine would need 2^5000 steps; a linear one takes milliseconds. 5 s tells
    // them apart on the busiest machine.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(validatePayload(schema, { s: "aaa", bbb: "x" })).toEqual([]);
    expect(validatePayload({ type: "string", pattern: "^abc$" }, "ABC")).toHaveLength(1);
  });

  it("refuses patterns RE2 cannot run (backreferences, lookaround)", () => {
    expect(() => compilePayloadSchema({ type: "string", pattern: "(a)\\1" })).toThrow(
      InvalidPayloadSchemaError,
    );
    expect(() => compilePayloadSchema({ type: "string", pattern: "(?=a)" })).toThrow(
      InvalidPayloadSchemaError,
    );
  });

  it("refuses recursive, remote and unresolvable $ref; keeps acyclic local ones", () => {
    for (const bad of [
      { $ref: "#" },
      { properties: { child: { $ref: "#" } } },
      { $defs: { a: { $ref: "#/$defs/b" }, b: { $ref: "#/$defs/a" } }, $ref: "#/$defs/a" },
      { $defs: { a: { items: { $ref: "#/$defs/a" } } } },
      { $ref: "https://example.com/schema.json" },
      { $ref: "#/$defs/missing" },
      { $ref: "#anchor" },
      { $dynamicRef: "#x" },
    ]) {
      expect(() => compilePayloadSchema(bad), JSON.stringify(bad)).toThrow(
        InvalidPayloadSchemaError,
      );
    }
    const ok = {
      $defs: {
        money: { type: "integer" },
        line: { type: "object", properties: { amount: { $ref: "#/$defs/money" } } },
      },
      type: "array",
      items: { $ref: "#/$defs/line" },
    };
    expect(validatePayload(ok, [{ amount: 1 }])).toEqual([]);
    expect(validatePayload(ok, [{ amount: "x" }])).toEqual([
      { field: "payload[0].amount", message: "must be integer" },
    ]);
  });
});
