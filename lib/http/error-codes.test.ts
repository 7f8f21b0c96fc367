import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ApiError, apiErrors } from "@/lib/http/errors";
import { ERROR_CODES, isErrorCode } from "@/lib/http/error-codes";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : sources(full);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".test.ts") ? [full] : [];
  });
}

describe("the closed error-code table", () => {
  it("gives every prepared error the status the table has for its code", () => {
    const built: ApiError[] = [
      apiErrors.invalidJson("x"),
      apiErrors.invalidParameter([]),
      apiErrors.validation([]),
      apiErrors.unauthorized(),
      apiErrors.forbidden("x"),
      apiErrors.notFound("x"),
      apiErrors.routeNotFound("GET", "/"),
      apiErrors.methodNotAllowed("PUT", "GET"),
      apiErrors.conflict("x"),
      apiErrors.payloadTooLarge(1),
      apiErrors.rateLimited("x"),
      apiErrors.databaseUnavailable(),
      apiErrors.internal(),
    ];
    for (const err of built) expect(err.status, err.code).toBe(ERROR_CODES[err.code].status);
  });

  it("is the only source of codes: every hand-built ApiError in lib/ and app/ uses a code of the table with its status", () => {
    const found: string[] = [];
    for (const file of [...sources(path.join(ROOT, "lib")), ...sources(path.join(ROOT, "app"))]) {
      const text = fs.readFileSync(file, "utf8");
      for (const m of text.matchAll(/new ApiError\(\s*(\d+),\s*"([a-z_]+)"/g)) {
        found.push(m[2]!);
        expect(isErrorCode(m[2]!), `${file}: ${m[2]}`).toBe(true);
        expect(Number(m[1]), `${file}: ${m[2]}`).toBe(
          ERROR_CODES[m[2] as keyof typeof ERROR_CODES].status,
        );
      }
    }
    expect(found.length).toBeGreaterThan(0);
  });
});
