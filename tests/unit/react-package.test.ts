/**
 * `npm run build:react` makes a folder that installs into a fresh project offline, as the README
 * says (`npm install --install-links dist/react`, beside the app's own React and TanStack Query),
 * loads in plain Node there, and whose declarations type-check seed 001's components (import line
 * changed).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildReactPackage } from "../../scripts/build-react-package";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** The app's own packages, installed from this checkout's copies (no registry offline). */
const APP_PACKAGES = [
  "react",
  "@tanstack/query-core",
  "@tanstack/react-query",
  "@types/react",
  "csstype",
];
let tmp: string;
let app: string;
let installed: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-react-"));
  const folder = path.join(tmp, "dist", "react");
  await buildReactPackage(folder);
  app = path.join(tmp, "app");
  fs.mkdirSync(app);
  fs.writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({ name: "app", version: "1.0.0", private: true, type: "module" }),
  );
  // --offline with an empty cache of its own: nothing may come from a registry.
  execFileSync(
    "npm",
    [
      "install",
      "--offline",
      "--install-links",
      "--ignore-scripts",
      "--no-audit",
      "--no-fund",
      "--cache",
      path.join(tmp, "npm-cache"),
      ...APP_PACKAGES.map((p) => path.join(ROOT, "node_modules", p)),
      folder,
    ],
    { cwd: app, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
  );
  installed = path.join(app, "node_modules", "@hookline", "react");
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("@hookline/react", () => {
  it("is installed as a copy carrying the SDK, and declares its peers", () => {
    expect(fs.lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(
      JSON.parse(
        fs.readFileSync(path.join(installed, "node_modules/@hookline/sdk/package.json"), "utf8"),
      ),
    ).toMatchObject({ name: "@hookline/sdk" });
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: "@hookline/react",
      type: "module",
      exports: { ".": { import: "./index.js", types: "./index.d.ts" } },
    });
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(["@tanstack/react-query", "react"]);
    expect(Object.keys(pkg.dependencies)).toEqual(["@hookline/sdk"]);
    expect(pkg.bundleDependencies).toEqual(["@hookline/sdk"]);
    const js = fs.readFileSync(path.join(installed, "index.js"), "utf8");
    expect(js.startsWith('"use client";')).toBe(true);
    expect(js).not.toMatch(/from ["'](pg|@prisma|next|zod)/);
  });

  it("loads in plain Node in the app, with the app's React", () => {
    fs.writeFileSync(
      path.join(app, "load.mjs"),
      `import * as hooks from "@hookline/react";
import { createRequire } from "node:module";
const react = createRequire(import.meta.resolve("@hookline/react")).resolve("react");
console.log(JSON.stringify({ names: Object.keys(hooks).sort(), react }));`,
    );
    const { names, react } = JSON.parse(
      execFileSync(process.execPath, [path.join(app, "load.mjs")], { cwd: app, encoding: "utf8" }),
    ) as { names: string[]; react: string };
    expect(react.startsWith(path.join(app, "node_modules", "react") + path.sep)).toBe(true);
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
    expect(typeErrors("seed-001.tsx", seed)).toEqual([]);
  }, 60_000);

  it("type-checks the README's example as written", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const example = /```tsx\n(import [^\n]* from "@hookline\/react";[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(typeErrors("readme.tsx", example!)).toEqual([]);
    // The install line the README gives is the one this file's setup ran.
    expect(readme).toContain("npm install --install-links /path/to/hookline/dist/react");
  }, 60_000);
});

/** tsc's complaints about `source`, written into the app as `name`, against its node_modules. */
function typeErrors(name: string, source: string): string[] {
  const file = path.join(app, name);
  fs.writeFileSync(file, source);
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
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}
