import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { getEventType } from "@/lib/event-types/get-event-type";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import type { TestFilterRequest, TestFilterResponse } from "@/lib/filters/test-filter-schemas";
import { apiErrors } from "@/lib/http/errors";

/**
 * Evaluates a filter against a payload, or the app's catalog example of an event type, by asking
 * the database: the same evaluator as fan-out, so the answer is what delivery would do. Changes
 * nothing. 404 for an event type not in the app's catalog, 422 when it has no example.
 */
export async function testFilter(
  app: Pick<App, "id">,
  input: TestFilterRequest,
): Promise<TestFilterResponse> {
  let payload = input.payload;
  if (payload === undefined) {
    const eventType = await getEventType(app, input.event_type!);
    if (
      eventType.example === null ||
      typeof eventType.example !== "object" ||
      Array.isArray(eventType.example)
    ) {
      throw apiErrors.validation([
        { field: "event_type", message: "has no example payload in the catalog" },
      ]);
    }
    payload = eventType.example as Record<string, unknown>;
  }
  const { rows } = await getDb().pool.query<{ matches: boolean | null }>(
    "SELECT $1::jsonb @@ $2::jsonpath AS matches",
    [JSON.stringify(payload), filterToJsonPath(input.filter)],
  );
  return { matches: rows[0]?.matches === true, filter: input.filter, payload };
}
