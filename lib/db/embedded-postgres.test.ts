import path from "node:path";
import { parse as parseConnectionString } from "pg-connection-string";
import { describe, expect, it } from "vitest";
import {
  embeddedDatabaseUrl,
  MAX_SOCKET_PATH_BYTES,
  SOCKET_DIR_NAME,
  socketDirFor,
} from "@/lib/db/embedded-postgres";
import { isDatabaseUnavailable } from "@/lib/db/errors";
import { poolConfigFromUrl, redactUrl, withDatabase } from "@/lib/db/url";

/** A data directory whose socket path for `port` is exactly `bytes` long. */
function dataDirWithSocketPathOf(bytes: number, port: number): string {
  const fixed = `/${SOCKET_DIR_NAME}/.s.PGSQL.${port}`.length;
  return `/${"d".repeat(bytes - fixed - 1)}`;
}

describe.skipIf(process.platform === "win32")("socketDirFor: Unix socket or TCP fallback", () => {
  it("uses <dataDir>/run for an ordinary data directory", () => {
    expect(socketDirFor("/var/lib/hookline", 5432)).toBe(`/var/lib/hookline/${SOCKET_DIR_NAME}`);
    expect(socketDirFor(".hookline", 5432)).toBe(
      path.join(process.cwd(), ".hookline", SOCKET_DIR_NAME),
    );
  });

  it("takes a socket path of exactly the limit and falls back to TCP one byte beyond it", () => {
    const atLimit = dataDirWithSocketPathOf(MAX_SOCKET_PATH_BYTES, 54321);
    expect(Buffer.byteLength(path.join(atLimit, SOCKET_DIR_NAME, ".s.PGSQL.54321"))).toBe(
      MAX_SOCKET_PATH_BYTES,
    );
    expect(socketDirFor(atLimit, 54321)).toBe(path.join(atLimit, SOCKET_DIR_NAME));
    expect(
      socketDirFor(dataDirWithSocketPathOf(MAX_SOCKET_PATH_BYTES + 1, 54321), 54321),
    ).toBeUndefined();
  });

  it("counts the port's digits and bytes, not characters", () => {
    const dir = dataDirWithSocketPathOf(MAX_SOCKET_PATH_BYTES, 5432);
    expect(socketDirFor(dir, 5432)).toBeDefined();
    expect(socketDirFor(dir, 54321)).toBeUndefined(); // one digit more
    const accented = `${dir.slice(0, -1)}é`; // as many characters, one byte more
    expect(socketDirFor(accented, 5432)).toBeUndefined();
  });

  it("is 107 bytes on Linux (sun_path is 108 with its NUL)", () => {
    if (process.platform === "linux") expect(MAX_SOCKET_PATH_BYTES).toBe(107);
  });
});

describe("embeddedDatabaseUrl", () => {
  const password = "p@ss/w:rd+=";

  it("points at the socket folder with libpq's ?host= form, which pg and our parser read alike", () => {
    const socketDir = "/tmp/a dir,with+odd/run";
    const url = embeddedDatabaseUrl({ password, port: 40123, database: "hookline", socketDir });
    expect(url).toMatch(
      /^postgresql:\/\/postgres:[^@]+@localhost:40123\/hookline\?host=%2Ftmp%2Fa%20dir%2Cwith%2Bodd%2Frun$/,
    );

    const ours = poolConfigFromUrl(url);
    expect(ours).toMatchObject({
      host: socketDir,
      port: 40123,
      user: "postgres",
      password,
      database: "hookline",
    });
    const pgs = parseConnectionString(url);
    expect(pgs).toMatchObject({
      host: socketDir,
      port: "40123",
      user: "postgres",
      password,
      database: "hookline",
    });
  });

  it("keeps the socket when another database of the same server is chosen", () => {
    const url = embeddedDatabaseUrl({
      password,
      port: 40123,
      database: "postgres",
      socketDir: "/tmp/x/run",
    });
    const other = withDatabase(url, "t_abc");
    expect(poolConfigFromUrl(other)).toMatchObject({
      host: "/tmp/x/run",
      port: 40123,
      database: "t_abc",
      password,
    });
  });

  it("is TCP 127.0.0.1 without a socket folder", () => {
    const url = embeddedDatabaseUrl({ password, port: 40123, database: "hookline" });
    expect(url).not.toContain("?");
    expect(poolConfigFromUrl(url)).toMatchObject({
      host: "127.0.0.1",
      port: 40123,
      database: "hookline",
      password,
    });
  });

  it("prints without the password", () => {
    const url = embeddedDatabaseUrl({
      password,
      port: 40123,
      database: "hookline",
      socketDir: "/tmp/x/run",
    });
    expect(redactUrl(url)).not.toContain(encodeURIComponent(password));
    expect(redactUrl(url)).toContain("?host=%2Ftmp%2Fx%2Frun");
  });
});

describe("a stopped database behind a Unix socket", () => {
  it("counts as unavailable (its socket file is gone: ENOENT), from pg and from Prisma", () => {
    const fromPg = Object.assign(new Error("connect ENOENT /data/run/.s.PGSQL.5432"), {
      code: "ENOENT",
      syscall: "connect",
      errno: -2,
    });
    expect(isDatabaseUnavailable(fromPg)).toBe(true);
    const fromPrisma = Object.assign(
      new Error(
        "\nInvalid `prisma.app.findMany()` invocation:\n\n\nconnect ENOENT /data/run/.s.PGSQL.5432",
      ),
      { code: "ENOENT" },
    );
    expect(isDatabaseUnavailable(fromPrisma)).toBe(true);
    expect(
      isDatabaseUnavailable(
        Object.assign(new Error("ENOENT: no such file or directory, open '/x'"), {
          code: "ENOENT",
        }),
      ),
    ).toBe(false);
  });
});
