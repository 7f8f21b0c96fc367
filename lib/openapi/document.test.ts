import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import { defineRoutes } from "@/lib/openapi/registry";
import { filterInput } from "@/lib/filters/filter-input";
import { payloadFilter } from "@/lib/filters/payload-filter";

const routes = defineRoutes([
  {
    method: "post",
    path: "/things/{slug}/parts",
    operationId: "createPart",
    summary: "Create a part",
    tag: "Things",
    pathParams: { slug: "The thing." },
    query: z.strictObject({
      dry_run: z.enum(["true", "false"]).optional(),
      mode: z.enum(["a", "b"]),
    }),
    body: z
      .strictObject({ name: z.string().min(1), size: z.number().int().default(1) })
      .transform((v) => ({ ...v, upper: v.name.toUpperCase() })),
    responses: { 201: { description: "Made", schema: z.object({ id: z.string() }) } },
    errors: [404],
  },
  {
    method: "get",
    path: "/open",
    operationId: "open",
    summary: "Open",
    tag: "Meta",
    auth: "none",
    responses: { 204: { description: "Nothing" } },
  },
]);

describe("buildOpenApiDocument", () => {
  const doc = buildOpenApiDocument(routes) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("turns path placeholders and query fields into parameters, required when they have no default", () => {
    const op = doc.paths["/api/v1/things/{slug}/parts"].post;
    expect(op.parameters).toEqual([
      {
        name: "slug",
        in: "path",
        required: true,
        description: "The thing.",
        schema: { type: "string" },
      },
      {
        name: "dry_run",
        in: "query",
        required: false,
        schema: { type: "string", enum: ["true", "false"] },
      },
      { name: "mode", in: "query", required: true, schema: { type: "string", enum: ["a", "b"] } },
    ]);
  });

  it("documents the request as input (before transforms) and errors by reference", () => {
    const op = doc.paths["/api/v1/things/{slug}/parts"].post;
    const body = op.requestBody.content["application/json"].schema;
    expect(body.required).toEqual(["name"]);
    expect(body.properties).not.toHaveProperty("upper");
    expect(Object.keys(op.responses).sort()).toEqual([
      "201",
      "400",
      "401",
      "404",
      "413",
      "422",
      "500",
      "503",
    ]);
    expect(op.responses["404"]).toEqual({ $ref: "#/components/responses/Error404" });
    expect(doc.components.responses.Error404.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
    expect(op.security).toEqual([{ apiKey: [] }]);
  });

  it("leaves public routes without security and bodiless responses without content", () => {
    const op = doc.paths["/api/v1/open"].get;
    expect(op.security).toEqual([]);
    expect(op.responses["204"]).toEqual({
      description: "Nothing",
      headers: { "X-Request-Id": { $ref: "#/components/headers/RequestId" } },
    });
    expect(op.responses["401"]).toBeUndefined();
  });

  it("refuses a route or an operationId registered twice", () => {
    expect(() =>
      buildOpenApiDocument([...routes, { ...routes[1]!, operationId: "other" }]),
    ).toThrow(/registered twice/);
    expect(() => buildOpenApiDocument([...routes, { ...routes[1]!, path: "/else" }])).toThrow(
      /used twice/,
    );
  });
});

describe("recursive schemas", () => {
  const filterRoutes = defineRoutes([
    {
      method: "post",
      path: "/filters",
      operationId: "saveFilter",
      summary: "Save a filter",
      tag: "Filters",
      body: z.strictObject({ filter: filterInput }),
      responses: {
        200: { description: "Saved", schema: z.object({ filter: payloadFilter.nullable() }) },
      },
    },
  ]);
  const doc = buildOpenApiDocument(filterRoutes) as any; // eslint-disable-line @typescript-eslint/no-explicit-any

  it("live once in components.schemas, referenced from every use", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain("$defs");
    expect(text).toContain('"$ref":"#/components/schemas/PayloadFilter"');
    const filter = doc.components.schemas.PayloadFilter;
    expect(JSON.stringify(filter)).toContain('"$ref":"#/components/schemas/PayloadFilter"');
    expect(filter.description ?? filter.anyOf?.[0]?.description).toBeTruthy();
  });
});
