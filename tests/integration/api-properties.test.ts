/**
 * Issue 13: a property-based (fast-check) sweep of every route under /api/v1 (the seed-004
 * `/webhooks` surface included), /api/frontend/webhook and the ticket exchange, over real HTTP
 * on 127.0.0.1 with valid credentials. Generated JSON bodies, query strings, headers and path
 * parameters must never get a 5xx, every error must be the envelope, and /api/health must keep
 * answering within 1 s. Bounded: HOOKLINE_PROPERTY_RUNS cases (default 4,000), one at a time.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { fanOutNow } from "../helpers/delivery-fixtures";
import { startReceiver, type Receiver } from "../helpers/receiver";
import { findRouteFiles, startRouteServer, type RouteServer } from "../helpers/route-server";
import { createApiKey } from "@/lib/auth/api-keys";
import { svixRoutes } from "@/lib/svix/routes";
import fs from "node:fs";
import path from "node:path";

// A configured public URL: portal links (app-portal-access) are part of what is fuzzed.
useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_PUBLIC_URL: "https://hooks.example.com",
});
const RUNS = Number(process.env.HOOKLINE_PROPERTY_RUNS ?? 4_000);
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
const SLUG = "props";

let server: RouteServer;
let receiver: Receiver;
let key: string;
const fixture = {
  appId: "",
  endpointId: "",
  deliveryId: "",
  replayId: "",
  eventType: "order.created",
  cookie: "",
  csrf: "",
  svixAppId: "",
  svixEndpointId: "",
};

async function call(
  method: string,
  url: string,
  init: { body?: string; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${server.url}${url}`, {
    method,
    body: init.body,
    headers: init.headers,
    redirect: "manual",
  });
  const text = await res.text();
  return { status: res.status, text, headers: res.headers };
}
async function json(
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await call(method, url, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
  });
  expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
  return JSON.parse(res.text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function openPortalSession(): Promise<void> {
  const { ticket } = await json("POST", "/api/v1/session/tickets", {
    ticket_type: "webhook_app_access",
    webhook_app_slug: SLUG,
  });
  const res = await call("POST", "/api/session/ticket/exchange", {
    body: JSON.stringify({ ticket }),
    headers: { "content-type": "application/json" },
  });
  fixture.cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  fixture.csrf = (JSON.parse(res.text) as { csrf_token: string }).csrf_token;
}

beforeAll(async () => {
  server = await startRouteServer({ under: "" });
  receiver = await startReceiver();
  key = (await createApiKey({ name: "properties" }, "test")).key;
  fixture.appId = (
    await json("POST", "/api/v1/apps", {
      slug: SLUG,
      name: "Properties",
      embed_origins: ["https://product.example"],
    })
  ).id;
  fixture.endpointId = (
    await json("POST", `/api/v1/apps/${SLUG}/endpoints`, {
      url: `${receiver.url}/hook`,
      events: ["*"],
    })
  ).id;
  await json("POST", `/api/v1/apps/${SLUG}/event-types`, {
    name: fixture.eventType,
    schema: { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } },
  });
  await json("POST", `/api/v1/apps/${SLUG}/events`, {
    event_name: fixture.eventType,
    payload: { s: "aaa" },
  });
  await fanOutNow(); // no job driver runs here: fan out by hand
  fixture.deliveryId = (await json("GET", `/api/v1/apps/${SLUG}/deliveries`)).data[0].id;
  fixture.replayId = (
    await json("POST", `/api/v1/apps/${SLUG}/replays`, { delivery_ids: [fixture.deliveryId] })
  ).id;
  await openPortalSession();
  // The Svix-compatible surface's fixtures, through it.
  fixture.svixAppId = (
    await json("POST", "/api/v1/app", { name: "Svix props", uid: "props-uid" })
  ).id;
  fixture.svixEndpointId = (
    await json("POST", `/api/v1/app/props-uid/endpoint`, {
      url: `${receiver.url}/svix`,
      uid: "props-ep",
    })
  ).id;
  await json("POST", "/api/v1/event-type", { name: "svix.props", description: "d" });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

// --- Generators -------------------------------------------------------------------------------

/** Strings that have broken things before, mixed with arbitrary ones. */
const nasty = fc.constantFrom(
  "",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udc00x",
  "héllo🚀",
  "0000-01-01",
  "9999-12-31T23:59:59-01:00",
  "2026-02-30",
  "-1",
  "1e309",
  "https://example.com\\@127.0.0.1/",
  "https://example.com:0/",
  "http://127.0.0.1:1/x",
  "^(a+)+$",
  "*",
  "a".repeat(5_000),
  "ep_x",
  "msg_x",
  "ticket",
);
const anyString = fc.oneof(
  nasty,
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ maxLength: 12 }),
);
// Deep nesting is spliced into the body text (a deep value would overflow fast-check's own printing).
const deep = fc.integer({ min: 100, max: 6_000 }).map((n) => `<<deep:${n}>>`);
const withDeep = (text: string) =>
  text.replace(
    /"<<deep:(\d+)>>"/g,
    (_, n: string) => `${"[".repeat(Number(n))}${"]".repeat(Number(n))}`,
  );
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyString },
  { weight: 2, arbitrary: fc.tuple(anyString, nasty, anyString).map((parts) => parts.join("")) },
  {
    weight: 1,
    arbitrary: fc.dictionary(anyString, fc.oneof(anyString, fc.integer()), { maxKeys: 3 }),
  },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.array(anyString, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(anyString, anyString, { maxKeys: 3 }) },
  { weight: 1, arbitrary: deep },
);

