/**
 * `endpoint.recovered` (Svix's `message.attempt.recovered`), recorded by the statement that
 * records successes: one operational event for each endpoint whose failure streak that statement
 * cleared while it had reached HOOKLINE_FAILING_ALERT_AFTER (so `endpoint.failing` was raised),
 * pointing at its latest success of the statement. Set-based: CTEs over the health reset's
 * rows, which are empty unless a failing endpoint is cleared, so the common success costs no
 * extra query.
 */
import { getEngineConfig } from "@/lib/delivery/engine-config";
import { newId } from "@/lib/ids";

/**
 * Clears the failure streak of the endpoints `where` selects (a condition on `endpoints`) that
 * have one, returning each with its streak as it was before: `id, app_id, failures,
 * failing_since`. The old values come from a locked read in the same statement rather than
 * `RETURNING OLD` (PostgreSQL 18 only), so an external PostgreSQL 15+ runs it too.
 */
export function healthResetSql(where: string): string {
  return `UPDATE endpoints SET consecutive_failures = 0, failing_since = NULL
    FROM (SELECT id, consecutive_failures, failing_since FROM endpoints
          WHERE ${where} AND (consecutive_failures <> 0 OR failing_since IS NOT NULL)
          FOR NO KEY UPDATE) AS before
    WHERE endpoints.id = before.id
    RETURNING endpoints.id, endpoints.app_id, before.consecutive_failures AS failures, before.failing_since AS failing_since`;
}

/**
 * CTEs `rec`, `ev`, `evs` after a health CTE `h` (a `healthResetSql`). `source`
 * selects the statement's successes: `id` (delivery), `endpoint_id`, `attempt_id`, `attempted_at`.
 * `$threshold` int, `$sendable` boolean (operator webhook configured), `$endpoints`/`$ids`
 * text[]: the id to give each endpoint's event.
 */
export function recoveredEventsCtes(
  source: string,
  p: { threshold: string; sendable: string; endpoints: string; ids: string },
): string {
  return `rec AS (
      SELECT DISTINCT ON (s.endpoint_id) h.app_id, h.id AS endpoint_id, s.id AS delivery_id, s.attempt_id, h.failures, h.failing_since
      FROM h JOIN ${source} s ON s.endpoint_id = h.id
      WHERE h.failures >= ${p.threshold}::int
      ORDER BY s.endpoint_id, s.attempted_at DESC),
    ev AS (
      INSERT INTO operational_events (id, type, app_id, endpoint_id, delivery_id, data, next_send_at)
      SELECT n.ope_id, 'endpoint.recovered', rec.app_id, rec.endpoint_id, rec.delivery_id,
        jsonb_build_object('attempt_id', rec.attempt_id, 'consecutive_failures', rec.failures, 'failing_since', rec.failing_since),
        CASE WHEN ${p.sendable}::boolean THEN now() END
      FROM rec JOIN unnest(${p.endpoints}::text[], ${p.ids}::text[]) AS n(endpoint_id, ope_id) ON n.endpoint_id = rec.endpoint_id
      RETURNING id),
    evs AS (
      INSERT INTO operational_webhook_sends (operational_event_id, endpoint_id)
      SELECT ev.id, w.id FROM ev, operational_webhook_endpoints w
      WHERE NOT w.disabled AND (w.event_types = '{}' OR 'message.attempt.recovered' = ANY(w.event_types)))`;
}

/** The values for `recoveredEventsCtes`' parameters, for successes on these endpoints. */
export function recoveredEventsValues(endpointIds: readonly string[]): {
  threshold: number;
  sendable: boolean;
  endpoints: string[];
  ids: string[];
} {
  const engine = getEngineConfig();
  const endpoints = [...new Set(endpointIds)];
  return {
    threshold: engine.failingAlertAfter,
    sendable: engine.operatorWebhookUrl !== undefined,
    endpoints,
    ids: endpoints.map(() => newId("ope")),
  };
}
