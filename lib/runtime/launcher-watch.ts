/**
 * Next.js runs as a child of the launcher (scripts/start.ts). If the launcher is killed outright
 * (kill -9, OOM), nothing would stop the child: it would go on serving, unsupervised, next to a
 * database that the next `npm start` reclaims. Watch the launcher and shut down when it is gone.
 */
import { isAlive } from "@/lib/db/embedded-postgres";

export function watchLauncher(onGone: () => void, everyMs = 1_000): () => void {
  const pid = Number(process.env.HOOKLINE_LAUNCHER_PID);
  if (!Number.isInteger(pid) || pid <= 0) return () => {};
  const timer = setInterval(() => {
    if (!isAlive(pid)) {
      clearInterval(timer);
      onGone();
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
