import { sqlState } from "@/lib/db/errors";
import { apiErrors } from "@/lib/http/errors";

/**
 * Write conflicts PostgreSQL resolves by aborting one transaction: serialization failures and
 * deadlocks (Prisma reports either as P2034). The aborted work changed nothing, so it can run
 * again.
 */
export function isWriteConflict(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const state = sqlState(err);
  if (state === "40001" || state === "40P01" || state === "P2034") return true;
  return isWriteConflict((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * Runs `work` (one whole transaction) again after a write conflict, up to `attempts` times with
 * a short random pause; if it still conflicts, a 409 that says to retry (nothing was changed).
 */
export async function retryWriteConflicts<T>(
  work: () => Promise<T>,
  what: string,
  attempts = 4,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isWriteConflict(err)) throw err;
      if (attempt >= attempts)
        throw apiErrors.conflict(
          `${what} conflicted with concurrent changes; nothing was changed, retry`,
          {
            reason: "write_conflict",
          },
        );
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * attempt));
    }
  }
}
