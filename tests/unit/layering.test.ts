/**
 * Domain code in lib/ never imports Next: the job drivers, the CLI, the benchmarks and the tests
 * call it directly, outside any Next request. What needs Next's request (cookies, headers) is
 * read in app/ and handed in.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const NEXT_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)["']next(?:\/[^"']*)?["']/;

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

describe("layering", () => {
  it("no module in lib/ imports next or next/*", () => {
    const files = sources("lib");
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((file) =>
      NEXT_IMPORT.test(fs.readFileSync(path.join(ROOT, file), "utf8")),
    );
    expect(offenders).toEqual([]);
  });

  it("the pattern catches each form of import", () => {
    for (const line of [
      'import { cookies } from "next/headers";',
      "import type { NextRequest } from 'next/server';",
      'const m = await import("next/navigation");',
      'require("next")',
    ])
      expect(NEXT_IMPORT.test(line), line).toBe(true);
    expect(NEXT_IMPORT.test('import { x } from "nextjs-like";')).toBe(false);
    expect(NEXT_IMPORT.test('import { x } from "@/lib/next-step";')).toBe(false);
  });
});
