/**
 * The delivery contract from a receiver's side: stock Standard Webhooks and Svix verifiers
 * accept every request, before and after a secret rotation; Hookline's own helper too.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { findAttempts, findFirstAttempt } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver, type ReceivedRequest } from "../helpers/receiver";
import {
  accepts,
  createTestApp,
  createTestEndpoint,
  eventually,
} from "../helpers/delivery-fixtures";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { triggerEvent } from "@/lib/events/trigger-event";
import { rotateSigningSecret } from "@/lib/endpoints/signing-secrets";
import { verifyWebhook } from "@/lib/verify";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});

let driver: EmbeddedDriver;
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
  driver = startEmbeddedDriver({ pollIntervalMs: 200, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await receiver?.close();
});

function acceptedBy(
  secret: string,
  req: ReceivedRequest,
): { standard: boolean; svix: boolean; hookline: boolean } {
  const headers = {
    "webhook-id": req.headers["webhook-id"]!,
    "webhook-timestamp": req.headers["webhook-timestamp"]!,
    "webhook-signature": req.headers["webhook-signature"]!,
  };
  return {
    standard: accepts(() => new StandardWebhook(secret).verify(req.body, headers)),
    svix: accepts(() => new SvixWebhook(secret).verify(req.body, headers)),
    hookline: accepts(() => verifyWebhook(secret, headers, req.body)),
  };
}

describe("signatures", () => {
  it("verifies with standardwebhooks and svix before and after rotation; both secrets sign during the grace period", async () => {
    const app = await createTestApp();
    const { endpoint, secret: first } = await createTestEndpoint(app, {
      url: receiver.url,
      headers: { "X-Tenant": "acme", Authorization: "Bearer customer-token" },
    });

    const e1 = await triggerEvent(app, {
      event_name: "invoice.paid",
      payload: { amount: 5000, currency: "USD", customer: "Alice" },
    });
    await receiver.waitFor(1);
    const req1 = receiver.requests[0]!;
    expect(acceptedBy(first, req1)).toEqual({ standard: true, svix: true, hookline: true });
    expect(JSON.parse(req1.body)).toEqual({
      type: "invoice.paid",
      timestamp: e1.created_at,
      data: { amount: 5000, currency: "USD", customer: "Alice" },
    });
    expect(req1.headers["content-type"]).toBe("application/json");
    expect(req1.headers["user-agent"]).toMatch(/^Hookline\//);
    expect(req1.headers["x-tenant"]).toBe("acme");
    expect(req1.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    const delivery1 = await db().prisma.delivery.findFirstOrThrow({
      where: { eventId: e1.event_id },
    });
    expect(req1.headers["webhook-id"]).toBe(delivery1.id);

    // Rotate with a grace period: the next request carries two signatures; either secret verifies.
    const second = await db().prisma.$transaction((tx) =>
      rotateSigningSecret(tx, endpoint.id, 3600),
    );
    await triggerEvent(app, { event_name: "invoice.paid", payload: { n: 2 } });
    await receiver.waitFor(2);
    const req2 = receiver.requests[1]!;
    expect(req2.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(acceptedBy(second, req2)).toEqual({ standard: true, svix: true, hookline: true });
    expect(acceptedBy(first, req2)).toEqual({ standard: true, svix: true, hookline: true });

    // Rotate and expire at once: only the newest secret signs.
    const third = await db().prisma.$transaction((tx) => rotateSigningSecret(tx, endpoint.id, 0));
    await triggerEvent(app, { event_name: "invoice.paid", payload: { n: 3 } });
    await receiver.waitFor(3);
    const req3 = receiver.requests[2]!;
    expect(req3.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(acceptedBy(third, req3)).toEqual({ standard: true, svix: true, hookline: true });
    expect(acceptedBy(first, req3).standard).toBe(false);
    expect(acceptedBy(second, req3).svix).toBe(false);

    // What the log keeps: signatures masked (one per signature), secret-looking custom headers masked.
    const firstEventDeliveries = (
      await db().prisma.delivery.findMany({ where: { eventId: e1.event_id }, select: { id: true } })
    ).map((d) => d.id);
    const attempt = await eventually(() =>
      findFirstAttempt({ notDeliveryIds: firstEventDeliveries, endpointId: endpoint.id }),
    );
    const stored = attempt.requestHeaders as Record<string, string>;
    expect(stored["webhook-signature"]).toBe("v1,*** v1,***");
    expect(stored["authorization"]).toBe("***");
    expect(stored["x-tenant"]).toBe("acme");
    expect(JSON.stringify(await findAttempts())).not.toContain(second.slice(6));
  });

  it("a retry carries the same webhook-id and a fresh timestamp and signature", async () => {
    const app = await createTestApp();
    const local = await startReceiver((_req, res, i) => {
      res.statusCode = i === 0 ? 500 : 204;
      res.end();
    });
    try {
      const { secret } = await createTestEndpoint(app, { url: local.url });
      await triggerEvent(app, { event_name: "a", payload: {} });
      await local.waitFor(2);
      const [a, b] = local.requests as [ReceivedRequest, ReceivedRequest];
      expect(a.headers["webhook-id"]).toBe(b.headers["webhook-id"]);
      expect(a.body).toBe(b.body);
      expect(Number(b.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(
        Number(a.headers["webhook-timestamp"]),
      );
      expect(acceptedBy(secret, a).standard && acceptedBy(secret, b).standard).toBe(true);
    } finally {
      await local.close();
    }
  });
});
