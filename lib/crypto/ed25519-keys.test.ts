import { createPublicKey, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ed25519PublicKeyOf,
  generateEd25519KeyPair,
  parseEd25519PublicKey,
  parseEd25519SigningKey,
} from "@/lib/crypto/ed25519-keys";
import { buildWebhookHeaders, signatureHeader, signPayloadEd25519 } from "@/lib/delivery/sign";

// RFC 8032, section 7.1, TEST 1 (empty message).
const RFC = {
  seed: Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex"),
  publicKey: Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex"),
  signature: Buffer.from(
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    "hex",
  ),
};
const rfcSigningKey = "whsk_" + Buffer.concat([RFC.seed, RFC.publicKey]).toString("base64");
const rfcPublicKey = "whpk_" + RFC.publicKey.toString("base64");

describe("Ed25519 key formats", () => {
  it("generates whsk_ = base64(seed ‖ public key) and whpk_ = base64(public key), a matching pair", () => {
    const pair = generateEd25519KeyPair();
    expect(pair.signingKey).toMatch(/^whsk_[A-Za-z0-9+/]{86}==$/);
    expect(pair.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const raw = Buffer.from(pair.signingKey.slice(5), "base64");
    expect(raw).toHaveLength(64);
    expect(raw.subarray(32).equals(Buffer.from(pair.publicKey.slice(5), "base64"))).toBe(true);
    expect(ed25519PublicKeyOf(pair.signingKey)).toBe(pair.publicKey);
    const data = Buffer.from("msg.1.{}");
    expect(
      verify(
        null,
        data,
        parseEd25519PublicKey(pair.publicKey),
        sign(null, data, parseEd25519SigningKey(pair.signingKey)),
      ),
    ).toBe(true);
    expect(generateEd25519KeyPair().publicKey).not.toBe(pair.publicKey);
  });

  it("reads the RFC 8032 key in both whsk_ forms (64-byte Svix, 32-byte seed) and signs its test vector", () => {
    const seedOnly = "whsk_" + RFC.seed.toString("base64");
    for (const key of [rfcSigningKey, seedOnly]) {
      expect(sign(null, Buffer.alloc(0), parseEd25519SigningKey(key)).equals(RFC.signature)).toBe(
        true,
      );
      expect(ed25519PublicKeyOf(key)).toBe(rfcPublicKey);
    }
    expect(verify(null, Buffer.alloc(0), parseEd25519PublicKey(rfcPublicKey), RFC.signature)).toBe(
      true,
    );
    // A receiver can import the 32 bytes after whpk_ as a JWK (docs/receivers.md does).
    const jwk = createPublicKey({
      key: { kty: "OKP", crv: "Ed25519", x: RFC.publicKey.toString("base64url") },
      format: "jwk",
    });
    expect(verify(null, Buffer.alloc(0), jwk, RFC.signature)).toBe(true);
    expect(
      parseEd25519PublicKey(rfcPublicKey)
        .export({ format: "der", type: "spki" })
        .subarray(-32)
        .equals(RFC.publicKey),
    ).toBe(true);
  });

  it("refuses malformed keys", () => {
    const otherPublic = generateEd25519KeyPair().publicKey.slice(5);
    const spliced =
      "whsk_" + Buffer.concat([RFC.seed, Buffer.from(otherPublic, "base64")]).toString("base64");
    expect(() => parseEd25519SigningKey(spliced)).toThrow(/does not belong/);
    expect(() => parseEd25519SigningKey(rfcSigningKey.replace("whsk_", "whsec_"))).toThrow(/whsk_/);
    expect(() => parseEd25519SigningKey("whsk_" + Buffer.alloc(48).toString("base64"))).toThrow(
      /32 or 64 bytes/,
    );
    expect(() => parseEd25519SigningKey("whsk_not*base64")).toThrow(/base64/);
    expect(() => parseEd25519PublicKey(rfcPublicKey.replace("whpk_", "whsk_"))).toThrow(/whpk_/);
    expect(() => parseEd25519PublicKey("whpk_" + Buffer.alloc(31).toString("base64"))).toThrow(
      /32 bytes/,
    );
    expect(() =>
      parseEd25519PublicKey("whpk_" + Buffer.concat([RFC.seed, RFC.publicKey]).toString("base64")),
    ).toThrow(/32 bytes/);
  });
});

describe("v1a signatures", () => {
  const input = {
    msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
  };
  const key = parseEd25519SigningKey(rfcSigningKey);

  it("sign '{id}.{timestamp}.{body}' with Ed25519, deterministic, the same for string and Buffer bodies", () => {
    const signature = signPayloadEd25519({ key, ...input });
    expect(signature).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(signPayloadEd25519({ key, ...input, body: Buffer.from(input.body) })).toBe(signature);
    const raw = Buffer.from(signature.slice(4), "base64");
    const signed = Buffer.from(`${input.msgId}.${input.timestamp}.${input.body}`);
    expect(verify(null, signed, parseEd25519PublicKey(rfcPublicKey), raw)).toBe(true);
    expect(
      verify(
        null,
        Buffer.from(`${input.msgId}.${input.timestamp + 1}.${input.body}`),
        parseEd25519PublicKey(rfcPublicKey),
        raw,
      ),
    ).toBe(false);
  });

  it("come after the v1 signatures in one header; either kind alone is enough", () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const other = parseEd25519SigningKey(generateEd25519KeyPair().signingKey);
    const header = signatureHeader([secret], input.msgId, input.timestamp, input.body, [
      key,
      other,
    ]);
    const parts = header.split(" ");
    expect(parts.map((p) => p.split(",")[0])).toEqual(["v1", "v1a", "v1a"]);
    expect(parts[0]).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(signatureHeader([], input.msgId, input.timestamp, input.body, [key])).toBe(parts[1]);
    expect(() => signatureHeader([], input.msgId, input.timestamp, input.body, [])).toThrow();
    const headers = buildWebhookHeaders({ ...input, secrets: [], ed25519Keys: [key] });
    expect(headers["webhook-signature"]).toBe(parts[1]);
  });
});
