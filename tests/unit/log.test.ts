import { describe, expect, it } from "vitest";
import { redact } from "@/lib/log";

describe("redact", () => {
  it("masks secret-named fields and secret-looking values at any depth", () => {
    const out = redact({
      authorization: "Bearer hk_abcdefghijklmnop",
      headers: { "x-api-key": "zzz", "webhook-signature": "v1,abc" },
      message:
        "created key hk_abcdefghijklmnopqrstuvwxyz and secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      nested: [{ ticket: "tkt_1234567890" }],
      status: 200,
    });
    const text = JSON.stringify(out);
    expect(text).not.toMatch(/hk_abcdefghijklmnop|whsec_MfKQ|tkt_1234567890|zzz|v1,abc/);
    expect(out).toMatchObject({
      authorization: "***",
      status: 200,
      headers: { "x-api-key": "***" },
    });
  });
});
