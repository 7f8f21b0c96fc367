/**
 * The portal's frame-ancestors for a request with a session cookie: the app's embed origins,
 * cleaned, cached for a few seconds (so an edit shows up after the cache, not at once), capped
 * over all apps for the page with no app, and `'self'` alone when the database fails.
 */
import pg from "pg";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { createTestApp } from "../helpers/delivery-fixtures";
import { frameAncestorsFor } from "@/lib/portal/frame-policy";
import { sessionCookies } from "@/lib/sessions/portal-session";
import type { App } from "@/generated/prisma/client";

const db = useTestDatabase();

afterEach(() => {
  vi.useRealTimers();
});

async function portalRequestFor(app: App): Promise<Request> {
  const t = Math.floor(Date.now() / 1000);
  const session = { sid: "ses_frame", appId: app.id, csrf: "c", issuedAt: t, lastSeenAt: t };
  const cookies = await sessionCookies(session, new Request("http://127.0.0.1/portal"));
  return new Request("http://127.0.0.1/portal", {
    headers: { cookie: cookies.map((c) => c.split(";")[0]).join("; ") },
  });
}

async function appWithOrigins(embedOrigins: string[]): Promise<App> {
  const app = await createTestApp();
  // Straight to the row: older rows may hold what today's API would refuse.
  return db().prisma.app.update({ where: { id: app.id }, data: { embedOrigins } });
}

describe("frame policy", () => {
  it("cleans the app's origins: trailing slashes off, duplicates once, non-origins dropped", async () => {
    const app = await appWithOrigins([
      "https://shop.example/",
      "https://shop.example",
      "https://admin.example:8443",
      "https://slash.example//",
      "http://[::1]:3000",
      "javascript:alert(1)",
      "https://shop.example/path",
      "https://evil.example 'unsafe-inline'",
    ]);
    expect(await frameAncestorsFor(await portalRequestFor(app))).toEqual([
      "'self'",
      "https://shop.example",
      "https://admin.example:8443",
      "https://slash.example",
      "http://[::1]:3000",
    ]);
  });

  it("serves an app's origins from its cache until the cache ends, then the edited ones", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const app = await appWithOrigins(["https://before.example"]);
    const req = await portalRequestFor(app);
    expect(await frameAncestorsFor(req)).toEqual(["'self'", "https://before.example"]);
    await db().prisma.app.update({
      where: { id: app.id },
      data: { embedOrigins: ["https://after.example"] },
    });
    vi.advanceTimersByTime(4_999);
    expect(await frameAncestorsFor(req)).toEqual(["'self'", "https://before.example"]);
    vi.advanceTimersByTime(1);
    expect(await frameAncestorsFor(req)).toEqual(["'self'", "https://after.example"]);
  });

  it("states no other app's origins on the page with no app, however many apps allow framing", async () => {
    const noApp = new Request("http://127.0.0.1/portal");
    const origins = Array.from({ length: 200 }, (_, i) => `https://host-${i}.example`);
    const first = await appWithOrigins(origins.slice(0, 100));
    await appWithOrigins(origins.slice(100));
    expect(await frameAncestorsFor(noApp)).toEqual(["'self'"]);
    // The same origins are stated once the page knows its app (its own hundred only).
    const own = await frameAncestorsFor(await portalRequestFor(first));
    expect(own).toEqual(["'self'", ...origins.slice(0, 100)]);
  });

  it("falls back to 'self' alone when the database does not answer", async () => {
    const app = await appWithOrigins(["https://locked.example"]);
    const req = await portalRequestFor(app);
    // Another session holds the apps table: the policy's query hits its statement timeout.
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE apps IN ACCESS EXCLUSIVE MODE");
      expect(await frameAncestorsFor(req)).toEqual(["'self'"]);
    } finally {
      await blocker.query("ROLLBACK");
      await blocker.end();
    }
    // Nothing was cached from the failure: the origins come back with the database.
    expect(await frameAncestorsFor(req)).toEqual(["'self'", "https://locked.example"]);
  });
});
