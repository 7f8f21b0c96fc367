/**
 * Next.js calls register() once when a server process starts. The job driver only runs in the
 * Node.js runtime; the dynamic import keeps pg and Prisma out of any edge bundle.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerJobs } = await import("@/lib/jobs/start-server-jobs");
  startServerJobs();
}