/** Field names the API knows (so generated bodies get past "unknown field" into the domain code). */
const FIELDS = [
  "url",
  "description",
  "headers",
  "events",
  "subscriptions",
  "subscribed_events",
  "name",
  "slug",
  "schema",
  "example",
  "event_name",
  "payload",
  "ticket",
  "ticket_type",
  "webhook_app_slug",
  "expires_in",
  "delivery_ids",
  "start_date",
  "end_date",
  "status",
  "is_active",
  "active",
  "max_retries",
  "timeout_seconds",
  "rate_limit",
  "channels",
  "embed_origins",
  "branding",
  "archived",
  "dry_run",
  "expire_previous",
  "strict_catalog",
  "event_type",
  "data",
  "uid",
  "metadata",
  "eventTypes",
  "filterTypes",
  "throttleRate",
  "rateLimit",
  "disabled",
  "secret",
  "key",
  "schemas",
  "deprecated",
  "groupName",
];
const fieldName = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...FIELDS) },
  { weight: 1, arbitrary: anyString },
);
/**
 * Valid bodies per route (by its path below /api, methods alike), so that a mutation of one or
 * two fields reaches the domain code and the database rather than stopping at "unknown field".
 */
function templates(): Record<string, Record<string, unknown>> {
  const endpoint = {
    url: `${receiver.url}/hook`,
    events: ["*"],
    description: "d",
    headers: { "X-A": "1" },
  };
  return {
    "v1/apps": { slug: "s", name: "N", description: "d", embed_origins: ["https://a.example"] },
    "v1/apps/[slug]": { name: "N", description: "d" },
    "v1/apps/[slug]/endpoints": endpoint,
    "v1/apps/[slug]/endpoints/[id]": { description: "d", url: `${receiver.url}/hook` },
    "v1/apps/[slug]/endpoints/[id]/test": { event_type: fixture.eventType },
    "v1/apps/[slug]/webhooks": { url: `${receiver.url}/hook`, events: ["order.created"] },
    "v1/apps/[slug]/webhooks/[id]": { url: `${receiver.url}/hook`, events: ["order.created"] },
    "v1/apps/[slug]/event-types": { name: "x.y", description: "d", schema: { type: "object" } },
    "v1/apps/[slug]/event-types/[name]": { description: "d" },
    "v1/apps/[slug]/events": { event_name: fixture.eventType, payload: { s: "aaa" } },
    "v1/apps/[slug]/replays": { start_date: "2026-01-01", end_date: "2026-01-02" },
    "v1/session/tickets": { ticket_type: "webhook_app_access", webhook_app_slug: SLUG },
    "frontend/webhook/endpoints": endpoint,
    "frontend/webhook/endpoints/[id]": { description: "d" },
    "frontend/webhook/deliveries/replay": { delivery_ids: [fixture.deliveryId] },
    "session/ticket/exchange": { ticket: "tkt_x" },
    "v1/app": { name: "N", uid: "u", metadata: { a: "b" }, throttleRate: 5 },
    "v1/app/[app_id]": { name: "N", metadata: { a: "b" } },
    "v1/app/[app_id]/endpoint": {
      url: `${receiver.url}/svix`,
      eventTypes: ["svix.props"],
      channels: ["c"],
    },
    "v1/app/[app_id]/endpoint/[endpoint_id]": {
      url: `${receiver.url}/svix`,
      description: "d",
      disabled: false,
    },
    "v1/app/[app_id]/endpoint/[endpoint_id]/headers": {
      headers: { "X-A": "1" },
      deleteHeaders: ["X-B"],
    },
    "v1/app/[app_id]/endpoint/[endpoint_id]/secret/rotate": {
      key: "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
      gracePeriodSeconds: 0,
    },
    "v1/app/[app_id]/endpoint/[endpoint_id]/recover": { since: "2026-12-01T00:00:00Z" },
    "v1/app/[app_id]/endpoint/[endpoint_id]/send-example": { eventType: "svix.props" },
    "v1/event-type": { name: "x.y", description: "d", schemas: { "1": { type: "object" } } },
    "v1/event-type/[event_type_name]": { description: "d", deprecated: true },
    "v1/auth/app/[app_id]/expire-all": { expiry: 0 },
  };
}
let unique = 0;
const templated = (route: string) =>
  fc
    .array(
      fc.tuple(
        fc.nat(),
        fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fieldName }),
        anyValue,
      ),
      { minLength: 1, maxLength: 2 },
    )
    .map((overrides) => {
      const base = { ...(templates()[route] ?? {}) } as Record<string, unknown>;
      // Names that must be new each time (app slugs, event type names).
      if (base.slug === "s") base.slug = `s-${++unique}`;
      if (base.name === "x.y") base.name = `x.y${++unique}`;
      // Mostly mutate a field the route knows; sometimes add another.
      const keys = Object.keys(base);
      for (const [index, extra, value] of overrides)
        base[extra ?? keys[index % Math.max(1, keys.length)] ?? "x"] = value;
      return withDeep(JSON.stringify(base));
    });
