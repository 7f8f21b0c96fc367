/**
 * `idempotency-key` on Svix-surface POSTs, as Svix does it: the first successful answer for a
 * (principal, key) is kept for 12 hours and every repeat gets the same status and body without
 * running again. The official clients send `auto_<uuid>` keys of their own and retry 5xx and
 * network errors with the same key, which this makes safe. A failed first attempt (4xx, 5xx)
 * is not kept, so a corrected retry runs. A repeat that arrives while the first is still
 * running waits for it (bounded), then answers 409.
 */
import { getDb } from "@/lib/db/client";
import { apiError } from "@/lib/http/errors";
import { textProblem } from "@/lib/http/storable";
import { svixValidationError } from "@/lib/svix/errors";

export const IDEMPOTENCY_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_KEY_LENGTH = 256;
const WAIT_FOR_FIRST_MS = 10_000;
const POLL_MS = 50;
/** A first request still "running" after this long died with its process: its claim lapses. */
const ABANDONED_AFTER_MS = 120_000;
/** Expired keys are swept now and then by the requests that add keys. */
const SWEEP_EVERY = 200;
let insertsSinceSweep = 0;

export function checkIdempotencyKey(key: string): void {
  const problem =
    key.length > MAX_KEY_LENGTH ? `must be at most ${MAX_KEY_LENGTH} characters` : textProblem(key);
  if (problem) throw svixValidationError("body", [{ loc: ["idempotency-key"], msg: problem }]);
}

function replay(status: number, body: string | null): Response {
  const headers = new Headers({ "cache-control": "no-store" });
  if (body) headers.set("content-type", "application/json; charset=utf-8");
  headers.set("idempotent-replayed", "true");
  return new Response(status === 204 ? null : body, { status, headers });
}

/** Runs `run` once per (principal, key) within the TTL; repeats answer the first success. */
export async function withIdempotencyKey(
  principal: string,
  key: string,
  run: () => Promise<Response>,
): Promise<Response> {
  checkIdempotencyKey(key);
  const { prisma } = getDb();
  const started = Date.now();
  for (;;) {
    const expired = new Date(Date.now() - IDEMPOTENCY_TTL_MS);
    await prisma.svixIdempotencyKey.deleteMany({
      where: { principal, key, createdAt: { lt: expired } },
    });
    const claimed = await prisma.svixIdempotencyKey.createMany({
      data: [{ principal, key }],
      skipDuplicates: true,
    });
    if (claimed.count === 1) {
      if (++insertsSinceSweep >= SWEEP_EVERY) {
        insertsSinceSweep = 0;
        void prisma.svixIdempotencyKey
          .deleteMany({ where: { createdAt: { lt: expired } } })
          .catch(() => {});
      }
      return runAndKeep(principal, key, run);
    }
    const row = await prisma.svixIdempotencyKey.findUnique({
      where: { principal_key: { principal, key } },
    });
    if (row?.status != null) return replay(row.status, row.body);
    if (row && Date.now() - row.createdAt.getTime() > ABANDONED_AFTER_MS) {
      await prisma.svixIdempotencyKey.deleteMany({ where: { principal, key, status: null } });
      continue;
    }
    if (row && Date.now() - started > WAIT_FOR_FIRST_MS)
      throw apiError(
        "conflict",
        "A request with this idempotency-key is still being processed; retry later",
      );
    if (row) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function runAndKeep(
  principal: string,
  key: string,
  run: () => Promise<Response>,
): Promise<Response> {
  const { prisma } = getDb();
  const where = { principal_key: { principal, key } };
  let response: Response;
  try {
    response = await run();
  } catch (err) {
    await prisma.svixIdempotencyKey.delete({ where }).catch(() => {});
    throw err;
  }
  if (response.status < 200 || response.status >= 300) {
    await prisma.svixIdempotencyKey.delete({ where }).catch(() => {});
    return response;
  }
  const body = response.status === 204 ? "" : await response.text();
  await prisma.svixIdempotencyKey.update({ where, data: { status: response.status, body } });
  return new Response(response.status === 204 ? null : body, {
    status: response.status,
    headers: response.headers,
  });
}
