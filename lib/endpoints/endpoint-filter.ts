/**
 * An endpoint's payload filter in the database: the JSON form (`endpoints.filter`, what the API
 * returns) and its compiled jsonpath predicate (`endpoints.filter_path`, what fan-out evaluates).
 * The predicate is derived from the JSON form, so both are written here and nowhere else, in one
 * statement (a CHECK constraint keeps them both set or both null).
 */
import type { Prisma } from "@/generated/prisma/client";
import { filterToJsonPath } from "@/lib/filters/to-jsonpath";
import type { PayloadFilter } from "@/lib/filters/payload-filter";

export interface EndpointFilterColumns {
  /** JSON text of the filter, or null for none. */
  filter: string | null;
  /** The jsonpath predicate, or null for none. */
  filterPath: string | null;
}

/** Both columns for a filter (null removes it). */
export function endpointFilterColumns(filter: PayloadFilter | null): EndpointFilterColumns {
  if (filter === null) return { filter: null, filterPath: null };
  return { filter: JSON.stringify(filter), filterPath: filterToJsonPath(filter) };
}

/** Sets (or, with null, removes) an endpoint's filter, inside the caller's transaction. */
export async function writeEndpointFilter(
  tx: Prisma.TransactionClient,
  endpointId: string,
  filter: PayloadFilter | null,
): Promise<void> {
  const columns = endpointFilterColumns(filter);
  await tx.$executeRaw`UPDATE endpoints SET filter = ${columns.filter}::jsonb, filter_path = ${columns.filterPath}::jsonpath, updated_at = now()
    WHERE id = ${endpointId}`;
}
