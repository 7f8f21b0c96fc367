/**
 * Svix lists: `?limit=&iterator=&order=` answering `{ data, iterator, prevIterator, done }`.
 * Iterators are lib/http/pagination cursors over `(created_at, id)` (bound to the list and its
 * filters); a `prevIterator` is the first row's cursor prefixed with `-`, which walks back.
 */
import { z } from "zod";
import { decodeCursor, encodeCursor, MAX_LIMIT, type Keyset } from "@/lib/http/pagination";
import { svixValidationError } from "@/lib/svix/errors";

export type SvixOrder = "ascending" | "descending";

export const svixListQuery = z.object({
  limit: z.coerce
    .number({ message: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
    .default(50),
  iterator: z.string().max(600, "is too long").nullish(),
  order: z.enum(["ascending", "descending"]).optional(),
});
export type SvixListQuery = z.output<typeof svixListQuery>;

export interface SvixListPage<T> {
  data: T[];
  iterator: string | null;
  prevIterator: string | null;
  done: boolean;
}

/** A Prisma `where` on `(createdAt, id)` strictly after `key` in the given direction. */
function beyond(key: Keyset, ascending: boolean) {
  const cmp = ascending ? "gt" : "lt";
  return {
    OR: [
      { createdAt: { [cmp]: key.createdAt } },
      { createdAt: key.createdAt, id: { [cmp]: key.id } },
    ],
  };
}

export interface KeysetFetch<R> {
  (args: {
    where: object;
    orderBy: { createdAt?: "asc" | "desc"; id?: "asc" | "desc" }[];
    take: number;
    /** The same, for a fetch written in SQL: rows strictly beyond `after` in this direction. */
    keyset: { after: Keyset | undefined; ascending: boolean };
  }): Promise<R[]>;
}

/**
 * One page of a keyset list. `fetch` runs the query with the given `where` (AND it with the
 * list's own filters), order and size; `scope` names the list and its filters (a cursor from
 * one list is refused by another).
 */
export async function svixPage<R extends Keyset>(
  query: SvixListQuery,
  scope: unknown,
  defaultOrder: SvixOrder,
  fetch: KeysetFetch<R>,
): Promise<SvixListPage<R>> {
  const ascending = (query.order ?? defaultOrder) === "ascending";
  const raw = query.iterator ?? undefined;
  const backwards = raw?.startsWith("-") ?? false;
  let key: Keyset | undefined;
  try {
    key = decodeCursor(backwards ? raw!.slice(1) : raw, scope);
  } catch {
    throw svixValidationError("query", [
      { loc: ["iterator"], msg: "is not an iterator of this list" },
    ]);
  }
  // Walking back reads the other way from the key, then restores the list's order.
  const readAscending = backwards ? !ascending : ascending;
  const dir = readAscending ? "asc" : "desc";
  const rows = await fetch({
    where: key ? beyond(key, readAscending) : {},
    orderBy: [{ createdAt: dir }, { id: dir }],
    take: query.limit + 1,
    keyset: { after: key, ascending: readAscending },
  });
  const more = rows.length > query.limit;
  const data = rows.slice(0, query.limit);
  if (backwards) data.reverse();
  const first = data[0];
  const last = data[data.length - 1];
  return {
    data,
    iterator: last ? encodeCursor(last, scope) : null,
    prevIterator: first ? `-${encodeCursor(first, scope)}` : null,
    done: !more,
  };
}

export function mapPage<R, T>(page: SvixListPage<R>, map: (row: R) => T): SvixListPage<T> {
  return { ...page, data: page.data.map(map) };
}
