import { describe, expect, it } from "vitest";
import { schemaFields } from "@/lib/portal/schema-fields";

describe("schemaFields", () => {
  it("flattens nested objects into dotted paths, with required per parent", () => {
    const rows = schemaFields({
      type: "object",
      required: ["id", "customer"],
      properties: {
        id: { type: "string", description: "The invoice id." },
        amount: { type: "integer" },
        customer: {
          type: "object",
          required: ["email"],
          properties: {
            email: { type: "string", format: "email" },
            address: { type: "object", properties: { city: { type: ["string", "null"] } } },
          },
        },
        lines: {
          type: "array",
          items: { type: "object", required: ["sku"], properties: { sku: { type: "string" } } },
        },
        status: { enum: ["paid", "void"] },
      },
    });
    expect(rows).toEqual([
      { path: "id", type: "string", required: true, description: "The invoice id." },
      { path: "amount", type: "integer", required: false, description: null },
      { path: "customer", type: "object", required: true, description: null },
      { path: "customer.email", type: "string (email)", required: true, description: null },
      { path: "customer.address", type: "object", required: false, description: null },
      { path: "customer.address.city", type: "string or null", required: false, description: null },
      { path: "lines", type: "array of object", required: false, description: null },
      { path: "lines[].sku", type: "string", required: true, description: null },
      { path: "status", type: 'enum: one of "paid", "void"', required: false, description: null },
    ]);
  });

  it("answers nothing for what is not a schema with properties", () => {
    expect(schemaFields(null)).toEqual([]);
    expect(schemaFields({ type: "string" })).toEqual([]);
    expect(schemaFields("x")).toEqual([]);
  });
});
