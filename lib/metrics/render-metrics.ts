/**
 * `GET /api/metrics`: Prometheus text exposition. Counters and the latency histogram are this
 * process's (scrape every instance); backlog, lag and endpoint gauges are read from the
 * database and so describe the whole deployment.
 */
import v8 from "node:v8";
import { getDb } from "@/lib/db/client";
import { isDue, isInFlight } from "@/lib/delivery/states";
import { getJobDriverStatus } from "@/lib/jobs/job-driver";
import { DELIVERY_METRIC_FAMILIES } from "@/lib/metrics/delivery-metrics";
import { escapeLabel, renderLocalMetrics } from "@/lib/metrics/registry";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface Gauges {
  due: string;
  scheduled: string;
  in_flight: string;
  lag_seconds: string | null;
  fan_out_waiting: string;
  endpoints_disabled: string;
  endpoints_failing: string;
  operational_unsent: string;
}

/** Backlog, lag and endpoint gauges of the whole deployment (Postgres counts them as text). */
export async function readDeliveryGauges(): Promise<Gauges> {
  const { rows } = await getDb().pool.query<Gauges>(
    `SELECT
       (SELECT count(*) FROM delivery_queue q WHERE ${isDue("q")}) AS due,
       (SELECT count(*) FROM delivery_queue q WHERE q.run_at > now()) AS scheduled,
       (SELECT count(*) FROM delivery_queue q WHERE ${isInFlight("q")}) AS in_flight,
       (SELECT extract(epoch FROM now() - min(q.run_at)) FROM delivery_queue q WHERE ${isDue("q")}) AS lag_seconds,
       (SELECT count(*) FROM event_fanout_queue) AS fan_out_waiting,
       (SELECT count(*) FROM endpoints WHERE NOT is_active AND deleted_at IS NULL) AS endpoints_disabled,
       (SELECT count(*) FROM endpoints WHERE is_active AND deleted_at IS NULL AND consecutive_failures > 0) AS endpoints_failing,
       (SELECT count(*) FROM operational_events WHERE sent_at IS NULL AND next_send_at IS NOT NULL) AS operational_unsent`,
  );
  return rows[0]!;
}

function gauge(name: string, help: string, value: number | string, labels = ""): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name}${labels} ${value}`;
}

export async function renderMetrics(): Promise<string> {
  const g = await readDeliveryGauges();
  const driver = getJobDriverStatus();
  const sections = [
    gauge(
      "hookline_deliveries_due",
      "Deliveries due now and not being attempted (backlog).",
      g.due,
    ),
    gauge("hookline_deliveries_scheduled", "Deliveries waiting for a later retry.", g.scheduled),
    gauge("hookline_deliveries_in_flight", "Deliveries leased by a worker right now.", g.in_flight),
    gauge(
      "hookline_delivery_lag_seconds",
      "How long the oldest due delivery has been waiting.",
      Math.max(0, Number(g.lag_seconds ?? 0)).toFixed(3),
    ),
    gauge(
      "hookline_endpoints_disabled",
      "Endpoints that are disabled (by Hookline or by their owner).",
      g.endpoints_disabled,
    ),
    gauge(
      "hookline_endpoints_failing",
      "Active endpoints whose last attempt failed.",
      g.endpoints_failing,
    ),
    gauge(
      "hookline_events_awaiting_fan_out",
      "Events accepted and not yet fanned out to their endpoints.",
      g.fan_out_waiting,
    ),
    gauge(
      "hookline_operational_events_unsent",
      "Operational events not yet accepted by the operator webhook.",
      g.operational_unsent,
    ),
    gauge(
      "hookline_job_driver",
      "The job driver and its state in this process.",
      1,
      `{driver="${escapeLabel(driver.driver)}",status="${escapeLabel(driver.status)}"}`,
    ),
    gauge(
      "hookline_process_resident_memory_bytes",
      "Resident memory of this process.",
      process.memoryUsage.rss(),
    ),
    gauge(
      "hookline_process_heap_limit_bytes",
      "This process's JavaScript heap limit (HOOKLINE_MAX_HEAP_MB plus the young generation).",
      v8.getHeapStatistics().heap_size_limit,
    ),
    renderLocalMetrics(DELIVERY_METRIC_FAMILIES),
  ];
  return sections.join("\n") + "\n";
}
