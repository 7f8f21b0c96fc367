import { SVIX_REFERENCE_DIR } from "../helpers/svix-spec";
import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { callRoute } from "../helpers/http";
import { findRouteFiles } from "../helpers/route-server";
import { buildOpenApiDocument } from "@/lib/openapi/document";
import * as openapiRoute from "@/app/api/v1/openapi.json/route";
import { svixRoutes } from "@/lib/svix/routes";
import { SVIX_TAG, svixOpenApi } from "@/lib/svix/openapi";
import { extractSvixOperations, type SvixSpec } from "@/lib/svix/openapi-extract";

process.env.HOOKLINE_LOG_LEVEL = "error";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The HTTP methods a route file exports, read from its source (importing it would need a database). */
function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(
    /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
  ))
    found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1]!.split(",")) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()!;
      if ((METHODS as readonly string[]).includes(name)) found.add(name);
    }
  }
  return [...found].sort();
}

/** `/api/v1/apps/{slug}/endpoints/{id}` for app/api/v1/apps/[slug]/endpoints/[id]/route.ts. */
const openApiPath = (segments: string[], base = "/api/v1") =>
  `${base}/${segments.map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}`.replace(/\/$/, "");

/** Every documented `method path` under `base`, and every exported method of a route file there. */
function documentedAndOnDisk(
  doc: { paths: Record<string, Record<string, unknown>> },
  base: string,
) {
  const onDisk = new Set<string>();
  for (const route of findRouteFiles(
    path.join(process.cwd(), "app", ...base.split("/").filter(Boolean)),
  )) {
    const source = fs.readFileSync(route.file, "utf8");
    // The Svix-compatible surface's route files hand every request to its route table.
    if (source.includes("svixRouteHandlers()")) {
      const prefix = openApiPath(
        route.segments.filter((s) => !s.includes("...")),
        base,
      );
      for (const r of svixRoutes)
        if (`${base}${r.path}` === prefix || `${base}${r.path}`.startsWith(`${prefix}/`))
          onDisk.add(`${r.method.toLowerCase()} ${base}${r.path}`);
      continue;
    }
    const methods = exportedMethods(source);
    expect(methods.length, route.file).toBeGreaterThan(0);
    for (const method of methods)
      onDisk.add(`${method.toLowerCase()} ${openApiPath(route.segments, base)}`);
  }
  const documented = new Set(
    Object.entries(doc.paths)
      .filter(([p]) => p === base || p.startsWith(`${base}/`))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`)),
  );
  return { onDisk, documented };
}

// This test is in the integration project because it walks app/ and the document pulls in
// every domain's schemas; it needs no database.
describe("GET /api/v1/openapi.json", () => {
  const doc = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<string, Record<string, { operationId: string; security: unknown[] }>>;
  };

  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(doc) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("lists every route file and exported method under app/api/v1, and nothing that does not exist", () => {
    const { onDisk, documented } = documentedAndOnDisk(doc, "/api/v1");
    const missing = [...onDisk].filter((r) => !documented.has(r)).sort();
    const stale = [...documented].filter((r) => !onDisk.has(r)).sort();
    expect({ missing, stale }).toEqual({ missing: [], stale: [] });
    expect(onDisk.size).toBeGreaterThanOrEqual(25);
  });

  it("lists the frontend API (app/api/frontend/webhook, app/api/session) under its own tag, with the session and CSRF", () => {
    for (const base of ["/api/frontend/webhook", "/api/session"]) {
      const { onDisk, documented } = documentedAndOnDisk(doc, base);
      expect({
        missing: [...onDisk].filter((r) => !documented.has(r)).sort(),
        stale: [...documented].filter((r) => !onDisk.has(r)).sort(),
      }).toEqual({ missing: [], stale: [] });
      expect(onDisk.size).toBeGreaterThan(0);
    }
    const ops = Object.entries(doc.paths).filter(([p]) => !p.startsWith("/api/v1/"));
    for (const [p, byMethod] of ops) {
      for (const [method, op] of Object.entries(byMethod) as unknown as [
        string,
        { tags: string[]; security: unknown[]; parameters: { $ref?: string }[] },
      ][]) {
        expect(op.tags, `${method} ${p}`).toEqual(["Frontend API"]);
        if (p.startsWith("/api/frontend/"))
          expect(op.security).toEqual([{ portalSession: [] }, { portalSessionTopLevel: [] }]);
        const csrf = op.parameters.some((x) => x.$ref === "#/components/parameters/CsrfToken");
        expect(csrf, `${method} ${p} declares x-csrf-token`).toBe(
          p.startsWith("/api/frontend/") && method !== "get",
        );
      }
    }
  });

  it("declares 503 database_unavailable on every operation that uses the database, the Idempotency-Key header and the document's own content", () => {
    const all = Object.entries(doc.paths).flatMap(([p, byMethod]) =>
      Object.entries(byMethod).map(
        ([m, op]) =>
          [
            `${m} ${p}`,
            op as unknown as {
              responses: Record<string, { content?: unknown }>;
              parameters: { name?: string; in?: string }[];
            },
          ] as const,
      ),
    );
    for (const [name, op] of all) {
      if (name === "get /api/v1/openapi.json") continue;
      expect(op.responses, name).toHaveProperty("503");
    }
    const trigger = all.find(([n]) => n === "post /api/v1/apps/{slug}/events")![1];
    expect(trigger.parameters).toContainEqual(
      expect.objectContaining({ name: "Idempotency-Key", in: "header" }),
    );
    const self = all.find(([n]) => n === "get /api/v1/openapi.json")![1];
    expect(self.responses["200"]!.content).toMatchObject({
      "application/json": {
        schema: { type: "object", required: ["openapi", "info", "paths"] },
      },
    });
  });

  it("names every seed 002 operation that has a route, and marks the API-key routes", () => {
    const ops = new Map(
      Object.values(doc.paths).flatMap((o) =>
        Object.values(o).map((op) => [op.operationId, op] as const),
      ),
    );
    for (const id of [
      "createWebhookApp",
      "listWebhookApps",
      "getWebhookApp",
      "updateWebhookApp",
      "deleteWebhookApp",
      "rotateWebhookSecret",
      "createWebhookEndpoint",
      "listWebhookEndpoints",
      "updateWebhookEndpoint",
      "deleteWebhookEndpoint",
      "testWebhookEndpoint",
      "reactivateWebhookEndpoint",
    ]) {
      expect(ops.get(id)?.security, id).toEqual([{ apiKey: [] }]);
    }
    expect(ops.get("getOpenApiDocument")?.security).toEqual([]);
  });

  it("lists exactly the Svix-compatible operations under their own tag, as Svix's spec writes them", () => {
    const tagged = Object.entries(doc.paths)
      .flatMap(([p, ops]) =>
        Object.entries(ops as Record<string, { tags?: string[] }>)
          .filter(([, op]) => op.tags?.includes(SVIX_TAG))
          .map(([m]) => `${m} ${p}`),
      )
      .sort();
    expect(tagged).toEqual(
      svixRoutes.map((r) => `${r.method.toLowerCase()} /api/v1${r.path}`).sort(),
    );
    // lib/svix/openapi-operations.json is what scripts/svix-openapi.ts makes of the specs now.
    const specs = ["svix-oss-openapi.json", "svix-openapi.json"].map(
      (f) => JSON.parse(fs.readFileSync(path.join(SVIX_REFERENCE_DIR, f), "utf8")) as SvixSpec,
    );
    expect(extractSvixOperations(specs, svixRoutes)).toEqual(svixOpenApi);
  });

  it("is served without an API key", async () => {
    const res = await callRoute(openapiRoute.GET, { path: "/api/v1/openapi.json" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(
      res.body.paths["/api/v1/apps/{slug}/endpoints"].post.requestBody.content["application/json"]
        .schema.properties,
    ).toHaveProperty("subscribed_events");
  });
});
