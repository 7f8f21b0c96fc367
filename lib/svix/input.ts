/**
 * Reading request input on the Svix surface: bodies and queries are validated with zod and
 * every problem becomes Svix's 422 `detail[]` with `loc` `["body", ...]` or `["query", ...]`.
 * Unknown body fields are ignored, as Svix's server does (1.x clients send fields 2.x renamed).
 */
import { z } from "zod";
import { textProblem } from "@/lib/http/storable";
import { svixValidationError } from "@/lib/svix/errors";

function issues(error: z.ZodError): { loc: (string | number)[]; msg: string; type: string }[] {
  return error.issues.map((issue) => ({
    loc: issue.path.map((p) => (typeof p === "number" ? p : String(p))),
    msg: issue.message,
    type: issue.code === "invalid_type" ? "type_error" : "value_error",
  }));
}

/** A body read as every route reads it (size-limited JSON), validated by `schema`. */
export function validateSvixBody<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw svixValidationError("body", issues(result.error));
  return result.data;
}

/**
 * Query parameters; repeated keys become arrays only where the schema wants one, and a
 * comma-separated value (how the clients send lists) is split there too. Unknown parameters
 * are ignored, as Svix does.
 */
export function parseSvixQuery<S extends z.ZodType>(
  url: URL,
  schema: S,
  lists: readonly string[] = [],
): z.output<S> {
  const data: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    const problem = [key, ...all].map(textProblem).find((p) => p !== null);
    if (problem) throw svixValidationError("query", [{ loc: [key], msg: problem }]);
    data[key] = lists.includes(key)
      ? all.flatMap((v) => v.split(",")).filter((v) => v !== "")
      : all[all.length - 1]!;
  }
  const result = schema.safeParse(data);
  if (!result.success) throw svixValidationError("query", issues(result.error));
  return result.data;
}
