/** Field shapes the Svix-compatible surface shares across areas (as Svix's spec defines them). */
import { z } from "zod";
import { Prisma } from "@/generated/prisma/client";
import { apiErrors } from "@/lib/http/errors";

/** Svix uids: 1-256 of `[A-Za-z0-9-_.]`, case-sensitive. Not a Hookline slug. */
export const svixUid = z
  .string()
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters")
  .regex(/^[a-zA-Z0-9\-_.]+$/, "must contain only a-z, A-Z, 0-9, -, _ and .");

export const svixMetadata = z.record(z.string(), z.string({ message: "must be a string" }));

/** `throttleRate` (2.x) and `rateLimit` (1.x): messages per second, null for none. */
export const svixRate = z
  .number({ message: "must be a whole number" })
  .int("must be a whole number")
  .min(0, "must be at least 0")
  .max(65_535, "must be at most 65535");

/** 2.x's `throttleRate` or else 1.x's `rateLimit`; undefined when neither was sent. */
export function eitherRate(v: {
  throttleRate?: number | null;
  rateLimit?: number | null;
}): number | null | undefined {
  return v.throttleRate !== undefined ? v.throttleRate : v.rateLimit;
}

/** `true` / `false` as query strings. */
export const svixBooleanQuery = z
  .enum(["true", "false"], { message: "must be true or false" })
  .transform((v) => v === "true");

/** Runs `write`; a unique-constraint hit becomes 409 with Svix's message. */
export async function conflictOnDuplicate<T>(write: () => Promise<T>, what: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002")
      throw apiErrors.conflict(`${what} already exists`);
    throw err;
  }
}
