/**
 * What `npm start` says about the console: its URL and, while no operator exists, the one
 * command that creates the first (read straight from the database the launcher opened).
 */
import pg from "pg";
import { poolConfigFromUrl } from "@/lib/db/url";

export const FIRST_OPERATOR_COMMAND =
  "npm run hookline -- operators create --email you@example.com --role admin";

export async function consoleBanner(databaseUrl: string, baseUrl: string): Promise<string[]> {
  const lines = [`hookline: operator console at ${baseUrl}/console`];
  const client = new pg.Client(poolConfigFromUrl(databaseUrl));
  try {
    await client.connect();
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM operators");
    if (Number(rows[0]!.n) === 0)
      lines.push(`hookline: no operator yet; create the first with: ${FIRST_OPERATOR_COMMAND}`);
  } catch {
    // The banner is a courtesy: never fail the start over it.
  } finally {
    await client.end().catch(() => {});
  }
  return lines;
}
