/**
 * Issue 13: the CLI run outside the server's data directory must not silently create a second
 * database (whose keys the server would refuse): it names the folder it uses, warns about
 * servers running on other folders, and refuses to create one without --init.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDataDir } from "../helpers/server";
import { announceRunningServer } from "@/lib/db/data-dir";

const empty = tempDataDir("cli-empty");
const serverDir = tempDataDir("cli-server");
// This test process plays a server running on another data directory.
const forget = announceRunningServer({ dataDir: serverDir, url: "http://localhost:39999" });
afterAll(() => {
  forget();
  for (const dir of [empty, serverDir]) fs.rmSync(dir, { recursive: true, force: true });
});

describe("CLI data directory", () => {
  it("names its data directory, points at the running server's, and creates nothing without --init", async () => {
    const result = await runCli(["keys", "create", "--name", "stray"], {
      HOOKLINE_DATA_DIR: empty,
      DATABASE_URL: undefined,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`data directory ${empty} (no server running on it)`);
    expect(result.stderr).toContain(`uses another data directory: ${serverDir}`);
    expect(result.stderr).toMatch(/no Hookline database in .*--init/s);
    expect(fs.existsSync(path.join(empty, "pg"))).toBe(false);
  }, 60_000);
});
