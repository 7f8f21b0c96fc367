import type { PoolConfig } from "pg";

/**
 * A pg PoolConfig from a postgresql:// URL. Kept as separate fields (never `connectionString`)
 * because pg lets `connectionString` override `database`, which would make a "shadow" or
 * per-test database silently point at the real one.
 *
 * `?host=/some/dir` (libpq's form, which the embedded database uses) wins over the URL's host:
 * pg connects to the Unix socket `<dir>/.s.PGSQL.<port>` when host is an absolute path.
 */
export function poolConfigFromUrl(url: string): PoolConfig {
  const u = new URL(url);
  const sslmode = u.searchParams.get("sslmode");
  return {
    host: u.searchParams.get("host") || decodeURIComponent(u.hostname.replace(/^\[|\]$/g, "")),
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || undefined,
    password: decodeURIComponent(u.password) || undefined,
    database: decodeURIComponent(u.pathname.replace(/^\//, "")) || undefined,
    ssl:
      sslmode && sslmode !== "disable"
        ? { rejectUnauthorized: sslmode === "verify-full" }
        : undefined,
  };
}

/** The same server (query string included, e.g. `?host=`), another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** A URL safe to print: the password is masked. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(invalid url)";
  }
}
