/**
 * `npm run build:react`: lib/react as a publishable package in dist/react (`@hookline/react`):
 * one ESM bundle marked "use client", declarations, and a package.json whose peers are react and
 * @tanstack/react-query. The hooks' errors and response types are the SDK's: `@hookline/sdk`
 * (built by build-sdk) ships inside the package as a bundled dependency, so the folder installs
 * on its own, offline (`npm install --install-links dist/react`), and so does its `npm pack`.
 * Fails if the hooks reach anything else of the repo (server code must never ship to browsers).
 */
import fs from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";
import ts from "typescript";
import { buildSdk } from "../lib/sdk/build-sdk";

const ROOT = path.resolve(import.meta.dirname, "..");
const REACT_DIR = path.join(ROOT, "lib/react");
const ENTRY = path.join(REACT_DIR, "index.ts");
/** What the package may import: its peers, and the SDK it carries inside. */
const PEERS = ["react", "react-dom", "@tanstack/react-query", "@hookline/sdk"];

function fail(message: string): never {
  throw new Error(`build:react: ${message}`);
}

/** `@/lib/sdk/...` becomes the `@hookline/sdk` peer; any other repo import is an error. */
const repoImports: Plugin = {
  name: "hookline-repo-imports",
  setup(b) {
    b.onResolve({ filter: /^@\// }, (args) => {
      if (args.path.startsWith("@/lib/sdk/")) return { path: "@hookline/sdk", external: true };
      if (args.path.startsWith("@/lib/react/")) return undefined;
      return {
        errors: [
          {
            text: `${args.path} (from ${path.relative(ROOT, args.importer)}) is not part of the hooks package`,
          },
        ],
      };
    });
  },
};

function rewriteSpecifiers(text: string, file: string): string {
  return text.replace(
    /(from\s+|import\s*\(\s*)(["'])([^"']+)\2/g,
    (_m, lead: string, q: string, spec: string) => {
      let out = spec;
      // TypeScript writes the SDK's types as relative paths (../sdk/types); react-query's types
      // come from its core package, which it re-exports.
      if (spec.startsWith("@/lib/sdk/") || spec.startsWith("../sdk/")) out = "@hookline/sdk";
      else if (spec === "@tanstack/query-core") out = "@tanstack/react-query";
      else if (spec.startsWith("@/lib/react/")) out = `./${spec.slice("@/lib/react/".length)}.js`;
      else if (spec.startsWith("./") && !/\.js$/.test(spec)) out = `${spec}.js`;
      else if (spec.startsWith("@/") || spec.startsWith("../"))
        fail(`${file} imports "${spec}", which is not part of the package`);
      else if (!spec.startsWith("./") && !PEERS.some((p) => spec === p || spec.startsWith(`${p}/`)))
        fail(`${file} imports "${spec}", which is not a peer dependency`);
      return `${lead}${q}${out}${q}`;
    },
  );
}

function declarations(outDir: string): string[] {
  const sources = fs
    .readdirSync(REACT_DIR)
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => path.join(REACT_DIR, f));
  const program = ts.createProgram(sources, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.ReactJSX,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    strict: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    baseUrl: ROOT,
    paths: { "@/*": ["./*"] },
    rootDir: ROOT,
    outDir,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) {
    fail(
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => ROOT,
        getNewLine: () => "\n",
      }),
    );
  }
  const written: string[] = [];
  for (const source of sources) {
    const sf = program.getSourceFile(source)!;
    program.emit(sf, (fileName, text) => {
      if (!fileName.endsWith(".d.ts")) return;
      const name = `${path.basename(source).replace(/\.tsx?$/, "")}.d.ts`;
      fs.writeFileSync(path.join(outDir, name), rewriteSpecifiers(text, name));
      written.push(name);
    });
  }
  return written;
}

export async function buildReactPackage(
  outDir = path.join(ROOT, "dist/react"),
): Promise<{ outDir: string; files: string[] }> {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [ENTRY],
    outfile: path.join(outDir, "index.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    jsx: "automatic",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    external: ["react", "react/*", "react-dom", "react-dom/*", "@tanstack/react-query"],
    plugins: [repoImports],
    banner: { js: '"use client";' },
    logLevel: "silent",
  });
  const files = ["index.js", ...declarations(outDir)];
  const root = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    version: string;
    license?: string;
  };
  const pkg = {
    name: "@hookline/react",
    version: root.version,
    description:
      "React hooks for Hookline's webhook portal: endpoints, deliveries, replay and analytics in your own UI",
    license: root.license ?? "MIT",
    type: "module",
    main: "./index.js",
    types: "./index.d.ts",
    exports: { ".": { types: "./index.d.ts", import: "./index.js" } },
    sideEffects: false,
    // Not on a registry: carried inside (node_modules/@hookline/sdk), found offline.
    dependencies: { "@hookline/sdk": root.version },
    bundleDependencies: ["@hookline/sdk"],
    peerDependencies: {
      react: ">=18",
      "@tanstack/react-query": "^5",
    },
  };
  buildSdk(path.join(outDir, "node_modules", "@hookline", "sdk"));
  fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
  fs.writeFileSync(
    path.join(outDir, "README.md"),
    [
      "# @hookline/react",
      "",
      "React hooks for Hookline's customer portal API. Install this folder as a copy, beside your",
      "app's own React and TanStack Query (a symlinked folder would load them from here instead):",
      "",
      "```sh",
      "npm install react @tanstack/react-query",
      "npm install --install-links /path/to/hookline/dist/react",
      "```",
      "",
      'Wrap your UI in `<HooklineProvider baseUrl="https://hooks.example.com">`, exchange a ticket',
      "with `useWebhookAppSession(ticket)`, then use `useWebhookEndpoints`, `useWebhookDeliveries`,",
      "`useWebhookAnalytics`, `useWebhookTimeseries` and friends. Errors are `HooklineError`.",
      "",
    ].join("\n"),
  );
  return { outDir, files: [...files, "package.json", "README.md"].sort() };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  buildReactPackage(process.argv[2] ? path.resolve(process.argv[2]) : undefined).then(
    (r) =>
      console.log(
        `build:react: wrote ${r.files.length} files to ${path.relative(process.cwd(), r.outDir)}`,
      ),
    (err: Error) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
