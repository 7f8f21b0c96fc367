import { describe, expect, it } from "vitest";
import { forbiddenHeaderReason } from "@/lib/endpoints/custom-headers";
import {
  createEndpointRequest,
  rotateEndpointSecretRequest,
  rotateSecretRequest,
  updateEndpointRequest,
} from "@/lib/endpoints/schemas";

describe("subscription spellings", () => {
  it("folds subscriptions / events / subscribed_events into one list and remembers the spelling", () => {
    expect(
      createEndpointRequest.parse({ url: "https://x", events: ["a", "a", "b.*"] }),
    ).toMatchObject({
      subscriptions: ["a", "b.*"],
      subscriptionsField: "events",
    });
    expect(
      createEndpointRequest.parse({ url: "https://x", subscribed_events: ["a"] })
        .subscriptionsField,
    ).toBe("subscribed_events");
    const none = createEndpointRequest.parse({ url: "https://x" });
    expect(none.subscriptions).toBeUndefined();
    expect("events" in none).toBe(false);
  });

  it("accepts several spellings only when they agree (as sets)", () => {
    expect(
      createEndpointRequest.safeParse({
        url: "https://x",
        events: ["a", "b"],
        subscriptions: ["b", "a"],
      }).success,
    ).toBe(true);
    const clash = createEndpointRequest.safeParse({
      url: "https://x",
      events: ["a"],
      subscriptions: ["b"],
    });
    expect(clash.success).toBe(false);
    expect(clash.error?.issues[0]?.path).toEqual(["events"]);
  });

  it("requires at least one field on update", () => {
    expect(updateEndpointRequest.safeParse({}).success).toBe(false);
    expect(updateEndpointRequest.parse({ is_active: false })).toMatchObject({
      is_active: false,
      subscriptions: undefined,
    });
  });
});

describe("rotation options", () => {
  it("maps expire_previous to a zero grace and leaves the default to the secret store", () => {
    expect(rotateSecretRequest.parse({})).toEqual({ graceSeconds: undefined });
    expect(rotateSecretRequest.parse({ expire_previous: true })).toEqual({ graceSeconds: 0 });
    expect(rotateSecretRequest.parse({ expire_previous: false, grace_period_seconds: 30 })).toEqual(
      { graceSeconds: 30 },
    );
    expect(rotateSecretRequest.parse({ expire_previous: true, grace_period_seconds: 0 })).toEqual({
      graceSeconds: 0,
    });
    expect(
      rotateSecretRequest.safeParse({ expire_previous: true, grace_period_seconds: 5 }).success,
    ).toBe(false);
  });
});

describe("caller-supplied secrets", () => {
  const key = (bytes: number) => Buffer.alloc(bytes, 7).toString("base64");

  it("accepts whsec_ + base64 of 24-64 bytes, with or without the prefix, answered with it", () => {
    expect(
      createEndpointRequest.parse({ url: "https://x", secret: `whsec_${key(24)}` }).secret,
    ).toBe(`whsec_${key(24)}`);
    expect(createEndpointRequest.parse({ url: "https://x", secret: key(64) }).secret).toBe(
      `whsec_${key(64)}`,
    );
    expect(rotateEndpointSecretRequest.parse({ secret: `whsec_${key(32)}` })).toEqual({
      graceSeconds: undefined,
      secret: `whsec_${key(32)}`,
    });
  });

  it.each([`whsec_${key(23)}`, `whsec_${key(65)}`, "whsec_not base64!", "", "whsec_"])(
    "refuses %j naming secret",
    (secret) => {
      for (const schema of [
        createEndpointRequest.safeParse({ url: "https://x", secret }),
        rotateEndpointSecretRequest.safeParse({ secret }),
      ]) {
        expect(schema.success).toBe(false);
        expect(schema.error?.issues[0]?.path).toEqual(["secret"]);
      }
    },
  );

  it("is not accepted by the app-wide rotation (one secret for every endpoint)", () => {
    expect(rotateSecretRequest.safeParse({ secret: `whsec_${key(24)}` }).success).toBe(false);
  });
});

describe("forbiddenHeaderReason", () => {
  it.each([
    "Connection",
    "keep-alive",
    "TRANSFER-ENCODING",
    "te",
    "Trailer",
    "upgrade",
    "Proxy-Authorization",
    "proxy-connection",
    "Host",
    "content-length",
    "Expect",
  ])("refuses hop-by-hop %s", (name) => expect(forbiddenHeaderReason(name)).toMatch(/hop-by-hop/));
  it.each([
    "webhook-id",
    "Webhook-Signature",
    "webhook-timestamp",
    "svix-id",
    "Content-Type",
    "user-agent",
  ])("refuses Hookline's own %s", (name) =>
    expect(forbiddenHeaderReason(name)).toMatch(/set by Hookline/),
  );
  it.each(["Authorization", "X-Tenant", "X-Webhook-Source", "Accept", "Tenacity"])(
    "allows %s",
    (name) => expect(forbiddenHeaderReason(name)).toBeNull(),
  );
});
