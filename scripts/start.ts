/**
 * `npm start`: the whole server on a bare machine. Validates the configuration, opens the
 * database (embedded unless DATABASE_URL is set), applies migrations, builds what is missing,
 * then runs Next.js as a child. SIGINT/SIGTERM stop Next first (in-flight work finishes or is
 * released), then the embedded database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { loadConfigOrExit } from "./lib/load-config";
import { ensureBuilt, SERVER_BUNDLE } from "./build";
import { openDatabase, type OpenedDatabase } from "@/lib/db/open-database";
import { announceRunningServer, readOrCreateSecret, DataDirInUseError } from "@/lib/db/data-dir";
import { applyMigrations } from "@/lib/db/migrate";
import { consoleBanner } from "@/lib/console/first-run";
import { createLogger } from "@/lib/log";

const dev = process.argv.includes("--dev");
const config = loadConfigOrExit();
const log = createLogger({ component: "launcher" });
const abort = new AbortController();
let db: OpenedDatabase | undefined;
let next: ChildProcess | undefined;
let stopping = false;
let forgetServer: (() => void) | undefined;

async function shutdown(reason: string, code: number) {
  if (stopping) return;
  stopping = true;
  abort.abort();
  log.info("stopping", { reason });
  if (next && next.exitCode === null && next.signalCode === null) {
    const exited = new Promise((resolve) => next!.once("exit", resolve));
    next.kill("SIGTERM");
    const timer = setTimeout(() => next?.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(timer);
  }
  try {
    await db?.close();
  } catch (err) {
    log.error("could not stop the embedded database cleanly", { error: (err as Error).message });
  }
  forgetServer?.();
  log.info("stopped");
  process.exit(code);
}

process.on("SIGINT", () => void shutdown("SIGINT", 0));
process.on("SIGTERM", () => void shutdown("SIGTERM", 0));

try {
  if (!dev) ensureBuilt();
  db = await openDatabase(config, {
    log,
    signal: abort.signal,
    // Restarted when it dies; if it cannot be, exit non-zero so a process supervisor can act.
    onEmbeddedDatabaseLost: () => void shutdown("embedded database lost", 1),
  });
  const applied = await applyMigrations(db.url);
  if (applied.length) log.info("migrations applied", { applied });
  const secret = config.secret ?? readOrCreateSecret(config.dataDir);
  if (stopping) process.exit(0);

  const nextBin = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const portArgs = ["--port", String(config.port), "--hostname", config.host];
  // Production: Next behind our own node:http server (scripts/next-server.ts, compiled by the
  // build), which answers the trigger route without the framework's routing. Development: `next dev`.
  const args = dev
    ? [nextBin, "dev", ...portArgs]
    : [
        `--max-old-space-size=${config.maxHeapMb}`,
        SERVER_BUNDLE,
        ...portArgs,
        ...(config.trustProxy ? ["--trust-proxy"] : []),
      ];
  next = spawn(process.execPath, args, {
    stdio: "inherit",
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      HOOKLINE_SECRET: secret,
      HOOKLINE_EMBEDDED_DB: db.embedded ? "1" : "0",
      HOOKLINE_LAUNCHER_PID: String(process.pid),
      NEXT_TELEMETRY_DISABLED: "1",
      ...(dev ? {} : { NODE_ENV: "production" }),
    },
  });
  next.on("exit", (code, signal) => {
    if (!stopping) {
      log.error("the web server exited unexpectedly", { code, signal });
      void shutdown("web server exited", code || 1);
    }
  });
  const url = `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`;
  if (db.embedded) forgetServer = announceRunningServer({ dataDir: config.dataDir, url });
  log.info("hookline starting", {
    url: `http://${config.host === "0.0.0.0" ? "localhost" : config.host}:${config.port}`,
    database: db.embedded ? "embedded" : "external",
    jobs: config.jobs,
  });
  for (const line of await consoleBanner(db.url, url)) console.log(line);
} catch (err) {
  if (!stopping) {
    const message =
      err instanceof DataDirInUseError ? err.message : `could not start: ${(err as Error).message}`;
    console.error(`hookline: ${message}`);
    await db?.close().catch(() => {});
    process.exit(1);
  }
}
