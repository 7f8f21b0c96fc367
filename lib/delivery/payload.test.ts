import { describe, expect, it } from "vitest";
import { buildDeliveryBody, maskRequestHeaders } from "@/lib/delivery/payload";

describe("delivery payload", () => {
  it("wraps the payload as { type, timestamp, data }", () => {
    const body = buildDeliveryBody({
      eventName: "invoice.paid",
      eventCreatedAt: new Date("2026-01-02T03:04:05.678Z"),
      payload: { a: 1 },
    });
    expect(body).toBe(
      '{"type":"invoice.paid","timestamp":"2026-01-02T03:04:05.678Z","data":{"a":1}}',
    );
  });

  it("masks signatures one by one and secret-looking custom headers", () => {
    expect(
      maskRequestHeaders({
        "webhook-signature": "v1,abc= v1,def=",
        "webhook-id": "dlv_1",
        authorization: "Bearer x",
        "x-api-key": "k",
        "x-tenant": "acme",
      }),
    ).toEqual({
      "webhook-signature": "v1,*** v1,***",
      "webhook-id": "dlv_1",
      authorization: "***",
      "x-api-key": "***",
      "x-tenant": "acme",
    });
  });
});
