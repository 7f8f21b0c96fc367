/**
 * A delivery worker process for crash and multi-process tests:
 *   node --import tsx tests/helpers/worker-process.ts
 * with DATABASE_URL, HOOKLINE_SECRET and any HOOKLINE_* settings in the environment. Prints one
 * JSON line `{"ready":true,...}` once started and `{"stopped":true,...}` after a SIGTERM.
 */
import { startEmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { getDb } from "@/lib/db/client";

const driver = startEmbeddedDriver({ workerId: process.env.WORKER_ID, replays: false });
process.stdout.write(
  JSON.stringify({ ready: true, worker_id: driver.workerId, pid: process.pid }) + "\n",
);

process.once("SIGTERM", () => {
  void driver.stop().then(async () => {
    const details = driver.status().details ?? {};
    process.stdout.write(JSON.stringify({ stopped: true, ...details }) + "\n");
    await getDb().close();
    process.exit(0);
  });
});
