import { incrementCounter, observeLatency, type MetricFamily } from "@/lib/metrics/registry";

export const DELIVERY_METRIC_FAMILIES: readonly MetricFamily[] = [
  {
    name: "hookline_delivery_attempts_total",
    help: "Delivery attempts made by this process, by result.",
    type: "counter",
  },
  {
    name: "hookline_deliveries_completed_total",
    help: "Deliveries this process moved to a final status (success, failed, cancelled).",
    type: "counter",
  },
  {
    name: "hookline_delivery_retries_scheduled_total",
    help: "Retries scheduled after a failed attempt.",
    type: "counter",
  },
  {
    name: "hookline_endpoints_disabled_total",
    help: "Endpoints disabled automatically, by reason.",
    type: "counter",
  },
  {
    name: "hookline_attempt_duration_seconds",
    help: "Attempt latency (request to complete response), by result.",
    type: "histogram",
  },
];

/** `success`, an HTTP class (`http_4xx`, `http_5xx`...) or the transport error code. */
export function attemptResultLabel(
  ok: boolean,
  status: number | null,
  errorCode: string | null,
): string {
  if (ok) return "success";
  if (errorCode) return errorCode;
  return status === null ? "unknown" : `http_${Math.floor(status / 100)}xx`;
}

export function recordAttemptMetrics(input: {
  result: string;
  durationMs: number;
  finalStatus: string | null;
  retryScheduled: boolean;
}) {
  incrementCounter("hookline_delivery_attempts_total", { result: input.result });
  observeLatency("hookline_attempt_duration_seconds", input.durationMs, {
    result: input.result === "success" ? "success" : "failure",
  });
  if (input.finalStatus)
    incrementCounter("hookline_deliveries_completed_total", { status: input.finalStatus });
  if (input.retryScheduled) incrementCounter("hookline_delivery_retries_scheduled_total");
}

export function recordDeliveriesCancelled(count: number) {
  if (count > 0)
    incrementCounter("hookline_deliveries_completed_total", { status: "cancelled" }, count);
}

export function recordEndpointDisabled(reason: "gone" | "failing") {
  incrementCounter("hookline_endpoints_disabled_total", { reason });
}