const bodyFor = (route: string) =>
  fc.oneof({ weight: 6, arbitrary: templated(route) }, { weight: 2, arbitrary: body });
const body = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .dictionary(fieldName, anyValue, { maxKeys: 5 })
      .map((o) => withDeep(JSON.stringify(o))),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

const QUERY_KEYS = [
  "limit",
  "cursor",
  "offset",
  "start_date",
  "end_date",
  "endpoint_id",
  "event_name",
  "status",
  "fields",
  "granularity",
  "period",
  "include_archived",
  "channel",
  "iterator",
  "order",
  "get_if_exists",
  "with_content",
  "since",
  "until",
];
const query = fc
  .array(
    fc.tuple(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...QUERY_KEYS) },
        { weight: 1, arbitrary: anyString },
      ),
      anyString,
    ),
    { maxLength: 3 },
  )
  .map((pairs) => {
    const params = new URLSearchParams();
    for (const [k, v] of pairs) params.append(k, v);
    const text = params.toString();
    return text ? `?${text}` : "";
  });

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const benignHeaders = fc.record(
  { "idempotency-key": printable, "x-request-id": printable, "x-forwarded-for": printable },
  { requiredKeys: [] },
);
// Headers that make the request fail early (wrong origin, CSRF token, content type): now and then.
const riskyHeaders = fc.record(
  {
    "content-type": fc.constantFrom(
      "application/json",
      "text/plain",
      "application/json; charset=latin1",
      "",
    ),
    origin: fc.constantFrom("https://product.example", "https://evil.example", "null"),
    "x-csrf-token": printable,
  },
  { requiredKeys: [] },
);
const headers = fc
  .tuple(
    benignHeaders,
    fc.oneof({ weight: 5, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: riskyHeaders }),
  )
  .map(([a, b]) => ({ ...a, ...b }) as Record<string, string>);

function encodeSegment(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, "x")); // lone surrogates cannot be percent-encoded
  }
}

// --- The sweep --------------------------------------------------------------------------------

