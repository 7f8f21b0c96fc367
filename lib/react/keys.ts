/**
 * The query keys of Hookline's hooks. A product sharing its QueryClient can invalidate through
 * these; every key starts with `hookline`, so `hooklineKeys.all` reaches them all.
 */
export const hooklineKeys = {
  all: ["hookline"] as const,
  session: ["hookline", "session"] as const,
  exchange: (ticket: string) => ["hookline", "exchange", ticket] as const,
  endpoints: ["hookline", "endpoints"] as const,
  endpoint: (id: string) => ["hookline", "endpoints", id] as const,
  deliveries: ["hookline", "deliveries"] as const,
  delivery: (id: string) => ["hookline", "delivery", id] as const,
  /** Under `deliveries`: whatever changes deliveries changes what a replay would cover. */
  replayPreview: ["hookline", "deliveries", "replay-preview"] as const,
  replayTasks: ["hookline", "replay-tasks"] as const,
  replayTask: (id: string) => ["hookline", "replay-tasks", id] as const,
  catalog: ["hookline", "catalog"] as const,
  subscriptions: ["hookline", "subscriptions"] as const,
  analytics: ["hookline", "analytics"] as const,
  timeseries: ["hookline", "timeseries"] as const,
  stats: ["hookline", "stats"] as const,
};
