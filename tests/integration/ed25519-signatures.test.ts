/**
 * Ed25519 (Standard Webhooks `v1a`) signatures from a receiver's side. The API is called over
 * HTTP through the SDK (tests/helpers/route-server.ts), the embedded driver delivers to a real
 * receiver on 127.0.0.1, and every `v1a` check runs the code block of docs/receivers.md itself,
 * so the documentation cannot drift from what Hookline sends. `v1` keeps passing the stock
 * `standardwebhooks` and `svix` verifiers; `v1a` is also checked with @noble/ed25519, an
 * independent pure-JS implementation (no npm Standard Webhooks verifier reads `v1a` yet).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as noble from "@noble/ed25519";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { findAttempts, findFirstAttempt } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver, type ReceivedRequest } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { eventually } from "../helpers/delivery-fixtures";
import { createApiKey } from "@/lib/auth/api-keys";
import { requireSecret } from "@/lib/config";
import { ed25519PublicKeyOf } from "@/lib/crypto/ed25519-keys";
import { decryptSecret } from "@/lib/crypto/secrets";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { HooklineClient, HooklineError } from "@/lib/sdk";
import { createEndpoint } from "@/lib/endpoints/create-endpoint";
import { createEndpointRequest } from "@/lib/endpoints/schemas";
import { ensureAppSigningKeys } from "@/lib/endpoints/ed25519-signing-keys";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_RETRY_SCHEDULE: "1",
});
const ROOT = path.resolve(import.meta.dirname, "..", "..");

type DocVerifier = (
  publicKey: string,
  headers: Record<string, string | undefined>,
  rawBody: string | Buffer,
) => unknown;

/** The first js block under the node:crypto v1a heading of docs/receivers.md, imported as a module. */
async function loadDocVerifier(): Promise<DocVerifier> {
  const doc = fs.readFileSync(path.join(ROOT, "docs", "receivers.md"), "utf8");
  const section = doc.split("### Ed25519 (`v1a`) with node:crypto only")[1];
  const code = section && /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("docs/receivers.md lost its node:crypto v1a code block");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-v1a-"));
  const file = path.join(dir, "verify-v1a.mjs");
  fs.writeFileSync(file, code);
  try {
    const mod = (await import(pathToFileURL(file).href)) as { verifyV1a?: DocVerifier };
    if (typeof mod.verifyV1a !== "function")
      throw new Error("the doc's code block no longer exports verifyV1a");
    return mod.verifyV1a;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let verifyV1a: DocVerifier;
let server: RouteServer;
let client: HooklineClient;
let receiver: Receiver;
let driver: EmbeddedDriver;

beforeAll(async () => {
  verifyV1a = await loadDocVerifier();
  server = await startRouteServer();
  client = new HooklineClient({
    apiKey: (await createApiKey({ name: "ed25519" }, "test")).key,
    baseUrl: server.url,
  });
  receiver = await startReceiver();
  driver = startEmbeddedDriver({ pollIntervalMs: 200, replays: false });
});
afterAll(async () => {
  await driver?.stop();
  await receiver?.close();
  await server?.close();
});

const signaturesOf = (req: ReceivedRequest) => req.headers["webhook-signature"]!.split(" ");
const versionsOf = (req: ReceivedRequest) => signaturesOf(req).map((s) => s.split(",")[0]);

function passes(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}
const docAccepts = (publicKey: string, req: ReceivedRequest) =>
  passes(() => verifyV1a(publicKey, req.headers, req.body));
function stockAccepts(secret: string, req: ReceivedRequest) {
  const headers = {
    "webhook-id": req.headers["webhook-id"]!,
    "webhook-timestamp": req.headers["webhook-timestamp"]!,
    "webhook-signature": req.headers["webhook-signature"]!,
  };
  return {
    standard: passes(() => new StandardWebhook(secret).verify(req.body, headers)),
    svix: passes(() => new SvixWebhook(secret).verify(req.body, headers)),
  };
}
/** Any v1a entry verifies under `publicKey` with @noble/ed25519 (raw 32-byte key, RFC 8032). */
async function nobleAccepts(publicKey: string, req: ReceivedRequest): Promise<boolean> {
  const signed = new TextEncoder().encode(
    `${req.headers["webhook-id"]}.${req.headers["webhook-timestamp"]}.${req.body}`,
  );
  const key = Buffer.from(publicKey.slice("whpk_".length), "base64");
  for (const entry of signaturesOf(req)) {
    const [version, signature] = entry.split(",");
    if (
      version === "v1a" &&
      (await noble.verifyAsync(Buffer.from(signature!, "base64"), signed, key))
    )
      return true;
  }
  return false;
}

let slugCount = 0;
async function newApp(signatureScheme?: "hmac" | "ed25519" | "both") {
  const slug = `ed-${++slugCount}-${Math.random().toString(36).slice(2, 6)}`;
  return client.webhooks.createWebhookApp({
    name: slug,
    slug,
    ...(signatureScheme && { signature_scheme: signatureScheme }),
  });
}

/** Triggers an event for the app and returns the request the receiver got for it. */
async function deliver(slug: string, payload: Record<string, unknown>): Promise<ReceivedRequest> {
  const before = receiver.requests.length;
  const marker = `m_${Math.random().toString(36).slice(2)}`;
  await client.webhooks.triggerWebhook(slug, {
    event_name: "invoice.paid",
    payload: { ...payload, marker },
  });
  await receiver.waitFor(before + 1);
  return eventually(
    async () => receiver.requests.find((r) => r.body.includes(marker)),
    20_000,
    "the delivery",
  );
}

describe("ed25519 endpoints", () => {
  it("sign v1a only, which verifies with node:crypto exactly as docs/receivers.md shows; the API shows the whpk_ key, never the whsk_", async () => {
    const app = await newApp();
    expect(app.signature_scheme).toBe("hmac");
    const ep = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: receiver.url,
      events: ["invoice.paid"],
      signature_scheme: "ed25519",
    });
    expect(ep).toMatchObject({
      signature_scheme: "ed25519",
      effective_signature_scheme: "ed25519",
    });
    expect(ep.public_key).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(ep.public_keys).toEqual([
      { public_key: ep.public_key, created_at: expect.any(String), expires_at: null },
    ]);
    expect((await client.webhooks.getWebhookEndpoint(app.slug, ep.id)).public_key).toBe(
      ep.public_key,
    );
    expect((await client.webhooks.listWebhookEndpoints(app.slug)).data[0]).toMatchObject({
      id: ep.id,
      public_key: ep.public_key,
    });

    // At rest: the signing key is encrypted like the whsec_ secret and belongs to the shown public key.
    const row = await db().prisma.endpointSecret.findFirstOrThrow({
      where: { endpointId: ep.id, kind: "ed25519" },
    });
    expect(row.secretEncrypted).not.toContain("whsk_");
    const signingKey = decryptSecret(row.secretEncrypted, requireSecret());
    expect(signingKey).toMatch(/^whsk_/);
    expect(ed25519PublicKeyOf(signingKey)).toBe(ep.public_key);

    const req = await deliver(app.slug, { amount: 5000 });
    expect(versionsOf(req)).toEqual(["v1a"]);
    expect(verifyV1a(ep.public_key!, req.headers, req.body)).toMatchObject({
      type: "invoice.paid",
      data: { amount: 5000 },
    });
    expect(await nobleAccepts(ep.public_key!, req)).toBe(true);
    // Only v1a: the whsec_ secret verifies nothing; a tampered body or another key fails.
    expect(stockAccepts(ep.secret, req)).toEqual({ standard: false, svix: false });
    expect(docAccepts(ep.public_key!, { ...req, body: req.body.replace("5000", "5001") })).toBe(
      false,
    );
    const other = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: "https://elsewhere.example.com/h",
      events: ["x.y"],
      signature_scheme: "both",
    });
    expect(other.public_key).not.toBe(ep.public_key);
    expect(docAccepts(other.public_key!, req)).toBe(false);

    // The test send signs the same way; the log masks signatures, keeping their versions.
    const test = await client.webhooks.testWebhookEndpoint(app.slug, ep.id, {});
    expect(test.success).toBe(true);
    const testReq = await eventually(async () =>
      receiver.requests.find((r) => r.headers["webhook-id"] === test.delivery_id),
    );
    expect(docAccepts(ep.public_key!, testReq)).toBe(true);
    const attempt = await eventually(() =>
      findFirstAttempt({ deliveryId: req.headers["webhook-id"] }),
    );
    expect((attempt.requestHeaders as Record<string, string>)["webhook-signature"]).toBe("v1a,***");

    const everything = JSON.stringify([
      ep,
      other,
      await client.webhooks.listWebhookEndpoints(app.slug),
      await findAttempts({ endpointId: ep.id }),
    ]);
    expect(everything).not.toContain("whsk_");
    expect(everything).not.toContain(signingKey.slice(5, 40));
  });

  it("both: one header with v1 (stock standardwebhooks and svix verify it) and v1a (node:crypto verifies it); the app's scheme is the default", async () => {
    const app = await newApp();
    const ep = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: receiver.url,
      events: ["invoice.paid"],
    });
    expect(ep).toMatchObject({
      signature_scheme: null,
      effective_signature_scheme: "hmac",
      public_key: null,
      public_keys: [],
    });
    const hmacOnly = await deliver(app.slug, { n: 1 });
    expect(versionsOf(hmacOnly)).toEqual(["v1"]);

    // Switching the app gives its inheriting endpoints a key pair in the same transaction.
    expect(
      await client.webhooks.updateWebhookApp(app.slug, { signature_scheme: "both" }),
    ).toMatchObject({ signature_scheme: "both" });
    const inherited = await client.webhooks.getWebhookEndpoint(app.slug, ep.id);
    expect(inherited).toMatchObject({ signature_scheme: null, effective_signature_scheme: "both" });
    expect(inherited.public_key).toMatch(/^whpk_/);

    const req = await deliver(app.slug, { n: 2 });
    expect(versionsOf(req)).toEqual(["v1", "v1a"]);
    expect(stockAccepts(ep.secret, req)).toEqual({ standard: true, svix: true });
    expect(docAccepts(inherited.public_key!, req)).toBe(true);
    expect(await nobleAccepts(inherited.public_key!, req)).toBe(true);

    // The endpoint's own choice wins; its key is kept while it signs with HMAC, and comes back unchanged.
    const hmac = await client.webhooks.updateWebhookEndpoint(app.slug, ep.id, {
      signature_scheme: "hmac",
    });
    expect(hmac).toMatchObject({
      signature_scheme: "hmac",
      effective_signature_scheme: "hmac",
      public_key: inherited.public_key,
    });
    expect(versionsOf(await deliver(app.slug, { n: 3 }))).toEqual(["v1"]);
    const back = await client.webhooks.updateWebhookEndpoint(app.slug, ep.id, {
      signature_scheme: null,
    });
    expect(back).toMatchObject({
      signature_scheme: null,
      effective_signature_scheme: "both",
      public_key: inherited.public_key,
    });
    expect(
      await db().prisma.endpointSecret.count({ where: { endpointId: ep.id, kind: "ed25519" } }),
    ).toBe(1);

    // A new endpoint of an app whose default is ed25519 gets its key at creation.
    await client.webhooks.updateWebhookApp(app.slug, { signature_scheme: "ed25519" });
    const created = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: "https://new.example.com/h",
    });
    expect(created).toMatchObject({
      signature_scheme: null,
      effective_signature_scheme: "ed25519",
      public_key: expect.stringMatching(/^whpk_/),
    });
  });

  it("rotation: during the grace both keys sign (the old public key still verifies); after it only the new one", async () => {
    const app = await newApp("ed25519");
    const ep = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: receiver.url,
      events: ["invoice.paid"],
    });
    const first = ep.public_key!;
    expect(first).toMatch(/^whpk_/);

    const rotated = await client.webhooks.rotateWebhookEndpointSecret(app.slug, ep.id, {
      grace_period_seconds: 3600,
    });
    const second = rotated.public_key!;
    expect(second).toMatch(/^whpk_/);
    expect(second).not.toBe(first);
    const during = await client.webhooks.getWebhookEndpoint(app.slug, ep.id);
    expect(during.public_key).toBe(second);
    expect(during.public_keys.map((k) => [k.public_key, k.expires_at === null])).toEqual([
      [second, true],
      [first, false],
    ]);
    expect(Date.parse(during.public_keys[1]!.expires_at!)).toBeGreaterThan(Date.now() + 3500_000);

    const req = await deliver(app.slug, { n: 1 });
    expect(versionsOf(req)).toEqual(["v1a", "v1a"]);
    expect(docAccepts(second, req)).toBe(true);
    expect(docAccepts(first, req)).toBe(true);

    // A short grace really ends: the key rotated out now stops signing once it has passed.
    const third = (
      await client.webhooks.rotateWebhookEndpointSecret(app.slug, ep.id, {
        grace_period_seconds: 1,
      })
    ).public_key!;
    await eventually(
      async () => {
        const keys = (await client.webhooks.getWebhookEndpoint(app.slug, ep.id)).public_keys;
        return keys.length === 1 ? keys : undefined;
      },
      10_000,
      "the grace period to end",
    );
    const after = await deliver(app.slug, { n: 2 });
    expect(versionsOf(after)).toEqual(["v1a"]);
    expect(docAccepts(third, after)).toBe(true);
    expect(docAccepts(second, after)).toBe(false);
    expect(docAccepts(first, after)).toBe(false);

    // expire_previous: at once.
    const fourth = (
      await client.webhooks.rotateWebhookEndpointSecret(app.slug, ep.id, { expire_previous: true })
    ).public_key!;
    const now = await deliver(app.slug, { n: 3 });
    expect(versionsOf(now)).toEqual(["v1a"]);
    expect(docAccepts(fourth, now)).toBe(true);
    expect(docAccepts(third, now)).toBe(false);

    // An HMAC-only endpoint has no key to rotate.
    const plain = await client.webhooks.createWebhookEndpoint(app.slug, {
      url: "https://plain.example.com/h",
      signature_scheme: "hmac",
    });
    expect(
      (await client.webhooks.rotateWebhookEndpointSecret(app.slug, plain.id, {})).public_key,
    ).toBeNull();
  });

  it("an endpoint created while its app switches to ed25519 still gets a key (the create waits for the switch)", async () => {
    const created = await newApp();
    const app = await db().prisma.app.findUniqueOrThrow({ where: { id: created.id } });
    let creating: Promise<unknown> | undefined;
    await db().prisma.$transaction(async (tx) => {
      await tx.app.update({ where: { id: app.id }, data: { signatureScheme: "ed25519" } });
      expect(await ensureAppSigningKeys(tx, app.id, "ed25519")).toBe(0);
      // The switch has given keys to the endpoints it saw and is about to commit: an endpoint
      // created now (with the app object saying hmac, as a cached one would) must wait for it.
      creating = createEndpoint(
        app,
        createEndpointRequest.parse({ url: "https://racing.example.com/h" }),
        "test",
      );
      // Until it is waiting on this transaction's lock.
      await eventually(
        async () => {
          const { rows } = await db().pool.query<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
          );
          return rows[0]!.n > 0 ? true : undefined;
        },
        10_000,
        "the endpoint creation to wait for the switch",
      );
    });
    const { endpoint } = (await creating) as { endpoint: { id: string } };
    expect(
      await db().prisma.endpointSecret.count({
        where: { endpointId: endpoint.id, kind: "ed25519", expiresAt: null },
      }),
    ).toBe(1);
    expect(
      (await client.webhooks.getWebhookEndpoint(created.slug, endpoint.id)).public_key,
    ).toMatch(/^whpk_/);
  });

  it("the OpenAPI document describes the scheme and the public keys (never a private key)", async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- walking a JSON document
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as any;
    const responseOf = (p: string, method: string, status: string) =>
      doc.paths[p][method].responses[status].content["application/json"].schema;
    const endpoint = responseOf("/api/v1/apps/{slug}/endpoints/{id}", "get", "200");
    expect(endpoint.properties.signature_scheme.anyOf).toEqual([
      { type: "string", enum: ["hmac", "ed25519", "both"] },
      { type: "null" },
    ]);
    expect(endpoint.properties.effective_signature_scheme.enum).toEqual([
      "hmac",
      "ed25519",
      "both",
    ]);
    expect(endpoint.properties.public_key.type).toEqual(["string", "null"]);
    expect(Object.keys(endpoint.properties.public_keys.items.properties).sort()).toEqual([
      "created_at",
      "expires_at",
      "public_key",
    ]);
    expect(endpoint.required).toEqual(
      expect.arrayContaining([
        "signature_scheme",
        "effective_signature_scheme",
        "public_key",
        "public_keys",
      ]),
    );
    expect(
      responseOf("/api/v1/apps/{slug}/endpoints/{id}/rotate-secret", "post", "200").properties
        .public_key,
    ).toMatchObject({ type: ["string", "null"] });
    expect(
      responseOf("/api/v1/apps/{slug}", "get", "200").properties.signature_scheme.enum,
    ).toEqual(["hmac", "ed25519", "both"]);
    const createBody =
      doc.paths["/api/v1/apps/{slug}/endpoints"].post.requestBody.content["application/json"]
        .schema;
    expect(createBody.properties.signature_scheme).toMatchObject({
      anyOf: [{ type: "string", enum: ["hmac", "ed25519", "both"] }, { type: "null" }],
    });
    expect(JSON.stringify(doc)).not.toMatch(/"(private_key|signing_key)"/);
  });

  it("refuses an unknown scheme with 422 naming the field, writing nothing", async () => {
    const app = await newApp();
    const before = await db().prisma.endpoint.count();
    const attempts: (() => Promise<unknown>)[] = [
      () =>
        client.webhooks.createWebhookEndpoint(app.slug, {
          url: "https://x.example.com/h",
          signature_scheme: "rsa" as never,
        }),
      () => client.webhooks.updateWebhookApp(app.slug, { signature_scheme: "v1a" as never }),
      () =>
        client.webhooks.createWebhookApp({
          name: "n",
          slug: `bad-${slugCount}`,
          signature_scheme: "HMAC" as never,
        }),
    ];
    for (const attempt of attempts) {
      const err = await attempt().then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(HooklineError);
      expect((err as HooklineError).status).toBe(422);
      expect(JSON.stringify((err as HooklineError).details)).toContain(
        '"field":"signature_scheme"',
      );
    }
    expect(await db().prisma.endpoint.count()).toBe(before);
    expect((await client.webhooks.getWebhookApp(app.slug)).signature_scheme).toBe("hmac");
  });
});
