/**
 * `npm run build`: generate the Prisma client, build Next.js and compile the web server.
 * `ensureBuilt()` does only what is missing or stale (sources whose content differs from what the
 * last build was made from), so `npm start` on a fresh clone builds and a restart does not, nor
 * does a `prisma generate` that rewrote generated/ with the same content.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const ROOT = path.resolve(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "inngest",
  "generated",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package.json",
  "scripts/next-server.ts",
];
/** The production web server (scripts/next-server.ts), compiled with what it imports. */
export const SERVER_BUNDLE = path.join(ROOT, ".next", "hookline-server.mjs");
const SKIP = new Set(["node_modules", ".next", ".hookline"]);

/** Where the fingerprint of the inputs the last build was made from is kept (under .next/). */
export const INPUTS_STAMP = ".next/hookline-inputs.sha256";

/**
 * SHA-256 over the build inputs under `root`: every file's path, size and content, in a fixed
 * order (tests and what SKIP names left out). Content, not mtimes: `prisma generate` (run by
 * `npm test`'s typecheck) rewrites generated/ with the same bytes and must not look like a change.
 */
export function buildInputsFingerprint(root = ROOT, inputs: readonly string[] = BUILD_INPUTS) {
  const hash = createHash("sha256");
  const visit = (rel: string) => {
    const full = path.join(root, rel);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch {
      return; // an input that is not there (public/ is optional)
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) {
        if (SKIP.has(name) || name.endsWith(".test.ts")) continue;
        visit(path.join(rel, name));
      }
      return;
    }
    const content = fs.readFileSync(full);
    hash.update(`${rel}\0${content.length}\0`);
    hash.update(content);
  };
  for (const input of inputs) visit(input);
  return hash.digest("hex");
}

/** Whether Next's build under `root` is missing, or was made from other inputs than today's. */
export function webBuildIsStale(root = ROOT, inputs: readonly string[] = BUILD_INPUTS): boolean {
  if (mtime(path.join(root, ".next", "BUILD_ID")) === 0) return true;
  let recorded: string;
  try {
    recorded = fs.readFileSync(path.join(root, INPUTS_STAMP), "utf8").trim();
  } catch {
    return true; // built before the fingerprint was kept: once more
  }
  return recorded !== buildInputsFingerprint(root, inputs);
}

/** Records that the build under `root` was made from today's inputs. */
export function recordBuildInputs(root = ROOT, inputs: readonly string[] = BUILD_INPUTS) {
  fs.writeFileSync(path.join(root, INPUTS_STAMP), buildInputsFingerprint(root, inputs) + "\n");
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function run(label: string, args: string[]) {
  console.error(`[hookline] ${label}`);
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0)
    throw new Error(`${label} failed (exit ${result.status ?? result.signal})`);
}

export function generateClient() {
  run("generating the Prisma client", [require.resolve("prisma/build/index.js"), "generate"]);
}

export function buildNext() {
  run(
    "building the web app (next build): first start, or the code changed since the last build. This takes a few minutes on a small machine; later starts skip it",
    [require.resolve("next/dist/bin/next"), "build"],
  );
}

/**
 * What the compiled web server may contain of the project. The domain (app/, lib/, generated/)
 * is Next's: the server takes the trigger's handler from Next's compiled route module, so a
 * second copy of any of it here would be a second instance of its state.
 */
const SERVER_SOURCES = new Set(["scripts/next-server.ts", "lib/http/node-bridge.ts"]);

/**
 * Compiles scripts/next-server.ts into one file, with node_modules left to Node. Compiled ahead
 * rather than run through tsx: tsx's loader kept ~55 MB more heap in the server for as long as
 * it ran. Fails if the bundle pulled in project code beyond SERVER_SOURCES.
 */
export function buildServer() {
  console.error("[hookline] compiling the web server");
  const esbuild = require("esbuild") as typeof import("esbuild");
  const result = esbuild.buildSync({
    entryPoints: [path.join(ROOT, "scripts", "next-server.ts")],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    logLevel: "warning",
    metafile: true,
    absWorkingDir: ROOT,
  });
  const extra = serverBundleStrays(Object.keys(result.metafile.inputs));
  if (extra.length > 0) {
    fs.rmSync(SERVER_BUNDLE, { force: true });
    throw new Error(
      `the web server bundle must not contain a second copy of the domain (take it from Next's build instead): ${extra.join(", ")}`,
    );
  }
}

/** The bundle's inputs (paths relative to the project) that are project code outside SERVER_SOURCES. */
export function serverBundleStrays(inputs: readonly string[]): string[] {
  return inputs.filter(
    (input) =>
      !input.startsWith("node_modules/") &&
      !input.includes("/node_modules/") &&
      !SERVER_SOURCES.has(input),
  );
}

export function ensureBuilt({ force = false } = {}) {
  const schema = path.join(ROOT, "prisma", "schema.prisma");
  const client = path.join(ROOT, "generated", "prisma", "client.ts");
  if (force || mtime(client) < mtime(schema)) generateClient();
  if (force || webBuildIsStale()) {
    fs.rmSync(path.join(ROOT, INPUTS_STAMP), { force: true });
    buildNext();
    buildServer();
    // After the build: `next build` may itself touch an input (tsconfig.json).
    recordBuildInputs();
  } else if (mtime(SERVER_BUNDLE) < mtime(path.join(ROOT, ".next", "BUILD_ID"))) buildServer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureBuilt({ force: true });
  } catch (err) {
    console.error(`hookline: ${(err as Error).message}`);
    process.exit(1);
  }
}
