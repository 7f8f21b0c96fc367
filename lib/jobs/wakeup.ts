import type { PoolClient } from "pg";

/** LISTEN/NOTIFY channel that wakes embedded workers when deliveries become due. */
export const DELIVERIES_DUE_CHANNEL = "hookline_deliveries_due";

/**
 * Queues a wake-up for embedded workers. Inside a transaction Postgres sends it on commit (and
 * drops it on rollback), so workers never look for rows they cannot see yet. Harmless when no
 * one listens (the Inngest driver).
 */
export async function notifyDeliveriesDue(client: PoolClient): Promise<void> {
  await client.query("SELECT pg_notify($1, '')", [DELIVERIES_DUE_CHANNEL]);
}
