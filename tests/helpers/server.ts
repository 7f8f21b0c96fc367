/**
 * Runs the real server the way the README says (`npm start`) on a temp data directory and a
 * free port, for system tests. Everything started here is stopped by `stopAllServers()`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readLock } from "@/lib/db/data-dir";
import { findFreePort } from "@/lib/db/embedded-postgres";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  output(): string;
  /** SIGTERM and wait for a clean exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL the launcher only (its children are left behind, as after a crash), and wait for `npm start` to end. */
  kill9(): Promise<void>;
  /** SIGKILL the whole process group (launcher, web server, embedded database): a machine-level crash. Needs `detached`. */
  killGroup9(): Promise<void>;
  /** `npm run -s hookline -- keys create` against this server's data directory. */
  createApiKey(name?: string): Promise<string>;
  cli(args: string[]): Promise<CliResult>;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface StartOptions {
  dataDir?: string;
  env?: Record<string, string | undefined>;
  /** Wait for /api/health to answer 200 (default true). */
  waitForHealth?: boolean;
  timeoutMs?: number;
  /** Start in a process group of its own (for killGroup9). */
  detached?: boolean;
}

const running = new Set<RunningServer>();
const tempDirs = new Set<string>();

/**
 * A fresh `hookline-<label>-*` directory under the temp folder. It is removed when the test file
 * ends (tests/setup/temp-dirs.ts: after the file's own hooks and after every server is stopped),
 * whether its tests passed or not.
 */
export function tempDataDir(label = "data"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hookline-${label}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes every directory `tempDataDir` made. Stop what runs in them first (`stopAllServers`). */
export function removeTempDirs(): void {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HOOKLINE_LOG_LEVEL: "info",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  // The test runner's own variables must not leak into the server.
  delete env.DATABASE_URL;
  delete env.HOOKLINE_SECRET;
  delete env.NODE_ENV;
  delete env.VITEST;
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env as NodeJS.ProcessEnv;
}

export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
  /** Written to the CLI's stdin (then closed); without it stdin is not connected. */
  stdin?: string,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "-s", "hookline", "--", ...args], {
      cwd: ROOT,
      env: baseEnv(env),
      stdio: [stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.end(stdin);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`hookline ${args.join(" ")} timed out:\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, "") });
    });
  });
}

/** Runs `npm start` with the given env until it exits (for start-up failures). */
export function runStartToExit(
  env: Record<string, string | undefined>,
  timeoutMs = 60_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: baseEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`npm start did not exit within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr.replace(/^npm warn .*\n/gm, "") });
    });
  });
}

/** The running embedded postmaster's pid, from its pid file in a server's data directory. */
export function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (err) {
      // A failed expect() inside `fn` is the answer, not a reason to try again.
      if (err instanceof Error && err.name === "AssertionError") throw err;
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ""}`,
  );
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const port = await findFreePort();
  const env = {
    PORT: String(port),
    HOOKLINE_HOST: "127.0.0.1",
    HOOKLINE_DATA_DIR: dataDir,
    ...options.env,
  };
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    env: baseEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached === true,
  });
  let out = "";
  const append = (d: Buffer) => {
    out += d.toString();
    if (out.length > 1_000_000) out = out.slice(-500_000);
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = `http://127.0.0.1:${port}`;

  const server: RunningServer = {
    url,
    port,
    dataDir,
    child,
    output: () => out,
    async stop() {
      running.delete(server);
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill9() {
      running.delete(server);
      // `npm start` is npm's process; the launcher under it holds the data directory's lock.
      const launcher = readLock(dataDir)?.pid;
      if (!launcher) throw new Error(`no launcher holds ${dataDir}`);
      process.kill(launcher, "SIGKILL");
      await exited;
    },
    async killGroup9() {
      running.delete(server);
      if (!options.detached)
        throw new Error("killGroup9 needs a server started with detached: true");
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      await exited;
      // Every process of the group is gone (not only the launcher) before anyone restarts.
      await waitFor(
        "the process group to be gone",
        async () => {
          try {
            process.kill(-child.pid!, 0);
            return false;
          } catch {
            return true;
          }
        },
        15_000,
        50,
      );
    },
    cli: (args) => runCli(args, { HOOKLINE_DATA_DIR: dataDir, ...options.env }),
    async createApiKey(name = "system-test") {
      const result = await server.cli(["keys", "create", "--name", name]);
      if (result.code !== 0) throw new Error(`keys create failed: ${result.stderr}`);
      return result.stdout.trim();
    },
  };
  running.add(server);

  if (options.waitForHealth !== false) {
    const timeoutMs = options.timeoutMs ?? 120_000;
    await Promise.race([
      waitFor(
        "GET /api/health = 200",
        async () => (await fetch(`${url}/api/health`)).status === 200,
        timeoutMs,
        250,
      ),
      exited.then((code) => {
        throw new Error(`the server exited (code ${code}) before it was healthy:\n${out}`);
      }),
    ]).catch(async (err) => {
      await server.stop();
      throw err;
    });
  }
  return server;
}

export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
