import { describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { buildWebhookHeaders, signatureHeader, signPayload } from "@/lib/delivery/sign";
import { generateSigningSecret } from "@/lib/crypto/secrets";

const SPEC = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("signPayload", () => {
  it("matches the Standard Webhooks spec vector", () => {
    expect(signPayload(SPEC)).toBe(SPEC.signature);
    expect(signPayload({ ...SPEC, body: Buffer.from(SPEC.body) })).toBe(SPEC.signature);
  });

  it("changes with any signed input", () => {
    expect(signPayload({ ...SPEC, body: '{"test": 2432232315}' })).not.toBe(SPEC.signature);
    expect(signPayload({ ...SPEC, msgId: "msg_other" })).not.toBe(SPEC.signature);
    expect(signPayload({ ...SPEC, timestamp: SPEC.timestamp + 1 })).not.toBe(SPEC.signature);
  });

  it("rejects a non-integer timestamp", () => {
    expect(() => signPayload({ ...SPEC, timestamp: 1614265330.5 })).toThrow(/timestamp/);
  });
});

describe("signatureHeader", () => {
  it("lists one signature per secret, space-separated", () => {
    const other = generateSigningSecret();
    const header = signatureHeader([SPEC.secret, other], SPEC.msgId, SPEC.timestamp, SPEC.body);
    const [first, second, ...rest] = header.split(" ");
    expect(first).toBe(SPEC.signature);
    expect(second).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(rest).toEqual([]);
    expect(() => signatureHeader([], SPEC.msgId, SPEC.timestamp, SPEC.body)).toThrow();
  });
});

describe("buildWebhookHeaders", () => {
  it("puts custom headers first and never lets them override Hookline's", () => {
    const headers = buildWebhookHeaders({
      msgId: SPEC.msgId,
      timestamp: SPEC.timestamp,
      body: SPEC.body,
      secrets: [SPEC.secret],
      customHeaders: {
        "X-Tenant": "acme",
        "Webhook-Signature": "v1,forged",
        "CONTENT-TYPE": "text/plain",
        "User-Agent": "evil",
        "Content-Length": "1",
        Host: "elsewhere",
      },
    });
    expect(headers).toEqual({
      "x-tenant": "acme",
      "content-type": "application/json",
      "user-agent": "Hookline/1.0",
      "webhook-id": SPEC.msgId,
      "webhook-timestamp": "1614265330",
      "webhook-signature": SPEC.signature,
    });
    expect(Object.keys(headers)[0]).toBe("x-tenant");
  });

  it("adds the svix-* names with the same values when asked, and reserves them from custom headers", () => {
    const input = {
      msgId: SPEC.msgId,
      timestamp: SPEC.timestamp,
      body: SPEC.body,
      secrets: [SPEC.secret],
      customHeaders: { "Svix-Id": "forged", "x-tenant": "acme" },
    };
    expect(buildWebhookHeaders({ ...input, svixHeaders: true })).toEqual({
      "x-tenant": "acme",
      "content-type": "application/json",
      "user-agent": "Hookline/1.0",
      "svix-id": SPEC.msgId,
      "svix-timestamp": "1614265330",
      "svix-signature": SPEC.signature,
      "webhook-id": SPEC.msgId,
      "webhook-timestamp": "1614265330",
      "webhook-signature": SPEC.signature,
    });
    expect(Object.keys(buildWebhookHeaders(input)).filter((h) => h.startsWith("svix-"))).toEqual(
      [],
    );
  });

  describe.each([
    ["standardwebhooks", (secret: string) => new StandardWebhook(secret)],
    ["svix", (secret: string) => new SvixWebhook(secret)],
  ])("is accepted by the stock %s verifier", (_name, makeVerifier) => {
    const body = JSON.stringify({
      type: "invoice.paid",
      data: { id: "inv_1", amount: 4200, note: "ünïcødé" },
    });
    const build = (secrets: string[]) =>
      buildWebhookHeaders({
        msgId: "msg_2abc",
        timestamp: Math.floor(Date.now() / 1000),
        body,
        secrets,
        customHeaders: { "x-extra": "1" },
      });

    it("with one secret", () => {
      const secret = generateSigningSecret();
      // svix 2.x's verify returns nothing, standardwebhooks' the payload: not throwing is the check.
      expect(() => makeVerifier(secret).verify(body, build([secret]))).not.toThrow();
      expect(() => makeVerifier(generateSigningSecret()).verify(body, build([secret]))).toThrow();
    });

    it("with two secrets (rotation), given either one", () => {
      const oldSecret = generateSigningSecret();
      const newSecret = generateSigningSecret();
      const headers = build([newSecret, oldSecret]);
      expect(() => makeVerifier(oldSecret).verify(body, headers)).not.toThrow();
      expect(() => makeVerifier(newSecret).verify(body, headers)).not.toThrow();
      expect(() => makeVerifier(oldSecret).verify(body + " ", headers)).toThrow();
    });
  });
});
