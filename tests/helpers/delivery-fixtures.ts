/**
 * Apps and endpoints for delivery tests, written straight to the test database.
 */
import type { App, Endpoint } from "@/generated/prisma/client";
import { getDb } from "@/lib/db/client";
import { createSigningSecret } from "@/lib/endpoints/signing-secrets";
import type { AttemptResult } from "@/lib/delivery/http-client";
import { newId } from "@/lib/ids";
import { findAttempts } from "./attempts";

export async function createTestApp(
  slug = `app_${Math.random().toString(36).slice(2, 8)}`,
): Promise<App> {
  return getDb().prisma.app.create({
    data: { id: newId("app"), slug: slug.replace(/^app_/, "a-"), name: slug },
  });
}

export interface TestEndpointInput {
  url: string;
  subscriptions?: string[];
  channels?: string[];
  maxRetries?: number;
  timeoutSeconds?: number;
  rateLimit?: number | null;
  headers?: Record<string, string>;
}

export async function createTestEndpoint(
  app: App,
  input: TestEndpointInput,
): Promise<{ endpoint: Endpoint; secret: string }> {
  return getDb().prisma.$transaction(async (tx) => {
    const endpoint = await tx.endpoint.create({
      data: {
        id: newId("ep"),
        appId: app.id,
        url: input.url,
        subscriptions: input.subscriptions ?? ["*"],
        channels: input.channels ?? [],
        maxRetries: input.maxRetries ?? 5,
        timeoutSeconds: input.timeoutSeconds ?? 5,
        rateLimit: input.rateLimit ?? null,
        headers: input.headers ?? {},
      },
    });
    const secret = await createSigningSecret(tx, endpoint.id);
    return { endpoint, secret };
  });
}

/** Whether `fn` returns without throwing (a verifier accepting a request). */
export function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fans out every accepted event now (what the job driver does behind the trigger's answer); returns the deliveries made. */
export async function fanOutNow(): Promise<number> {
  const { fanOutQueuedEvents } = await import("@/lib/delivery/fan-out-events");
  let made = 0;
  for (let i = 0; i < 1_000; i++) {
    const result = await fanOutQueuedEvents({ limit: 500 });
    made += result.deliveries.length;
    if (result.events === 0) return made;
  }
  throw new Error("fan-out did not finish");
}

/** triggerEvent, then the fan-out right away (tests that read the deliveries without a driver running). */
export async function triggerAndFanOut(
  ...args: Parameters<typeof import("@/lib/events/trigger-event").triggerEvent>
) {
  const { triggerEvent } = await import("@/lib/events/trigger-event");
  const result = await triggerEvent(...args);
  await fanOutNow();
  return result;
}

/** A delivery with its attempts in attempt order (the log has no foreign keys for `include`). */
export async function deliveryWithAttempts(id: string) {
  const { prisma } = getDb();
  const delivery = await prisma.delivery.findUniqueOrThrow({ where: { id } });
  const attempts = await findAttempts({ deliveryId: id }, { orderBy: "attemptNumber" });
  return { ...delivery, attempts };
}

/** An app's deliveries, each with its event. */
export async function deliveriesWithEvents(appId: string) {
  const { prisma } = getDb();
  const deliveries = await prisma.delivery.findMany({ where: { appId } });
  const events = new Map(
    (await prisma.event.findMany({ where: { id: { in: deliveries.map((d) => d.eventId) } } })).map(
      (e) => [e.id, e],
    ),
  );
  return deliveries.map((d) => ({ ...d, event: events.get(d.eventId)! }));
}

/** A receiver's answer as the HTTP client reports it: 200 when `ok`, else 500 (or `status`). */
export function attemptResult(ok: boolean, overrides: Partial<AttemptResult> = {}): AttemptResult {
  return {
    ok,
    status: ok ? 200 : 500,
    headers: {},
    body: "",
    bodyTruncated: false,
    durationMs: 5,
    error: null,
    errorCode: null,
    retryAfterSeconds: null,
    ...overrides,
  };
}
