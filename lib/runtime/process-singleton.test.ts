import fs from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { processSingleton, processSingletonKeys } from "@/lib/runtime/process-singleton";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
/** Server code Next (or our own server) loads: everything that could keep process state. */
const SCANNED = [
  "lib",
  "app",
  "inngest",
  "components",
  "instrumentation.ts",
  "proxy.ts",
  "scripts/next-server.ts",
];
const THE_MECHANISM = "lib/runtime/process-singleton.ts";
/**
 * Uses of the global object that hold no state of ours, each with why. Matched by file and the
 * exact line, so a holder added next to one is still caught.
 */
const NOT_HOLDERS: Record<string, RegExp[]> = {
  // The schema engine's wasm reports Rust panics through a global it looks up by this name.
  "lib/db/migrate.ts": [
    /^\s*const g = globalThis as \{ PRISMA_WASM_PANIC_REGISTRY\?: unknown \};$/,
  ],
  // The published SDK runs in browsers too: it reads the environment and the global fetch.
  "lib/sdk/client.ts": [
    /^\s*const proc = \(globalThis as \{ process\?: \{ env\?: Record<string, string \| undefined> \} \}\)\.process;$/,
    /^\s*this\.#fetch = options\.fetch \?\? globalThis\.fetch\.bind\(globalThis\);$/,
  ],
};
const GLOBAL_OBJECT = /\bglobalThis\b|\bglobal\s*(\.|\[|\bas\b)|\bwindow\s*as\s+unknown/;

function sourceFiles(target: string): string[] {
  const full = path.join(ROOT, target);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [target];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(target, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(rel);
    return /\.(ts|tsx|mts|js|mjs)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [rel]
      : [];
  });
}

/** Every line that touches the global object outside the one mechanism and the listed exceptions. */
function globalHolders(
  files: readonly string[],
  read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8"),
): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (file === THE_MECHANISM) continue;
    read(file)
      .split("\n")
      .forEach((line, i) => {
        if (
          GLOBAL_OBJECT.test(line) &&
          !(NOT_HOLDERS[file] ?? []).some((allowed) => allowed.test(line))
        )
          found.push(`${file}:${i + 1}: ${line.trim()}`);
      });
  }
  return found;
}

describe("process state", () => {
  it("is kept on the global object only through processSingleton", () => {
    const files = SCANNED.flatMap(sourceFiles);
    expect(files).toContain("lib/db/client.ts");
    expect(
      globalHolders(files),
      "keep per-process state with processSingleton (lib/runtime/process-singleton.ts)",
    ).toEqual([]);
  });

  it("the scan catches a holder, also next to an allowed use and in a comment", () => {
    const sources: Record<string, string> = {
      "lib/some/new-module.ts": "const holder = globalThis as unknown as { __x?: number };",
      "lib/other.ts": "(global as any).__y = 1;\n// kept on globalThis",
      "lib/db/migrate.ts":
        "  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };\n  const h = globalThis as { __mine?: 1 };",
      [THE_MECHANISM]: "const g = globalThis;",
    };
    expect(globalHolders(Object.keys(sources), (f) => sources[f]!)).toEqual([
      "lib/some/new-module.ts:1: const holder = globalThis as unknown as { __x?: number };",
      "lib/other.ts:1: (global as any).__y = 1;",
      "lib/other.ts:2: // kept on globalThis",
      "lib/db/migrate.ts:2: const h = globalThis as { __mine?: 1 };",
    ]);
  });

  it("gives every copy of a module the same value, made once", async () => {
    let made = 0;
    const a = processSingleton("test/one", () => ({ n: ++made }));
    // A second copy of this module (as a separately bundled entry would have) finds the same value.
    vi.resetModules();
    const copy = await import("@/lib/runtime/process-singleton");
    expect(copy.processSingleton).not.toBe(processSingleton);
    const b = copy.processSingleton("test/one", () => ({ n: ++made }));
    expect(b).toBe(a);
    expect(made).toBe(1);
    expect(processSingletonKeys()).toContain("test/one");
  });
});
