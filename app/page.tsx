import { StatusCard } from "@/components/status-card";
import { checkHealth } from "@/lib/health/check-health";

export const dynamic = "force-dynamic";

export default async function Home() {
  const health = await checkHealth();
  return (
    <main className="mx-auto max-w-2xl px-6 py-16">
      <h1 className="text-3xl font-semibold tracking-tight">Hookline</h1>
      <p className="mt-2 text-slate-600 dark:text-slate-400">
        Signed webhook delivery with retries, a delivery log, replay and an embeddable portal.
      </p>
      <div className="mt-8 grid gap-4 sm:grid-cols-2">
        <StatusCard
          label="Database"
          value={health.database.status}
          ok={health.database.status === "up"}
          detail={health.database.embedded ? "embedded PostgreSQL" : "external PostgreSQL"}
        />
        <StatusCard
          label="Job driver"
          value={health.jobs.driver}
          ok={health.jobs.status !== "stopped"}
          detail={health.jobs.status.replace("_", " ")}
        />
      </div>
      <p className="mt-8 text-sm text-slate-600 dark:text-slate-400">
        The backend API lives under <code className="font-mono">/api/v1</code>; create an API key
        with <code className="font-mono">npm run -s hookline -- keys create --name my-backend</code>
        .
      </p>
    </main>
  );
}
