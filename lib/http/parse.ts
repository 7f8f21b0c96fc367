import { z } from "zod";
import { ApiError, apiErrors, fieldErrors } from "@/lib/http/errors";
import { jsonProblems, textProblem } from "@/lib/http/storable";

/**
 * Reads a JSON body with a size limit and validates it. A missing body counts as `{}` so
 * endpoints whose fields are all optional accept a bare POST.
 */
export async function readJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  maxBytes: number,
): Promise<z.output<S>> {
  return (await readJsonBodyAndText(req, schema, maxBytes)).data;
}

/** `readJsonBody`, and the body's text as it came (a payload's text is taken from it). */
export async function readJsonBodyAndText<S extends z.ZodType>(
  req: Request,
  schema: S,
  maxBytes: number,
): Promise<{ data: z.output<S>; text: string }> {
  const raw = await readBodyText(req, maxBytes);
  let data: unknown = {};
  if (raw.trim() !== "") {
    try {
      data = JSON.parse(raw);
    } catch (err) {
      throw apiErrors.invalidJson((err as Error).message);
    }
  }
  const problems = jsonProblems(data);
  if (problems.length) throw apiErrors.validation(problems);
  return { data: validateBody(schema, data), text: raw };
}

export function validateBody<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const result = schema.safeParse(data);
  if (!result.success) throw apiErrors.validation(fieldErrors(result.error));
  return result.data;
}

/** The body as text, refusing more than `maxBytes` without buffering past it. */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw apiErrors.payloadTooLarge(maxBytes);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw apiErrors.payloadTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  try {
    return strictUtf8.decode(Buffer.concat(chunks));
  } catch {
    // Decoding leniently would store U+FFFD in place of the producer's bytes.
    throw apiErrors.invalidJson("the body is not valid UTF-8");
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Validates query parameters. Repeated keys become arrays only where the schema expects one;
 * unknown parameters are refused like unknown body fields.
 */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): z.output<S> {
  const data: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    const problem = [key, ...all].map(textProblem).find((p) => p !== null);
    if (problem)
      throw apiErrors.invalidParameter([
        { field: textProblem(key) ? "(query)" : key, message: problem },
      ]);
    data[key] = all.length > 1 ? all : all[0]!;
  }
  const result = schema.safeParse(data);
  if (!result.success) throw apiErrors.invalidParameter(fieldErrors(result.error));
  return result.data;
}

/** Path parameters (ids, slugs, names) must be storable text; anything else cannot name a resource. */
export function checkPathParams(params: unknown): void {
  if (!params || typeof params !== "object") return;
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const problem = typeof v === "string" ? textProblem(v) : null;
      if (problem) throw apiErrors.invalidParameter([{ field: name, message: problem }]);
    }
  }
}

export { ApiError };
