/**
 * Runs a benchmark script as `npm run bench*` does, for the smoke tests: fails when it prints
 * nothing for `stallMs` (stuck) or runs past `limitMs`. Bounded by progress rather than by a
 * total time: on a busy machine every phase is slower.
 */
import { spawn } from "node:child_process";
import { ROOT } from "./server";

export function runBenchScript(
  script: string,
  args: string[],
  { stallMs, limitMs }: { stallMs: number; limitMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    for (const name of ["DATABASE_URL", "HOOKLINE_SECRET", "NODE_ENV", "VITEST"]) delete env[name];
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const stop = (why: string) => {
      child.kill("SIGTERM"); // the benchmarks stop what they started on SIGTERM
      reject(new Error(`${script} ${why}:\n${output}`));
    };
    let stalled = setTimeout(() => stop(`printed nothing for ${stallMs} ms`), stallMs);
    const limit = setTimeout(() => stop(`did not finish within ${limitMs} ms`), limitMs);
    const heard = (d: Buffer) => {
      output += d;
      clearTimeout(stalled);
      stalled = setTimeout(() => stop(`printed nothing for ${stallMs} ms`), stallMs);
    };
    child.stdout.on("data", heard);
    child.stderr.on("data", heard);
    child.on("close", (code) => {
      clearTimeout(stalled);
      clearTimeout(limit);
      resolve({ code, output });
    });
  });
}
