import fs from "node:fs";
import { chromium } from "@playwright/test";

/**
 * The Chromium Playwright drives: `PLAYWRIGHT_CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`,
 * else a browser installed by `npx playwright install chromium`. Undefined means "Playwright's
 * own"; none at all is an error that names both ways to install one.
 */
export function resolveChromium(): string | undefined {
  const fromEnv = process.env.PLAYWRIGHT_CHROMIUM_PATH;
  if (fromEnv) {
    if (!fs.existsSync(fromEnv))
      throw new Error(`PLAYWRIGHT_CHROMIUM_PATH is set to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  for (const candidate of ["/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && fs.existsSync(bundled)) return undefined;
  throw new Error(
    "No Chromium for the browser tests. Install one of:\n" +
      "  - Debian/Ubuntu: apt-get install -y chromium   (used from /usr/bin/chromium)\n" +
      "  - Playwright's build: npx playwright install chromium\n" +
      "or point PLAYWRIGHT_CHROMIUM_PATH at a Chromium binary.",
  );
}

/** Flags for running as root in a container with no network but the loopback. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
