/**
 * Hookline as a user runs it: `npm start` (the launcher, scripts/start.ts) in production mode on
 * a fresh data directory, with the embedded database and the embedded job driver. Also: an API
 * key through the CLI, a small API client, the database URL the launcher published (for
 * counting recorded outcomes), and the Next server's memory from /proc.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { findFreePort, isAlive } from "@/lib/db/embedded-postgres";
import { readLock } from "@/lib/db/data-dir";
import { onCleanup } from "./cleanup";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

export interface HooklineServer {
  url: string;
  dataDir: string;
  launcherPid: number;
  /** The `next start` process (where the delivery workers run). */
  serverPid: number;
  /** The embedded PostgreSQL's postmaster. */
  postgresPid: number | null;
  databaseUrl: string;
  apiKey: string;
  api<T = Record<string, unknown>>(
    method: string,
    pathname: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }>;
  /** Peak resident memory (VmHWM) of the Next server process so far, bytes. */
  peakRss(): number | null;
  rss(): number | null;
  logTail(): string;
  stop(): Promise<void>;
}

export interface StartHooklineOptions {
  dataDir: string;
  env?: Record<string, string>;
  log: (line: string) => void;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    "DATABASE_URL",
    "HOOKLINE_SECRET",
    "NODE_ENV",
    "VITEST",
    "PORT",
    "HOOKLINE_JOBS",
  ])
    delete env[name];
  return { ...env, NEXT_TELEMETRY_DISABLED: "1", ...extra };
}

function readStatusKb(pid: number, field: "VmHWM" | "VmRSS"): number | null {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(
      fs.readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

export function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method,
      headers:
        body === undefined
          ? headers
          : { ...headers, "content-length": String(Buffer.byteLength(body)) },
      agent,
    });
    req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", (err: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed while idle (a slow step in between, e.g. the CLI
      // on a busy machine): the request never reached it, so sending it again is safe.
      if (req.reusedSocket && err.code === "ECONNRESET")
        request(url, method, headers, body).then(resolve, reject);
      else reject(err);
    });
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.end(body);
  });
}

/** Stops a postgres left on this data directory (only if its command line names the folder). */
function stopOrphanPostgres(dataDir: string) {
  const pidFile = path.join(dataDir, "pg", "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (
    Number.isInteger(pid) &&
    pid > 0 &&
    isAlive(pid) &&
    cmdline(pid).includes(path.join(dataDir, "pg"))
  )
    process.kill(pid, "SIGKILL");
}

export async function startHookline(options: StartHooklineOptions): Promise<HooklineServer> {
  const { dataDir } = options;
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const env = cleanEnv({
    PORT: String(port),
    HOOKLINE_HOST: "127.0.0.1",
    HOOKLINE_DATA_DIR: dataDir,
    HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
    HOOKLINE_LOG_LEVEL: "warn",
    ...options.env,
  });
  const logFile = path.join(dataDir, "..", `${path.basename(dataDir)}.log`);
  const logStream = fs.createWriteStream(logFile);
  let tail = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const onOutput = (d: Buffer) => {
    logStream.write(d);
    tail = (tail + d.toString()).slice(-8_000);
  };
  child.stdout!.on("data", onOutput);
  child.stderr!.on("data", onOutput);
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );

  const stop = onCleanup(`the Hookline server (pid ${child.pid})`, async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    stopOrphanPostgres(dataDir);
    logStream.end();
  });

  try {
    const deadline = Date.now() + 180_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(`the server exited during start-up:\n${tail}`);
      if (Date.now() > deadline)
        throw new Error(`the server was not healthy within 180 s:\n${tail}`);
      const ok = await request(`${url}/api/health`, "GET", {}).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const serverPid = childrenOf(child.pid!).find((pid) => /next/.test(cmdline(pid)));
    const postgresPid =
      childrenOf(child.pid!).find((pid) => cmdline(pid).includes(path.join(dataDir, "pg"))) ?? null;
    if (!serverPid) throw new Error("could not find the Next server process under the launcher");
    const databaseUrl = readLock(dataDir)?.databaseUrl;
    if (!databaseUrl) throw new Error("the launcher did not publish its database URL");

    options.log("creating an API key with the CLI");
    const cli = spawnSync(
      process.execPath,
      ["--import", "tsx", "scripts/hookline.ts", "keys", "create", "--name", "bench"],
      {
        cwd: ROOT,
        env,
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    if (cli.status !== 0) throw new Error(`keys create failed: ${cli.stderr}`);
    const apiKey = cli.stdout.trim();
    const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };

    return {
      url,
      dataDir,
      launcherPid: child.pid!,
      serverPid,
      postgresPid,
      databaseUrl,
      apiKey,
      async api<T>(method: string, pathname: string, body?: unknown) {
        const res = await request(
          `${url}${pathname}`,
          method,
          headers,
          body === undefined ? undefined : JSON.stringify(body),
        );
        let json: unknown = null;
        try {
          json = JSON.parse(res.text);
        } catch {
          json = { raw: res.text };
        }
        return { status: res.status, json: json as T };
      },
      peakRss: () => readStatusKb(serverPid, "VmHWM"),
      rss: () => readStatusKb(serverPid, "VmRSS"),
      logTail: () => tail,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
