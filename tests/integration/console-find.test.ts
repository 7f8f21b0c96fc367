/**
 * The console's "find anything across apps": each kind of search finds the delivery in
 * whichever app it is, and only what matches.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "@/generated/prisma/client";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, triggerAndFanOut } from "../helpers/delivery-fixtures";
import {
  findAcrossApps,
  MATCHING_ENDPOINTS_LIMIT,
  MATCHING_EVENTS_LIMIT,
  type FindKind,
} from "@/lib/console/find";

const db = useTestDatabase();

let target: { eventId: string; deliveryId: string; appSlug: string };
let app: App;

beforeAll(async () => {
  const a = await createTestApp("app_find_a");
  const b = await createTestApp("app_find_b");
  // Events nobody received (an app without endpoints), written first and newest, with the
  // payloads searched for: 600 with the customer searched for (more than a search looking at
  // 500 events would see past), and more than MATCHING_EVENTS_LIMIT of a "bulk" one.
  const quiet = await createTestApp("app_find_quiet");
  await db().pool.query(
    `INSERT INTO events (id, app_id, name, payload, created_at)
     SELECT 'msg_quiet_' || i, $1, 'order.paid',
            CASE WHEN i <= 600 THEN '{"customer": {"id": "cus_b"}}' ELSE '{"bulk": true}' END::jsonb,
            now() + interval '1 hour'
       FROM generate_series(1, $2::int) i`,
    [quiet.id, 600 + MATCHING_EVENTS_LIMIT + 1],
  );
  app = a;
  await createTestEndpoint(a, { url: "https://a.example/hooks" });
  await createTestEndpoint(b, { url: "https://b.example/special-receiver" });
  await triggerAndFanOut(a, { event_name: "order.paid", payload: { customer: { id: "cus_a" } } });
  const sent = await triggerAndFanOut(
    b,
    { event_name: "order.paid", payload: { customer: { id: "cus_b" }, amount: 5 } },
    "idem-find-b",
  );
  const delivery = await db().prisma.delivery.findFirstOrThrow({
    where: { eventId: sent.event_id },
  });
  target = { eventId: sent.event_id, deliveryId: delivery.id, appSlug: b.slug };
});

describe("find across apps", () => {
  const cases: [FindKind, () => string][] = [
    ["delivery_id", () => target.deliveryId],
    ["event_id", () => target.eventId],
    ["idempotency_key", () => "idem-find-b"],
    ["endpoint_url", () => "special-rec"],
    ["payload", () => 'customer.id = "cus_b"'],
  ];
  for (const [kind, q] of cases)
    it(`finds the one delivery by ${kind}`, async () => {
      const { data } = await findAcrossApps({ kind, q: q() });
      expect(data.map((d) => d.id)).toEqual([target.deliveryId]);
      expect(data[0]).toMatchObject({
        app_slug: target.appSlug,
        event_id: target.eventId,
        endpoint_url: "https://b.example/special-receiver",
      });
    });

  it("finds the delivered events among many matching payloads that were never delivered", async () => {
    // More than MATCHING_EVENTS_LIMIT match: the walk of each app's newest events.
    const sent = await triggerAndFanOut(app, {
      event_name: "order.paid",
      payload: { bulk: true },
    });
    const { data } = await findAcrossApps({ kind: "payload", q: "bulk = true" });
    expect(data.map((d) => d.event_id)).toEqual([sent.event_id]);
  });

  it("finds by endpoint URL in every app whose endpoint matches, newest first", async () => {
    const { data } = await findAcrossApps({ kind: "endpoint_url", q: ".example/" });
    expect(new Set(data.map((d) => d.app_slug)).size).toBe(2);
    const times = data.map((d) => d.created_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(MATCHING_ENDPOINTS_LIMIT).toBeGreaterThan(2);
  });

  it("finds nothing that does not match, and names a wrong payload condition", async () => {
    expect((await findAcrossApps({ kind: "event_id", q: "msg_nope" })).data).toEqual([]);
    expect((await findAcrossApps({ kind: "endpoint_url", q: "%" })).data).toEqual([]);
    expect((await findAcrossApps({ kind: "payload", q: "amount > 1" })).data).toHaveLength(1);
    await expect(findAcrossApps({ kind: "payload", q: "customer.id = " })).rejects.toMatchObject({
      code: "invalid_parameter",
      details: { fields: [{ field: "q" }] },
    });
  });
});
