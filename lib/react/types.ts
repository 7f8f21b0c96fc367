/**
 * Shapes of the frontend API's delivery, replay and analytics answers as the hooks expose them.
 * TODO(lead): derive from lib/deliveries, lib/replays and lib/analytics schemas once they land.
 */
export type DeliveryStatus = "pending" | "retrying" | "success" | "failed" | "cancelled";

export interface DeliveriesParams {
  status?: DeliveryStatus;
  event_name?: string;
  endpoint_id?: string;
  start_date?: string;
  end_date?: string;
  http_status?: number;
  limit?: number;
}

export interface DeliverySummary {
  id: string;
  event_id: string;
  event_name: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  [key: string]: unknown;
}

export interface DeliveryDetail extends DeliverySummary {
  payload: unknown;
  attempts: Record<string, unknown>[];
}

export interface ReplayRequest {
  delivery_ids?: string[];
  start_date?: string;
  end_date?: string;
  event_names?: string[];
  endpoint_id?: string;
  status?: "failed" | "all";
  dry_run?: boolean;
}

export interface ReplayTaskCreated {
  task_id?: string;
  status?: string;
  total?: number;
  count?: number;
  [key: string]: unknown;
}

export interface ReplayTask {
  id: string;
  status: "queued" | "running" | "completed" | "cancelled" | "failed";
  total: number;
  processed: number;
  replayed: number;
  failed: number;
  [key: string]: unknown;
}

export interface AnalyticsParams {
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
  fields?: string[];
}

export interface WebhookAnalytics {
  total_deliveries?: number;
  successful?: number;
  failed?: number;
  success_rate?: number;
  avg_latency_ms?: number | null;
  p95_latency_ms?: number | null;
  total_attempts?: number;
  [key: string]: unknown;
}

export interface TimeseriesParams {
  interval?: "minute" | "hour" | "day" | "week";
  start_date?: string;
  end_date?: string;
  endpoint_id?: string;
}

export interface TimeseriesPoint {
  timestamp: string;
  [key: string]: unknown;
}

export type WebhookStats = Record<string, unknown>;
