import { z } from "zod";
import type { App } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { apiErrors } from "@/lib/http/errors";
import { isStorableInstant } from "@/lib/http/storable";

/**
 * Date parameters shared by the delivery log, replays and analytics: RFC 3339 date-times
 * (`2026-04-01T00:00:00Z`, any offset) or a bare date (`2026-04-01`, midnight UTC).
 */
const DATE_MESSAGE = "must be an RFC 3339 date-time like 2026-04-01T00:00:00Z";
const isoDateTime = z.iso.datetime({ offset: true, message: DATE_MESSAGE });
const isoDate = z.iso.date({ message: DATE_MESSAGE });

export const dateTimeParam = z
  .string({ message: DATE_MESSAGE })
  .refine((v) => isoDateTime.safeParse(v).success || isoDate.safeParse(v).success, DATE_MESSAGE)
  .transform((v) => new Date(isoDate.safeParse(v).success ? `${v}T00:00:00Z` : v))
  .refine(isStorableInstant, "must be a date-time between years 0001 and 9999")
  .meta({ format: "date-time", description: "RFC 3339 date-time (or a bare date, midnight UTC)" });

/** For `superRefine`: flags `end_date` when it is before `start_date`. */
export function checkDateOrder(
  value: { start_date?: Date; end_date?: Date },
  ctx: z.RefinementCtx,
): void {
  // Runs even when a date failed to parse (zod keeps checking): compare only real dates.
  const { start_date: start, end_date: end } = value as {
    start_date?: unknown;
    end_date?: unknown;
  };
  if (start instanceof Date && end instanceof Date && end.getTime() < start.getTime()) {
    ctx.addIssue({ code: "custom", path: ["end_date"], message: "is before start_date" });
  }
}

/**
 * An `endpoint_id` filter must name an endpoint of this app (deleted ones included: the log keeps
 * pointing at them); anything else is the same 404 as an unknown id.
 */
export async function checkEndpointFilter(
  app: Pick<App, "id">,
  endpointId: string | undefined,
): Promise<void> {
  if (endpointId === undefined) return;
  const found = await getDb().prisma.endpoint.findFirst({
    where: { id: endpointId, appId: app.id },
    select: { id: true },
  });
  if (!found) throw apiErrors.notFound(`Endpoint "${endpointId}"`);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
