import { describe, expect, it } from "vitest";
import {
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from "@/lib/verify";
import { buildWebhookHeaders } from "@/lib/delivery/sign";
import { generateSigningSecret } from "@/lib/crypto/secrets";
import { generateEd25519KeyPair, parseEd25519SigningKey } from "@/lib/crypto/ed25519-keys";

const secret = generateSigningSecret();
const now = new Date("2025-01-01T12:00:00Z");
const nowSeconds = Math.floor(now.getTime() / 1000);
const body = '{"type":"order.created","data":{"id":1}}';

function signed(opts: { secrets?: string[]; timestamp?: number } = {}) {
  return buildWebhookHeaders({
    msgId: "msg_1",
    timestamp: opts.timestamp ?? nowSeconds,
    body,
    secrets: opts.secrets ?? [secret],
  });
}

function reasonOf(fn: () => unknown): WebhookVerificationReason | "no error" {
  try {
    fn();
    return "no error";
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe("verifyWebhook", () => {
  it("accepts a good request and returns id and timestamp", () => {
    expect(verifyWebhook(secret, signed(), body, { now })).toEqual({
      id: "msg_1",
      timestamp: nowSeconds,
    });
    expect(verifyWebhook(secret, signed(), Buffer.from(body), { now })).toEqual({
      id: "msg_1",
      timestamp: nowSeconds,
    });
  });

  it("works with a fetch Headers object and any header case", () => {
    expect(verifyWebhook(secret, new Headers(signed()), body, { now }).id).toBe("msg_1");
    const upper = Object.fromEntries(
      Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), v]),
    );
    expect(verifyWebhook(secret, upper, body, { now }).id).toBe("msg_1");
  });

  it("accepts svix-* header names", () => {
    const h = signed();
    const svixHeaders = {
      "svix-id": h["webhook-id"],
      "svix-timestamp": h["webhook-timestamp"],
      "svix-signature": h["webhook-signature"],
    };
    expect(verifyWebhook(secret, svixHeaders, body, { now }).id).toBe("msg_1");
  });

  it("rejects a tampered body", () => {
    expect(reasonOf(() => verifyWebhook(secret, signed(), body.replace("1", "2"), { now }))).toBe(
      "no_matching_signature",
    );
  });

  it("rejects the wrong secret", () => {
    expect(reasonOf(() => verifyWebhook(generateSigningSecret(), signed(), body, { now }))).toBe(
      "no_matching_signature",
    );
  });

  it("rejects a tampered id or timestamp", () => {
    expect(
      reasonOf(() => verifyWebhook(secret, { ...signed(), "webhook-id": "msg_2" }, body, { now })),
    ).toBe("no_matching_signature");
    const shifted = { ...signed(), "webhook-timestamp": String(nowSeconds - 1) };
    expect(reasonOf(() => verifyWebhook(secret, shifted, body, { now }))).toBe(
      "no_matching_signature",
    );
  });

  it("rejects stale and future timestamps, honouring the tolerance", () => {
    expect(
      reasonOf(() => verifyWebhook(secret, signed({ timestamp: nowSeconds - 301 }), body, { now })),
    ).toBe("timestamp_too_old");
    expect(
      reasonOf(() => verifyWebhook(secret, signed({ timestamp: nowSeconds + 301 }), body, { now })),
    ).toBe("timestamp_in_future");
    expect(
      reasonOf(() => verifyWebhook(secret, signed({ timestamp: nowSeconds - 300 }), body, { now })),
    ).toBe("no error");
    const old = signed({ timestamp: nowSeconds - 3600 });
    expect(verifyWebhook(secret, old, body, { now, toleranceSeconds: 7200 }).timestamp).toBe(
      nowSeconds - 3600,
    );
  });

  it("rejects a timestamp that is not whole seconds", () => {
    for (const bad of ["abc", "1e9", "-5", "12.5", ""]) {
      const headers = { ...signed(), "webhook-timestamp": bad };
      expect(reasonOf(() => verifyWebhook(secret, headers, body, { now }))).toBe(
        bad === "" ? "missing_headers" : "invalid_timestamp",
      );
    }
  });

  it("accepts any one of several signatures, and any one of several secrets", () => {
    const other = generateSigningSecret();
    const rotating = signed({ secrets: [other, secret] });
    expect(rotating["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(verifyWebhook(secret, rotating, body, { now }).id).toBe("msg_1");
    expect(verifyWebhook(other, rotating, body, { now }).id).toBe("msg_1");
    expect(verifyWebhook([generateSigningSecret(), secret], signed(), body, { now }).id).toBe(
      "msg_1",
    );
    const withJunk = {
      ...signed(),
      "webhook-signature": `v2,xyz v1,bm9wZQ== ${signed()["webhook-signature"]}`,
    };
    expect(verifyWebhook(secret, withJunk, body, { now }).id).toBe("msg_1");
  });

  it("rejects missing headers", () => {
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      const headers: Record<string, string | undefined> = { ...signed(), [name]: undefined };
      expect(reasonOf(() => verifyWebhook(secret, headers, body, { now }))).toBe("missing_headers");
    }
    expect(reasonOf(() => verifyWebhook(secret, {}, body, { now }))).toBe("missing_headers");
  });

  it("throws a real Error subclass", () => {
    try {
      verifyWebhook(secret, {}, body, { now });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect(error).toBeInstanceOf(WebhookVerificationError);
      expect((error as Error).name).toBe("WebhookVerificationError");
    }
  });
});

describe("verifyWebhook with Ed25519 public keys (v1a)", () => {
  const pair = generateEd25519KeyPair();
  const other = generateEd25519KeyPair();
  const v1aHeaders = (keys: string[], secrets: string[] = []) =>
    buildWebhookHeaders({
      msgId: "msg_1",
      timestamp: nowSeconds,
      body,
      secrets,
      ed25519Keys: keys.map(parseEd25519SigningKey),
    });

  it("accepts a v1a signature under the whpk_ key, alone or among others, and in a list with whsec_ secrets", () => {
    expect(verifyWebhook(pair.publicKey, v1aHeaders([pair.signingKey]), body, { now }).id).toBe(
      "msg_1",
    );
    expect(
      verifyWebhook(
        pair.publicKey,
        v1aHeaders([other.signingKey, pair.signingKey]),
        Buffer.from(body),
        { now },
      ).id,
    ).toBe("msg_1");
    expect(
      verifyWebhook([secret, pair.publicKey], v1aHeaders([pair.signingKey]), body, { now }).id,
    ).toBe("msg_1");
    expect(
      verifyWebhook([other.publicKey, secret], v1aHeaders([pair.signingKey], [secret]), body, {
        now,
      }).id,
    ).toBe("msg_1");
  });

  it("refuses another key, a tampered body, and a v1 signature offered to a public key", () => {
    expect(
      reasonOf(() => verifyWebhook(other.publicKey, v1aHeaders([pair.signingKey]), body, { now })),
    ).toBe("no_matching_signature");
    expect(
      reasonOf(() =>
        verifyWebhook(pair.publicKey, v1aHeaders([pair.signingKey]), body.replace("1", "2"), {
          now,
        }),
      ),
    ).toBe("no_matching_signature");
    expect(reasonOf(() => verifyWebhook(pair.publicKey, signed(), body, { now }))).toBe(
      "no_matching_signature",
    );
    // A v1a entry never passes an HMAC check, even with the secret.
    expect(
      reasonOf(() => verifyWebhook(secret, v1aHeaders([pair.signingKey]), body, { now })),
    ).toBe("no_matching_signature");
  });
});
