import { createHash } from "node:crypto";
import { z } from "zod";
import { apiErrors } from "@/lib/http/errors";
import { isStorableInstant, isStorableText } from "@/lib/http/storable";

/**
 * Keyset pagination over `(created_at, id)`, newest first. The cursor is opaque base64url of the
 * last row's key plus a fingerprint of the query it belongs to, so a cursor cannot be replayed
 * against another app or other filters.
 */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 250;

export const limitParam = z.coerce
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
  .default(DEFAULT_LIMIT);

export const cursorParam = z.string().max(512, "is too long").optional();

export interface Keyset {
  createdAt: Date;
  id: string;
}

export function queryFingerprint(scope: unknown): string {
  return createHash("sha256").update(JSON.stringify(scope)).digest("base64url").slice(0, 12);
}

export function encodeCursor(key: Keyset, scope: unknown): string {
  return Buffer.from(
    JSON.stringify({ t: key.createdAt.toISOString(), i: key.id, s: queryFingerprint(scope) }),
  ).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, scope: unknown): Keyset | undefined {
  if (cursor === undefined || cursor === "") return undefined;
  const invalid = () =>
    apiErrors.invalidParameter([
      { field: "cursor", message: "is not a cursor from this list and these filters" },
    ]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const shape = z
    .object({
      t: z.iso.datetime(),
      i: z.string().min(1).max(128).refine(isStorableText),
      s: z.string(),
    })
    .safeParse(parsed);
  if (!shape.success || shape.data.s !== queryFingerprint(scope)) throw invalid();
  const createdAt = new Date(shape.data.t);
  if (!isStorableInstant(createdAt)) throw invalid();
  return { createdAt, id: shape.data.i };
}

/** Prisma `where` for rows strictly after the cursor in (created_at DESC, id DESC) order. */
export function afterKeyset(key: Keyset | undefined) {
  if (!key) return {};
  return {
    OR: [{ createdAt: { lt: key.createdAt } }, { createdAt: key.createdAt, id: { lt: key.id } }],
  };
}

/** Given `limit + 1` rows, the page and the cursor of the next one. */
export function pageOf<T extends Keyset>(
  rows: T[],
  limit: number,
  scope: unknown,
): { data: T[]; nextCursor: string | null } {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last, scope) : null };
}
