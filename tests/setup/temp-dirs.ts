/**
 * Setup file of the integration and system projects: when a test file ends, whatever it left
 * running is stopped and then the directories it made with `tempDataDir` are removed. Registered
 * before the file's own hooks, this `afterAll` runs after them (Vitest runs after-hooks in
 * reverse order), so a file's own clean-up (an external database it stops) comes first.
 */
import { afterAll } from "vitest";
import { runningServers } from "@/lib/db/data-dir";
import { removeTempDirs, stopAllServers } from "../helpers/server";

afterAll(async () => {
  // The embedded PostgreSQL in a data directory must be gone before the directory is.
  await stopAllServers();
  removeTempDirs();
  // A launcher a test killed (as in a crash) leaves its entry in the running-servers folder;
  // reading the folder prunes entries of dead processes, and the folder once it is empty.
  runningServers();
});
