/**
 * Gets the process a database URL: the external one from `DATABASE_URL` (waited for while it is
 * down), or the embedded cluster in the data directory (started here, or, for the CLI, shared
 * with a server already running on it).
 */
import pg from "pg";
import type { Config } from "@/lib/config";
import { acquireDataDirLock, DataDirInUseError, liveLockOwner } from "@/lib/db/data-dir";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { poolConfigFromUrl, redactUrl } from "@/lib/db/url";
import type { Logger } from "@/lib/log";

export interface OpenedDatabase {
  url: string;
  embedded: boolean;
  /** Stops what this call started (the embedded server) and releases the data directory. */
  close(): Promise<void>;
}

export interface OpenOptions {
  log: Logger;
  /** CLI: use the database of a server already running on this data directory. */
  shareRunning?: boolean;
  /** Give up waiting for an external database after this long (default: never). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  /**
   * The server: restart the embedded PostgreSQL when it dies; called when it could not be
   * restarted within 30 s (the caller exits non-zero). Unset: not supervised (CLI, tools).
   */
  onEmbeddedDatabaseLost?: (err: Error) => void;
}

export async function openDatabase(config: Config, options: OpenOptions): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    await waitForDatabase(config.databaseUrl, options);
    return { url: config.databaseUrl, embedded: false, close: async () => {} };
  }
  if (options.shareRunning) {
    const owner = liveLockOwner(config.dataDir);
    if (owner?.databaseUrl) {
      await waitForDatabase(owner.databaseUrl, {
        ...options,
        maxWaitMs: options.maxWaitMs ?? 10_000,
      });
      return { url: owner.databaseUrl, embedded: true, close: async () => {} };
    }
    if (owner) throw new DataDirInUseError(config.dataDir, owner.pid); // still starting up
  }
  const lock = acquireDataDirLock(config.dataDir);
  try {
    const lost = options.onEmbeddedDatabaseLost;
    const server = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      onLog: (line) => options.log.debug("postgres", { line: line.trim() }),
      supervise: lost && {
        onDown: (code, signal) =>
          options.log.error("the embedded database exited unexpectedly; restarting it", {
            code,
            signal,
          }),
        onRestarted: (attempts, downForMs) =>
          options.log.info("the embedded database is back", { attempts, down_for_ms: downForMs }),
        onGiveUp: (err) => {
          options.log.error("the embedded database could not be restarted", { error: err.message });
          lost(err);
        },
      },
    });
    lock.publishDatabaseUrl(server.url);
    options.log.info("embedded database started", {
      data_dir: config.dataDir,
      port: server.port,
      // TCP on 127.0.0.1:<port> listens either way; clients use the socket when there is one.
      transport: server.socketDir ? "unix socket" : "tcp (no usable socket path; see debug log)",
      socket_dir: server.socketDir,
    });
    return {
      url: server.url,
      embedded: true,
      async close() {
        try {
          await server.stop();
        } finally {
          lock.release();
        }
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** Retries until the database answers, logging each failure once per attempt. */
export async function waitForDatabase(url: string, options: OpenOptions): Promise<void> {
  const started = Date.now();
  let delay = 500;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new Error("aborted while waiting for the database");
    const client = new pg.Client({ ...poolConfigFromUrl(url), connectionTimeoutMillis: 3_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      if (attempt > 1)
        options.log.info("database is reachable", { url: redactUrl(url), attempts: attempt });
      return;
    } catch (err) {
      const waited = Date.now() - started;
      if (options.maxWaitMs !== undefined && waited >= options.maxWaitMs) {
        throw new Error(
          `the database at ${redactUrl(url)} is unavailable: ${(err as Error).message}`,
          { cause: err },
        );
      }
      options.log.warn("database unavailable, retrying", {
        url: redactUrl(url),
        error: (err as Error).message,
        attempt,
        retry_in_ms: delay,
      });
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 5_000);
  }
}
