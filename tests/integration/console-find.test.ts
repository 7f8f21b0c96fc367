/**
 * The console's "find anything across apps": each kind of search finds the delivery in
 * whichever app it is, and only what matches.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, createTestEndpoint, triggerAndFanOut } from "../helpers/delivery-fixtures";
import { findAcrossApps, type FindKind } from "@/lib/console/find";

const db = useTestDatabase();

let target: { eventId: string; deliveryId: string; appSlug: string };

beforeAll(async () => {
  const a = await createTestApp("app_find_a");
  const b = await createTestApp("app_find_b");
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