interface Target {
  segments: string[];
  method: (typeof METHODS)[number];
  /** A method the route serves (else it answers 405). */
  served: boolean;
}

/** The methods a route file serves: `export const GET = ...` or `export { x as GET }` (not the 405 ones). */
function servedMethods(file: string): Set<string> {
  const source = fs.readFileSync(file, "utf8");
  const found = new Set<string>();
  for (const m of source.matchAll(
    /export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g,
  ))
    found.add(m[1]!);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1]!.split(","))
      found.add(
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!,
      );
  return found;
}
const API_ROOT = path.resolve(import.meta.dirname, "..", "..", "app", "api");
/** The Svix-compatible surface's catch-all route files hand everything to its route table. */
const isSvixRouteFile = (file: string) =>
  fs.readFileSync(file, "utf8").includes("svixRouteHandlers()");
const svixTargets: Target[] = svixRoutes.map((r) => ({
  segments: [
    "v1",
    ...r.path
      .split("/")
      .filter(Boolean)
      .map((s) => s.replace(/^\{(\w+)\}$/, "[$1]")),
  ],
  method: r.method,
  served: true,
}));
const targets: Target[] = findRouteFiles(API_ROOT)
  .filter((r) => ["v1", "frontend", "session"].includes(r.segments[0]!))
  .filter((r) => !isSvixRouteFile(r.file))
  .flatMap((r) => {
    const served = servedMethods(r.file);
    return METHODS.map((method) => ({ segments: r.segments, method, served: served.has(method) }));
  })
  // Paths no route serves: the catch-all's 404 (in the envelope too).
  .concat(
    METHODS.map((method) => ({
      segments: ["v1", "[slug]", "no-such-route"],
      method,
      served: false,
    })),
  )
  // Ending the fixture's portal session or deleting its app would turn every later case into 401/404.
  .filter(
    (t) =>
      !(
        t.method === "DELETE" &&
        [
          "frontend/webhook/session",
          "v1/apps/[slug]",
          "v1/apps/[slug]/sessions",
          "v1/app/[app_id]",
          "v1/app/[app_id]/endpoint/[endpoint_id]",
          "v1/event-type/[event_type_name]",
        ].includes(t.segments.join("/"))
      ),
  )
  .concat(
    svixTargets.filter(
      (t) =>
        !(
          t.method === "DELETE" &&
          [
            "v1/app/[app_id]",
            "v1/app/[app_id]/endpoint/[endpoint_id]",
            "v1/event-type/[event_type_name]",
          ].includes(t.segments.join("/"))
        ),
    ),
  );

function paramValue(name: string): fc.Arbitrary<string> {
  const known =
    {
      slug: [SLUG, fixture.appId],
      id: [fixture.endpointId, fixture.deliveryId, fixture.replayId],
      name: [fixture.eventType],
      app_id: [fixture.svixAppId, "props-uid"],
      endpoint_id: [fixture.svixEndpointId, "props-ep"],
      event_type_name: ["svix.props"],
    }[name] ?? [];
  const random = anyString.filter((s) => s !== "" && s !== "." && s !== "..");
  // Parameters without a fixture value (message, attempt, task ids) get generated ones only.
  if (known.length === 0) return random;
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: random },
  );
}

function requestFor(target: Target) {
  const segments = target.segments.map((s) => {
    const dynamic = /^\[(\w+)\]$/.exec(s);
    return dynamic ? paramValue(dynamic[1]!).map(encodeSegment) : fc.constant(s);
  });
  // Query strings matter to reads; writes get one now and then.
  const q =
    target.method === "GET"
      ? query
      : fc.oneof({ weight: 8, arbitrary: fc.constant("") }, { weight: 1, arbitrary: query });
  return fc.record({
    target: fc.constant(target),
    path: fc.tuple(...segments).map((p) => `/api/${p.join("/")}`),
    query: q,
    headers,
    body: bodyFor(target.segments.join("/")),
  });
}

const ENVELOPE_CODE = /^[a-z_]+$/;
const svixPaths = new Set<Target>(svixTargets);
let cases = 0;
const statuses = new Map<number, number>();

