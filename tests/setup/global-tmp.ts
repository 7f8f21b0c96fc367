/**
 * Root global setup (runs once for every `vitest run`, whichever projects it covers): the run
 * gets a temp folder of its own. TMPDIR points at a fresh directory, which the test workers and
 * the servers and CLIs they spawn inherit (`os.tmpdir()` reads it), and when the run ends any
 * `hookline-*` entry still in it — a data directory a test did not remove — fails the run. The
 * folder itself is removed either way, so nothing is left behind in the system temp folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The `hookline-*` entries in `dir`: what a test made and did not remove. */
export function leftovers(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.startsWith("hookline-"))
    .sort();
}

let runDir: string | undefined;
let previous: string | undefined;

export function setup() {
  previous = process.env.TMPDIR;
  runDir = fs.mkdtempSync(path.join(os.tmpdir(), "vitest-run-"));
  process.env.TMPDIR = runDir;
}

export function teardown() {
  if (!runDir) return;
  const dir = runDir;
  runDir = undefined;
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  const left = leftovers(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    // An error in a global teardown is only logged by Vitest: the exit code says it too.
    process.exitCode = 1;
    throw new Error(
      `tests left ${left.length} temp entr${left.length === 1 ? "y" : "ies"} behind: ${left.join(", ")}`,
    );
  }
}
