import { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "@/lib/http/error-codes";
import { cursorParam, limitParam } from "@/lib/http/pagination";

/** Shapes every domain shares: the error envelope, list pages and their query. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe(
      Object.entries(ERROR_CODES)
        .map(([code, e]) => `\`${code}\` (${e.status}): ${e.meaning}`)
        .join("\n"),
    ),
    message: z.string(),
    details: z
      .record(z.string(), z.unknown())
      .describe("Always present: `{}` when there is nothing to add"),
    request_id: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** `?limit=&cursor=`: the query of every list. */
export const listQuery = z.strictObject({ limit: limitParam, cursor: cursorParam });

/** One page of a list: newest first, `next_cursor` null on the last page. */
export function listPage<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    next_cursor: z.string().nullable(),
    has_more: z.boolean(),
  });
}
export interface ListPage<T> {
  data: T[];
  next_cursor: string | null;
  has_more: boolean;
}

/** `"true"`/`"false"` in a query string. */
export const booleanQueryParam = z
  .enum(["true", "false"], { message: "must be true or false" })
  .transform((v) => v === "true");

/** Response for the list routes, from a domain page. */
export function toListPage<R, T>(
  page: { data: R[]; nextCursor: string | null },
  serialize: (row: R) => T,
): ListPage<T> {
  return {
    data: page.data.map(serialize),
    next_cursor: page.nextCursor,
    has_more: page.nextCursor !== null,
  };
}
