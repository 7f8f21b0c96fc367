import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, resolveChromium } from "./e2e/support/chromium";

/** A port free right now: the OS picks it (port 0) for a throwaway listener. Synchronous, as the config is. */
function freePort(): string {
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });",
    ],
    { encoding: "utf8" },
  );
  if (probe.status !== 0 || !/^\d+$/.test(probe.stdout))
    throw new Error(`no free port: ${probe.stderr}`);
  return probe.stdout;
}

// Set once in the main process; workers re-read this file and inherit the same values.
process.env.E2E_PORT ??= freePort();
// Named here, made by `npm start` (it creates its data directory), removed by the global teardown.
// Not created here: the config is loaded by processes that never run the teardown (a listing, a
// run that fails to start), and each would leave an empty folder behind.
process.env.E2E_DATA_DIR ??= path.join(
  os.tmpdir(),
  `hookline-e2e-${randomBytes(8).toString("hex")}`,
);
process.env.E2E_BASE_URL ??= `http://127.0.0.1:${process.env.E2E_PORT}`;
const baseURL = process.env.E2E_BASE_URL;

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  timeout: 60_000,
  // An expectation waits for its condition this long at most (Playwright's 5 s default was
  // missed by a page that settled a moment later on a loaded machine): it still fails if the
  // condition never comes, only later.
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "test-results",
  globalTeardown: "./e2e/support/teardown.ts",
  use: {
    baseURL,
    browserName: "chromium",
    launchOptions: { executablePath: resolveChromium(), args: CHROMIUM_ARGS },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  webServer: {
    // The README's start command, on a fresh data directory: builds what is missing.
    command: "npm start",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    env: {
      PORT: process.env.E2E_PORT!,
      HOOKLINE_HOST: "127.0.0.1",
      HOOKLINE_DATA_DIR: process.env.E2E_DATA_DIR,
      HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
      HOOKLINE_LOG_LEVEL: "warn",
      // Links handed out by Svix's appPortalAccess.
      HOOKLINE_PUBLIC_URL: baseURL,
      // Replays in small, spaced batches so the portal's cancel lands while a task runs.
      HOOKLINE_REPLAY_BATCH_SIZE: "1",
      HOOKLINE_REPLAY_BATCH_PAUSE_MS: "400",
    },
  },
});
