import { describe, expect, it } from "vitest";
import { buildDeliveryBody, envelopeBody, maskRequestHeaders } from "@/lib/delivery/payload";
import { payloadTextOf } from "@/lib/events/payload-text";

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

  it("embeds the stored payload text as is, integer-like keys where they were", () => {
    const payloadText = '{"zeta":1,"10":"ten","a":{"y":2,"b":3}}';
    const at = new Date("2026-01-02T03:04:05.678Z");
    const body = envelopeBody({ eventName: 'say "hi"', eventCreatedAt: at, payloadText });
    expect(body).toBe(
      `{"type":"say \\"hi\\"","timestamp":"2026-01-02T03:04:05.678Z","data":${payloadText}}`,
    );
    // Where an object would say the same, the bytes are those of the object's envelope.
    const payload = { zeta: 1, a: { y: 2, b: 3 } };
    expect(
      envelopeBody({ eventName: "x", eventCreatedAt: at, payloadText: JSON.stringify(payload) }),
    ).toBe(buildDeliveryBody({ eventName: "x", eventCreatedAt: at, payload }));
  });

  it("reads an event stored before payload_text from its jsonb, as deliveries always serialized it", () => {
    expect(payloadTextOf({ payloadText: '{"b":1,"a":2}', payload: { a: 2, b: 1 } })).toBe(
      '{"b":1,"a":2}',
    );
    expect(payloadTextOf({ payloadText: null, payload: { a: 2, b: 1 } })).toBe('{"a":2,"b":1}');
    expect(payloadTextOf({ payloadText: null, payload: null })).toBeNull();
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
