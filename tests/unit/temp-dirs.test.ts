/**
 * `npm test` leaves nothing in the temp folder: Vitest runs with a TMPDIR of its own
 * (tests/setup/global-tmp.ts) that must hold no `hookline-*` entry at the end, and data
 * directories made with `tempDataDir` are removed when their file ends, failed or not
 * (tests/setup/temp-dirs.ts). Both checked here on a real child `vitest run`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** `vitest run` of one fixture file with TMPDIR at a fresh folder; what it left in that folder. */
function runFixture(file: string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "temp-check-"));
  dirs.push(tmp);
  // The child is a run of its own, not a worker of this one.
  const env: Record<string, string | undefined> = { ...process.env, TMPDIR: tmp };
  for (const name of Object.keys(env))
    if (name.startsWith("VITEST") || name === "NODE_ENV") delete env[name];
  const result = spawnSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules/vitest/vitest.mjs"),
      "run",
      "--config",
      "tests/fixtures/temp-check/vitest.config.ts",
      file,
    ],
    { cwd: ROOT, env: env as NodeJS.ProcessEnv, encoding: "utf8", timeout: 90_000 },
  );
  return {
    status: result.status,
    output: `${result.stdout}\n${result.stderr}`,
    left: fs.readdirSync(tmp),
  };
}

describe("the temp folder after a test run", () => {
  it("fails the run and names a hookline-* directory a test left behind", () => {
    const run = runFixture("leaves-dir.fixture.ts");
    expect(run.output).toMatch(/1 passed/);
    expect(run.output).toMatch(/tests left 1 temp entry behind: hookline-fixture-left-/);
    expect(run.status).toBe(1);
    expect(run.left).toEqual([]); // the run's folder is removed all the same
  }, 120_000);

  it("removes a failed test's data directory, and the run's folder", () => {
    const run = runFixture("fails-with-data-dir.fixture.ts");
    expect(run.output).toMatch(/1 failed/);
    expect(run.output).not.toMatch(/left .* behind/);
    expect(run.left).toEqual([]);
  }, 120_000);
});
