import { describe, expect, it } from "vitest";
import {
  decodeSigningSecret,
  decryptSecret,
  encryptSecret,
  generateSigningSecret,
  hashToken,
  randomToken,
  safeEqual,
} from "@/lib/crypto/secrets";

const MASTER = "test-master-secret-with-plenty-of-entropy-0123456789";

describe("signing secrets", () => {
  it("generates whsec_ + base64 of 24 random bytes", () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(24);
    expect(decodeSigningSecret(secret)).toHaveLength(24);
    expect(generateSigningSecret()).not.toBe(secret);
  });

  it("decodes with or without the prefix", () => {
    const key = decodeSigningSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    expect(key.equals(decodeSigningSecret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))).toBe(true);
    expect(key).toHaveLength(24);
  });

  it.each(["whsec_", "whsec_not base64!", "whsec_abc", "whsec_" + "A".repeat(200)])(
    "rejects malformed secret %j",
    (secret) => {
      expect(() => decodeSigningSecret(secret)).toThrow(/Malformed signing secret/);
    },
  );
});

describe("encryptSecret / decryptSecret", () => {
  it("round-trips and uses a fresh IV each time", () => {
    const plaintext = generateSigningSecret();
    const a = encryptSecret(plaintext, MASTER);
    const b = encryptSecret(plaintext, MASTER);
    expect(a).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(plaintext);
    expect(decryptSecret(a, MASTER)).toBe(plaintext);
    expect(decryptSecret(b, MASTER)).toBe(plaintext);
  });

  it("round-trips non-ASCII and empty strings", () => {
    for (const plaintext of ["", "ünïcødé ✓"]) {
      expect(decryptSecret(encryptSecret(plaintext, MASTER), MASTER)).toBe(plaintext);
    }
  });

  it("fails with the wrong master secret", () => {
    const ciphertext = encryptSecret("whsec_abc", MASTER);
    expect(() => decryptSecret(ciphertext, MASTER + "x")).toThrow(
      /wrong master secret or .*tampered/,
    );
  });

  it("fails when any part was tampered with", () => {
    const ciphertext = encryptSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", MASTER);
    const parts = ciphertext.split(".");
    for (const index of [1, 2, 3]) {
      const tampered = [...parts];
      const bytes = Buffer.from(tampered[index]!, "base64url");
      bytes[0] = bytes[0]! ^ 0x01;
      tampered[index] = bytes.toString("base64url");
      expect(() => decryptSecret(tampered.join("."), MASTER)).toThrow(/tampered/);
    }
  });

  it("rejects malformed input clearly", () => {
    expect(() => decryptSecret("nonsense", MASTER)).toThrow(/Malformed encrypted secret/);
    expect(() => decryptSecret("v2.a.b.c", MASTER)).toThrow(/Malformed encrypted secret/);
    expect(() => decryptSecret("v1.AAAA.AAAA.AAAA", MASTER)).toThrow(/Malformed encrypted secret/);
    expect(() => encryptSecret("x", "")).toThrow(/Master secret/);
  });
});

describe("tokens", () => {
  it("hashToken is sha256 hex", () => {
    expect(hashToken("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("randomToken is prefix + base64url", () => {
    const token = randomToken("hk_live_");
    expect(token).toMatch(/^hk_live_[\w-]{43}$/);
    expect(randomToken("t_", 16)).toMatch(/^t_[\w-]{22}$/);
    expect(randomToken("hk_live_")).not.toBe(token);
  });

  it("safeEqual compares strings of any length", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("", "a")).toBe(false);
  });
});
