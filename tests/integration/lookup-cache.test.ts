/**
 * The API key / app / event type caches (lib/cache/lookup-cache.ts): served only while this
 * process hears invalidations, and dropped by any writer's change — another connection here
 * stands for the CLI or a second server.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp, eventually } from "../helpers/delivery-fixtures";
import { authenticateApiKey, createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { getAppBySlugOrId } from "@/lib/apps/get-app";
import { startCacheInvalidation, CACHE_INVALIDATION_CHANNEL } from "@/lib/cache/lookup-cache";
import type { ChannelListener } from "@/lib/db/listen-channel";
import { poolConfigFromUrl } from "@/lib/db/url";
import { triggerEvent } from "@/lib/events/trigger-event";
import { ApiError } from "@/lib/http/errors";

const db = useTestDatabase();
let listener: ChannelListener;
let other: pg.Client;

beforeAll(async () => {
  listener = startCacheInvalidation();
  await eventually(
    async () => (listener.listening ? true : undefined),
    10_000,
    "the invalidation listener",
  );
  other = new pg.Client(poolConfigFromUrl(db().url));
  await other.connect();
});

afterAll(async () => {
  await listener.stop();
  await other.end();
});

async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

/** A change the triggers do not announce (replica mode skips them): only a cache would hide it. */
async function silently(sql: string, params: unknown[]): Promise<void> {
  await other.query("SET session_replication_role = replica");
  try {
    await other.query(sql, params);
  } finally {
    await other.query("SET session_replication_role = origin");
  }
}

const bearer = (key: string) => `Bearer ${key}`;

/** A key recently used: authenticating it writes no last_used_at (whose change would invalidate the cache). */
async function recentlyUsedKey(name: string) {
  const created = await createApiKey({ name }, "test");
  await silently("UPDATE api_keys SET last_used_at = now() WHERE id = $1", [created.apiKey.id]);
  return created;
}

/**
 * Caches the key, then revokes it in the database without announcing it, and sees the cache still
 * answer 200. The key's creation is announced too, and that notification may land after the first
 * lookup cached it (clearing it, as it must): so un-revoke, look up, revoke and ask again until
 * the cache answers.
 */
async function revokeUnannouncedWhileCached(
  created: Awaited<ReturnType<typeof recentlyUsedKey>>,
): Promise<void> {
  await eventually(
    async () => {
      await silently("UPDATE api_keys SET revoked_at = NULL WHERE id = $1", [created.apiKey.id]);
      await authenticateApiKey(bearer(created.key));
      await silently("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [created.apiKey.id]);
      return (await statusOf(authenticateApiKey(bearer(created.key)))) === 200 ? true : undefined;
    },
    5_000,
    "the revoked key served from the cache",
  );
}

describe("lookup caches", () => {
  it("serve a looked-up key from memory until an invalidation arrives", async () => {
    const created = await recentlyUsedKey("cached");
    const { key } = created;
    await revokeUnannouncedWhileCached(created);
    await other.query("SELECT pg_notify($1, 'api_keys')", [CACHE_INVALIDATION_CHANNEL]);
    await eventually(
      async () => ((await statusOf(authenticateApiKey(bearer(key)))) === 401 ? true : undefined),
      5_000,
      "the revocation",
    );
  });

  it("see a revocation by another process (the CLI) once its commit is announced", async () => {
    const { apiKey, key } = await createApiKey({ name: "revoked elsewhere" }, "test");
    await authenticateApiKey(bearer(key));
    await other.query("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [apiKey.id]);
    await eventually(
      async () => ((await statusOf(authenticateApiKey(bearer(key)))) === 401 ? true : undefined),
      5_000,
      "the revocation",
    );
  });

  it("see a revocation in this process at once", async () => {
    const { apiKey, key } = await createApiKey({ name: "revoked here" }, "test");
    await authenticateApiKey(bearer(key));
    await revokeApiKey(apiKey.id, "test");
    expect(await statusOf(authenticateApiKey(bearer(key)))).toBe(401);
  });

  it("do not keep unknown keys or apps (a later one works at once)", async () => {
    expect(await statusOf(getAppBySlugOrId("not-yet"))).toBe(404);
    const app = await createTestApp("not-yet");
    expect((await getAppBySlugOrId("not-yet")).id).toBe(app.id);
  });

  it("follow an app renamed and made strict by another process", async () => {
    const app = await createTestApp();
    await getAppBySlugOrId(app.slug);
    await triggerEvent(await getAppBySlugOrId(app.slug), { event_name: "order.paid", payload: {} });
    await other.query("UPDATE apps SET slug = $2, strict_catalog = true WHERE id = $1", [
      app.id,
      `${app.slug}-renamed`,
    ]);
    await eventually(
      async () => ((await statusOf(getAppBySlugOrId(app.slug))) === 404 ? true : undefined),
      5_000,
      "the rename",
    );
    const renamed = await getAppBySlugOrId(`${app.slug}-renamed`);
    expect(renamed.strictCatalog).toBe(true);
    expect(await statusOf(triggerEvent(renamed, { event_name: "order.paid", payload: {} }))).toBe(
      422,
    );
  });

  it("apply an event type's schema added by another process after its absence was cached", async () => {
    const app = await createTestApp();
    const bad = { event_name: "invoice.paid", payload: { amount: "lots" } };
    await triggerEvent(app, bad); // no such type: anything goes, and that answer is cached
    await other.query(
      `INSERT INTO event_types (id, app_id, name, schema, archived, created_at, updated_at)
       VALUES ('evt_cachetest', $1, 'invoice.paid', $2, false, now(), now())`,
      [app.id, JSON.stringify({ type: "object", properties: { amount: { type: "integer" } } })],
    );
    await eventually(
      async () => ((await statusOf(triggerEvent(app, bad))) === 422 ? true : undefined),
      5_000,
      "the schema",
    );
  });

  it("are bypassed while the listener is down, and serve again once it is back", async () => {
    const { apiKey, key } = await recentlyUsedKey("listener down");
    await authenticateApiKey(bearer(key));
    await listener.stop();
    await silently("UPDATE api_keys SET revoked_at = now() WHERE id = $1", [apiKey.id]);
    expect(await statusOf(authenticateApiKey(bearer(key)))).toBe(401);

    listener = startCacheInvalidation();
    await eventually(
      async () => (listener.listening ? true : undefined),
      10_000,
      "the listener back",
    );
    const fresh = await recentlyUsedKey("after");
    await revokeUnannouncedWhileCached(fresh);
  });
});
