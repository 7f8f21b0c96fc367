/**
 * The data directory (`HOOKLINE_DATA_DIR`): the embedded cluster, a generated secret, and a lock
 * that keeps a second Hookline from starting on the same cluster.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { isAlive } from "@/lib/db/embedded-postgres";

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data directory ${dataDir} is in use by another Hookline (pid ${pid}); stop it first or set HOOKLINE_DATA_DIR to another folder`,
    );
    this.name = "DataDirInUseError";
  }
}

interface LockInfo {
  pid: number;
  startedAt: string;
  /** Set once the owner's database is up, so the CLI can reach it while the server runs. */
  databaseUrl?: string;
}

const lockPath = (dataDir: string) => path.join(dataDir, "hookline.lock");

export function readLock(dataDir: string): LockInfo | undefined {
  try {
    return JSON.parse(fs.readFileSync(lockPath(dataDir), "utf8")) as LockInfo;
  } catch {
    return undefined;
  }
}

/** The lock's owner if it is a live process, else undefined. */
export function liveLockOwner(dataDir: string): LockInfo | undefined {
  const info = readLock(dataDir);
  return info && info.pid !== process.pid && isAlive(info.pid) ? info : undefined;
}

export interface DataDirLock {
  /** Records the database URL for other processes (the CLI) while this one runs. */
  publishDatabaseUrl(url: string): void;
  release(): void;
}

/**
 * Takes the data directory for this process. Atomic: the lock file is written aside and
 * hard-linked into place, which fails if another process got there first. A lock left by a dead
 * process is taken over.
 */
export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const target = lockPath(dataDir);
  const write = (info: LockInfo) => {
    const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}`;
    fs.writeFileSync(tmp, JSON.stringify(info), { mode: 0o600 });
    return tmp;
  };
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = write(info);
    try {
      fs.linkSync(tmp, target);
      fs.rmSync(tmp, { force: true });
      let released = false;
      return {
        publishDatabaseUrl(url) {
          const next = write({ ...info, databaseUrl: url });
          fs.renameSync(next, target);
        },
        release() {
          if (released) return;
          released = true;
          if (readLock(dataDir)?.pid === process.pid) fs.rmSync(target, { force: true });
        },
      };
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const owner = readLock(dataDir);
      if (owner && owner.pid !== process.pid && isAlive(owner.pid))
        throw new DataDirInUseError(dataDir, owner.pid);
      fs.rmSync(target, { force: true }); // stale: its owner is gone
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}

/** The secret kept in the data directory, generated (64 chars) on first use. */
export function readOrCreateSecret(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, "secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  const secret = randomBytes(48).toString("base64url");
  fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

/**
 * Running servers announce themselves (pid, data directory, URL) in a per-user folder under the
 * temp directory, so the CLI can tell when it is about to work on another data directory than
 * the server the user means. Entries of dead processes are ignored and removed.
 */
interface ServerEntry {
  pid: number;
  dataDir: string;
  url: string;
}

const registryDir = () =>
  path.join(os.tmpdir(), `hookline-servers-${process.getuid?.() ?? "user"}`);

export function announceRunningServer(entry: Omit<ServerEntry, "pid">): () => void {
  const dir = registryDir();
  const file = path.join(dir, `${process.pid}.json`);
  const write = () => {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, ...entry }), { mode: 0o600 });
  };
  try {
    try {
      write();
    } catch {
      write(); // another server leaving removed the empty folder between our mkdir and write
    }
  } catch {
    return () => {}; // only a convenience for the CLI's warning
  }
  return () => {
    fs.rmSync(file, { force: true });
    removeRegistryIfEmpty();
  };
}

/** The last server out takes the folder along (rmdir refuses while another entry is there). */
function removeRegistryIfEmpty() {
  try {
    fs.rmdirSync(registryDir());
  } catch {
    // another server's entry, or already gone
  }
}

export function runningServers(): ServerEntry[] {
  let names: string[];
  try {
    names = fs
      .readdirSync(registryDir())
      .filter((n) => /^\d+\.json$/.test(n))
      .slice(0, 100);
  } catch {
    return [];
  }
  const out: ServerEntry[] = [];
  for (const name of names) {
    const file = path.join(registryDir(), name);
    try {
      const entry = JSON.parse(fs.readFileSync(file, "utf8")) as ServerEntry;
      if (isAlive(entry.pid)) out.push(entry);
      else fs.rmSync(file, { force: true });
    } catch {
      // half-written or unreadable: skip
    }
  }
  if (out.length === 0) removeRegistryIfEmpty(); // only entries of crashed servers were left
  return out;
}

/** Whether the data directory already holds an embedded cluster. */
export function hasEmbeddedCluster(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, "pg", "PG_VERSION"));
}
