/**
 * `npm run build`: generate the Prisma client, build Next.js and compile the web server. `ensureBuilt()` does only what
 * is missing or stale (sources newer than the last build), so `npm start` on a fresh clone
 * builds and a restart does not.
 */
import { spawnSync } from "node:child_process";
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

function newestMtime(target: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry.name)));
  }
  return newest;
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
  const buildId = path.join(ROOT, ".next", "BUILD_ID");
  const built = mtime(buildId);
  if (force || built === 0 || BUILD_INPUTS.some((p) => newestMtime(path.join(ROOT, p)) > built)) {
    buildNext();
    buildServer();
  } else if (mtime(SERVER_BUNDLE) < built) buildServer();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    ensureBuilt({ force: true });
  } catch (err) {
    console.error(`hookline: ${(err as Error).message}`);
    process.exit(1);
  }
}
