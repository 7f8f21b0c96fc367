/**
 * Regenerates lib/svix/openapi-operations.json (the Svix-compatible surface's part of the
 * OpenAPI document) from Svix's specs and the route table. Run after adding Svix routes:
 *   node --import tsx scripts/svix-openapi.ts [reference-dir]
 * The reference dir (svix-oss-openapi.json, svix-openapi.json) defaults to tests/fixtures/svix-reference.
 */
import fs from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { extractSvixOperations, type SvixSpec } from "@/lib/svix/openapi-extract";
import { svixRoutes } from "@/lib/svix/routes";

const root = path.resolve(import.meta.dirname, "..");
const dir = process.argv[2] ?? path.join(root, "tests", "fixtures", "svix-reference");
const specs = ["svix-oss-openapi.json", "svix-openapi.json"].map(
  (f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as SvixSpec,
);
const out = path.join(root, "lib", "svix", "openapi-operations.json");
const text = JSON.stringify(extractSvixOperations(specs, svixRoutes));
fs.writeFileSync(out, await format(text, { ...(await resolveConfig(out)), parser: "json" }));
console.log(`wrote ${path.relative(root, out)}`);
