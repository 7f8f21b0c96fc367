/**
 * The embedded PostgreSQL answers over a Unix socket in its data directory (and still over TCP
 * 127.0.0.1), falls back to TCP when the socket path would be too long, and starts again over
 * the socket after a crash or with an orphan left running.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  isAlive,
  MAX_SOCKET_PATH_BYTES,
  SOCKET_DIR_NAME,
  startEmbeddedPostgres,
  type EmbeddedPostgres,
} from "@/lib/db/embedded-postgres";
import { poolConfigFromUrl } from "@/lib/db/url";

const dirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

function tempDir(label: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hookline-${label}-`));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string, port?: number): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, port, database: "hookline" });
  servers.push(server);
  return server;
}

/** The server's address as it sees this connection: null over a Unix socket. */
async function serverAddress(config: pg.ClientConfig): Promise<string | null> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    const { rows } = await client.query<{ addr: string | null; db: string }>(
      "SELECT host(inet_server_addr()) AS addr, current_database() AS db",
    );
    expect(rows[0]!.db).toBe("hookline");
    return rows[0]!.addr;
  } finally {
    await client.end();
  }
}

const overTcp = (server: EmbeddedPostgres): pg.ClientConfig => ({
  ...poolConfigFromUrl(server.url),
  host: "127.0.0.1",
  port: server.port,
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the embedded database over a Unix socket", () => {
  it("answers over the socket in <dataDir>/run, and over TCP 127.0.0.1 as well", async () => {
    const dataDir = tempDir("sock");
    const server = await start(dataDir);
    const socketDir = path.join(dataDir, SOCKET_DIR_NAME);

    expect(server.socketDir).toBe(socketDir);
    expect(server.url).toContain(
      `@localhost:${server.port}/hookline?host=${encodeURIComponent(socketDir)}`,
    );
    expect(fs.statSync(path.join(socketDir, `.s.PGSQL.${server.port}`)).isSocket()).toBe(true);
    if (process.getuid?.() === 0) {
      // PostgreSQL runs as `postgres`: it owns the folder; root passes through it to connect.
      const stat = fs.statSync(socketDir);
      expect(stat.uid).not.toBe(0);
      expect(stat.mode & 0o777).toBe(0o711);
    }

    expect(poolConfigFromUrl(server.url).host).toBe(socketDir);
    expect(await serverAddress(poolConfigFromUrl(server.url))).toBeNull();
    expect(await serverAddress({ connectionString: server.url })).toBeNull(); // pg's own URL parser agrees
    expect(await serverAddress(overTcp(server))).toBe("127.0.0.1");

    // After a crash (SIGKILL: the socket and its lock file stay behind), it starts again on
    // the same port over the socket: PostgreSQL replaces a lock file whose process is gone.
    process.kill(server.pid, "SIGKILL");
    await server.stop();
    expect(fs.existsSync(path.join(socketDir, `.s.PGSQL.${server.port}.lock`))).toBe(true);
    const restarted = await startWithRetry(dataDir, server.port);
    expect(restarted.url).toBe(server.url);
    expect(await serverAddress(poolConfigFromUrl(restarted.url))).toBeNull();

    // A postgres left running (its launcher was killed) is stopped first; the new one listens
    // on a new port, and the orphan's socket is gone with it.
    const next = await start(dataDir);
    expect(isAlive(restarted.pid)).toBe(false);
    expect(fs.existsSync(path.join(socketDir, `.s.PGSQL.${restarted.port}`))).toBe(false);
    expect(await serverAddress(poolConfigFromUrl(next.url))).toBeNull();
    await next.stop();
    expect(fs.readdirSync(socketDir)).toEqual([]); // a clean stop leaves nothing behind

    // A socket that cannot be bound (here a folder in its place; on some shared or network file
    // systems, any socket) makes PostgreSQL refuse to start: start again over TCP alone.
    fs.mkdirSync(path.join(socketDir, `.s.PGSQL.${next.port}`));
    const tcpOnly = await start(dataDir, next.port);
    expect(tcpOnly.socketDir).toBeUndefined();
    expect(tcpOnly.url).toMatch(new RegExp(`@127\\.0\\.0\\.1:${next.port}/hookline$`));
    expect(await serverAddress(poolConfigFromUrl(tcpOnly.url))).toBe("127.0.0.1");
  });

  it("falls back to TCP 127.0.0.1 when the socket path would be too long", async () => {
    const base = tempDir("long");
    const dataDir = path.join(base, "x".repeat(Math.max(1, MAX_SOCKET_PATH_BYTES - base.length)));
    const server = await start(dataDir);

    expect(server.socketDir).toBeUndefined();
    expect(server.url).toMatch(new RegExp(`@127\\.0\\.0\\.1:${server.port}/hookline$`));
    expect(fs.existsSync(path.join(dataDir, SOCKET_DIR_NAME))).toBe(false);
    expect(await serverAddress(poolConfigFromUrl(server.url))).toBe("127.0.0.1");
  });
});

/**
 * A SIGKILLed postmaster's children notice its death within moments; until they have, the new
 * one refuses the still-attached shared memory. Retry briefly rather than guess a sleep.
 */
async function startWithRetry(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(dataDir, port);
    } catch (err) {
      if (attempt >= 10 || !/shared memory block/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
