/**
 * Portal session lifetime on an injected clock: the idle expiry, the sliding refresh that moves
 * it, and the 24 h cap from the ticket exchange that no activity moves.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import {
  needsRefresh,
  readPortalSession,
  sessionCookies,
  type PortalSession,
} from "@/lib/sessions/portal-session";

const IDLE_SECONDS = 3600;
const DAY = 24 * 3600;
const saved = {
  secret: process.env.HOOKLINE_SECRET,
  ttl: process.env.HOOKLINE_SESSION_TTL_SECONDS,
};

beforeAll(() => {
  process.env.HOOKLINE_SECRET = "portal-session-test-secret-0123456789-abcdefghij";
  process.env.HOOKLINE_SESSION_TTL_SECONDS = String(IDLE_SECONDS);
  resetConfigForTests();
});
afterAll(() => {
  for (const [name, value] of [
    ["HOOKLINE_SECRET", saved.secret],
    ["HOOKLINE_SESSION_TTL_SECONDS", saved.ttl],
  ] as const)
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  resetConfigForTests();
});

// The seal itself carries iron-session's own 24 h ttl on the real clock: seal near now.
const EXCHANGED_AT = Math.floor(Date.now() / 1000);

function session(lastSeenAt = EXCHANGED_AT): PortalSession {
  return {
    sid: "ses_lifetime",
    appId: "app_lifetime",
    csrf: "csrf",
    issuedAt: EXCHANGED_AT,
    lastSeenAt,
  };
}

async function requestCarrying(s: PortalSession): Promise<Request> {
  const cookies = await sessionCookies(s, new Request("http://127.0.0.1/portal"));
  return new Request("http://127.0.0.1/portal", {
    headers: { cookie: cookies.map((c) => c.split(";")[0]).join("; ") },
  });
}

const sidAt = async (s: PortalSession, nowSeconds: number) =>
  (await readPortalSession(await requestCarrying(s), { nowSeconds }))?.sid ?? null;

describe("portal session lifetime", () => {
  it("ends after the idle lifetime without activity", async () => {
    expect(await sidAt(session(), EXCHANGED_AT)).toBe("ses_lifetime");
    expect(await sidAt(session(), EXCHANGED_AT + IDLE_SECONDS - 1)).toBe("ses_lifetime");
    expect(await sidAt(session(), EXCHANGED_AT + IDLE_SECONDS)).toBeNull();
  });

  it("slides its expiry with activity, re-sealing at most once a minute", async () => {
    expect(needsRefresh(session(), EXCHANGED_AT + 59)).toBe(false);
    expect(needsRefresh(session(), EXCHANGED_AT + 60)).toBe(true);
    const refreshed = session(EXCHANGED_AT + IDLE_SECONDS - 10);
    expect(needsRefresh(refreshed, EXCHANGED_AT + IDLE_SECONDS)).toBe(false);
    // Past the first expiry, still alive: the refresh moved it.
    expect(await sidAt(refreshed, EXCHANGED_AT + IDLE_SECONDS + 100)).toBe("ses_lifetime");
    expect(await sidAt(refreshed, EXCHANGED_AT + 2 * IDLE_SECONDS - 10)).toBeNull();
  });

  it("ends 24 h after the exchange however active it stays", async () => {
    const active = session(EXCHANGED_AT + DAY - 30);
    expect(await sidAt(active, EXCHANGED_AT + DAY - 1)).toBe("ses_lifetime");
    expect(await sidAt(active, EXCHANGED_AT + DAY)).toBeNull();
  });
});
