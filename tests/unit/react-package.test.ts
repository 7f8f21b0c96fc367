/**
 * `npm run build:react` makes a package that loads beside the built SDK with only its peers
 * installed, and whose declarations type-check seed 001's components (import line changed).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReactPackage } from "../../scripts/build-react-package";
import { buildSdk } from "@/lib/sdk/build-sdk";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-react-"));
  const modules = path.join(tmp, "node_modules");
  await buildReactPackage(path.join(modules, "@hookline", "react"));
  buildSdk(path.join(modules, "@hookline", "sdk"));
  for (const peer of [
    "react",
    "react-dom",
    "@tanstack/react-query",
    "@tanstack/query-core",
    "@types/react",
  ]) {
    fs.mkdirSync(path.dirname(path.join(modules, peer)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules", peer), path.join(modules, peer));
  }
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("@hookline/react", () => {
  it("declares its peers and nothing else", () => {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(tmp, "node_modules/@hookline/react/package.json"), "utf8"),
    );
    expect(pkg).toMatchObject({
      name: "@hookline/react",
      type: "module",
      exports: { ".": { import: "./index.js", types: "./index.d.ts" } },
    });
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([
      "@hookline/sdk",
      "@tanstack/react-query",
      "react",
    ]);
    expect(pkg.dependencies).toBeUndefined();
    const js = fs.readFileSync(path.join(tmp, "node_modules/@hookline/react/index.js"), "utf8");
    expect(js.startsWith('"use client";')).toBe(true);
    expect(js).not.toMatch(/from ["'](pg|@prisma|next|zod)/);
  });

  it("loads in plain Node with only its peers installed", () => {
    fs.writeFileSync(
      path.join(tmp, "load.mjs"),
      `import * as hooks from "@hookline/react"; console.log(JSON.stringify(Object.keys(hooks).sort()));`,
    );
    const names = JSON.parse(
      execFileSync(process.execPath, [path.join(tmp, "load.mjs")], { cwd: tmp, encoding: "utf8" }),
    ) as string[];
    expect(names).toEqual(
      expect.arrayContaining([
        "HooklineProvider",
        "useWebhookAppSession",
        "useWebhookEndpoints",
        "useWebhookDeliveries",
        "useWebhookAnalytics",
        "useWebhookTimeseries",
        "HooklineError",
      ]),
    );
  });

  it("type-checks seed 001's components against the published declarations", () => {
    const seed = fs
      .readFileSync(path.join(ROOT, "e2e/fixtures/seed-001/components.tsx"), "utf8")
      .replaceAll('from "@/lib/react"', 'from "@hookline/react"');
    const file = path.join(tmp, "seed-001.tsx");
    fs.writeFileSync(file, seed);
    const program = ts.createProgram([file], {
      strict: true,
      jsx: ts.JsxEmit.ReactJSX,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      noEmit: true,
      skipLibCheck: true,
      types: [],
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
  });
});
