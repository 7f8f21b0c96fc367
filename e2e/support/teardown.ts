import fs from "node:fs";

/** Runs after the web server has stopped: remove the e2e data directory. */
export default function teardown() {
  const dir = process.env.E2E_DATA_DIR;
  if (dir && dir.includes("hookline-e2e-")) fs.rmSync(dir, { recursive: true, force: true });
}
