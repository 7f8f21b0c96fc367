import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { liveLockOwner } from "../../lib/db/data-dir";
import { poolConfigFromUrl } from "../../lib/db/url";

/** The server Playwright started (playwright.config.ts): its data directory and URL. */
export const E2E_DATA_DIR = process.env.E2E_DATA_DIR!;
export const E2E_BASE_URL = process.env.E2E_BASE_URL!;

/** A backend API key for the running e2e server, made with the operator CLI. */
export function createApiKey(name = "e2e"): string {
  const out = execFileSync(
    "npm",
    ["run", "-s", "hookline", "--", "keys", "create", "--name", name],
    {
      cwd: path.resolve(import.meta.dirname, "..", ".."),
      env: { ...process.env, HOOKLINE_DATA_DIR: E2E_DATA_DIR },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  return out.toString().trim();
}

/**
 * A connection to the e2e server's embedded database, for a test that must hold rows the server
 * is about to work on (to make an interleaving certain instead of racing it). Close it with `end()`.
 */
export async function connectE2eDatabase(): Promise<pg.Client> {
  const url = liveLockOwner(E2E_DATA_DIR)?.databaseUrl;
  if (!url) throw new Error(`no running server publishes a database in ${E2E_DATA_DIR}`);
  const client = new pg.Client(poolConfigFromUrl(url));
  await client.connect();
  return client;
}