/** Health answers while the generated requests run: nothing blocks the event loop for long. */
async function healthAnswersWithinOneSecond(): Promise<void> {
  // 5 s, not 1: a busy CI machine must not fail it, and a blocked loop takes far longer.
  const started = performance.now();
  const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  expect(performance.now() - started).toBeLessThan(5_000);
}

describe("every API route under generated input", () => {
  it(`never answers 5xx, always answers errors in the envelope, and health stays responsive (${RUNS} cases)`, async () => {
    expect(targets.filter((t) => t.served).length).toBeGreaterThan(60);
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            { weight: 12, arbitrary: fc.constantFrom(...targets.filter((t) => t.served)) },
            { weight: 1, arbitrary: fc.constantFrom(...targets.filter((t) => !t.served)) },
          )
          .chain(requestFor),
        async ({ target, path: urlPath, query: q, headers: h, body: b }) => {
          const frontend = target.segments[0] === "frontend";
          const sent: Record<string, string> = { ...h };
          if (frontend) {
            sent.cookie = fixture.cookie;
            sent["x-csrf-token"] ??= fixture.csrf;
            if (sent["x-csrf-token"] === "") sent["x-csrf-token"] = fixture.csrf;
          } else {
            sent.authorization = `Bearer ${key}`;
          }
          const withBody = target.method !== "GET" && b !== undefined;
          const res = await call(target.method, `${urlPath}${q}`, {
            body: withBody ? b : undefined,
            headers: sent,
          });
          const where = `${target.method} ${urlPath}${q} -> ${res.status} ${res.text.slice(0, 300)}`;
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, where).toBeLessThan(500);
          if (res.status >= 400 && svixPaths.has(target)) {
            // Svix's shapes: 422 `{ detail: [{ loc, msg, type }] }`, else `{ code, detail }`.
            const parsed = JSON.parse(res.text) as { code?: unknown; detail?: unknown };
            if (res.status === 422) {
              expect(Array.isArray(parsed.detail), where).toBe(true);
              for (const item of parsed.detail as { loc: unknown; msg: unknown }[]) {
                expect(Array.isArray(item.loc), where).toBe(true);
                expect(typeof item.msg, where).toBe("string");
              }
            } else {
              expect(
                typeof parsed.code === "string" && ENVELOPE_CODE.test(parsed.code),
                where,
              ).toBe(true);
              expect(typeof parsed.detail, where).toBe("string");
            }
          } else if (res.status >= 400) {
            const parsed = JSON.parse(res.text) as {
              error?: { code?: unknown; message?: unknown; details?: unknown };
            };
            expect(
              typeof parsed.error?.code === "string" && ENVELOPE_CODE.test(parsed.error.code),
              where,
            ).toBe(true);
            expect(typeof parsed.error?.message, where).toBe("string");
            // The whole envelope: `details` on every error, `{}` when there is nothing to add.
            const details = parsed.error?.details;
            expect(
              typeof details === "object" && details !== null && !Array.isArray(details),
              where,
            ).toBe(true);
            // The database's own refusal is only a safety net: the checks before it name the field.
            expect(res.text, where).not.toContain('"field":"(request)"');
          }
          if (++cases % 250 === 0) await healthAnswersWithinOneSecond();
        },
      ),
      {
        numRuns: RUNS,
        seed: process.env.HOOKLINE_PROPERTY_SEED
          ? Number(process.env.HOOKLINE_PROPERTY_SEED)
          : undefined,
        endOnFailure: true,
      },
    );
    await healthAnswersWithinOneSecond();
    // The sweep must reach the domain code, not stop at authentication or routing.
    const answered = [...statuses.entries()].sort((a, b) => a[0] - b[0]);
    const count = (pred: (s: number) => boolean) =>
      answered.filter(([s]) => pred(s)).reduce((n, [, c]) => n + c, 0);
    if (process.env.HOOKLINE_PROPERTY_VERBOSE) console.log(Object.fromEntries(answered));
    expect(
      count((s) => s < 300),
      JSON.stringify(answered),
    ).toBeGreaterThan(RUNS / 20);
    expect(
      count((s) => s === 422),
      JSON.stringify(answered),
    ).toBeGreaterThan(RUNS / 20);
    expect(
      count((s) => s === 401),
      JSON.stringify(answered),
    ).toBeLessThan(RUNS / 4);
  }, 300_000);
});
