import { execFileSync } from "node:child_process";
import path from "node:path";

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
