/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are asserted field by field */
/**
 * Issue 13 regressions over real HTTP (tests/helpers/route-server.ts on 127.0.0.1, every route
 * under /api): ReDoS, recursive $ref, valid-but-unstorable input, 405s, the public health report.
 */
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { apiOverHttp } from "../helpers/http";
import { createApiKey } from "@/lib/auth/api-keys";
import { setJobDriver } from "@/lib/jobs/job-driver";

const db = useTestDatabase();
let server: RouteServer;
let key: string;
const SLUG = "hardening";

beforeAll(async () => {
  server = await startRouteServer({ under: "" });
  key = (await createApiKey({ name: "hardening" }, "test")).key;
  expect((await api("POST", "/api/v1/apps", { slug: SLUG, name: "Hardening" })).status).toBe(201);
});
afterAll(() => server?.close());

const api = apiOverHttp(() => ({ url: server.url, key }));
const fieldsOf = (body: any): string[] =>
  body.error.details.fields.map((f: { field: string }) => f.field);

describe("JSON Schema patterns (ReDoS) and $ref", () => {
  it("answers the ReDoS reproduction at once while health stays responsive", async () => {
    const schema = { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } };
    expect(
      (await api("POST", `/api/v1/apps/${SLUG}/event-types`, { name: "redos.x", schema })).status,
    ).toBe(201);
    // Warm the compiled validator, then time the attack. A backtracking engine takes 2^40 steps
    // on 40 a's (hours) and never ends on 50,000: 5 s tells them apart on the busiest machine.
    await api("POST", `/api/v1/apps/${SLUG}/events`, {
      event_name: "redos.x",
      payload: { s: "aaa" },
    });
    const started = performance.now();
    const [attack, health] = await Promise.all([
      api("POST", `/api/v1/apps/${SLUG}/events`, {
        event_name: "redos.x",
        payload: { s: `${"a".repeat(40)}!` },
      }),
      api("GET", "/api/health"),
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(attack.status).toBe(422);
    expect(fieldsOf(attack.body)).toEqual(["payload.s"]);
    expect(health.status).toBe(200);
    const long = performance.now();
    expect(
      (
        await api("POST", `/api/v1/apps/${SLUG}/events`, {
          event_name: "redos.x",
          payload: { s: `${"a".repeat(50_000)}!` },
        })
      ).status,
    ).toBe(422);
    expect(performance.now() - long).toBeLessThan(5_000);
  });

  it.each([
    [{ $ref: "#" }, /recursive/],
    [{ properties: { child: { $ref: "#" } } }, /recursive/],
    [{ $ref: "https://example.com/s.json" }, /not a local reference/],
    [{ $ref: "#/$defs/nope" }, /does not resolve/],
    [{ type: "string", pattern: "(a)\\1" }, /not a valid JSON Schema/],
  ])("refuses the schema %j at registration with 422 naming schema", async (schema, message) => {
    const before = await db().prisma.eventType.count();
    const res = await api("POST", `/api/v1/apps/${SLUG}/event-types`, {
      name: `bad.${Math.random().toString(36).slice(2, 8)}`,
      schema,
    });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(["schema"]);
    expect(res.body.error.message).toMatch(message);
    expect(await db().prisma.eventType.count()).toBe(before);
  });
});

describe("valid input the database cannot store: 4xx naming the field, nothing written", () => {
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  it.each([
    [
      "NUL in a payload value",
      `{"event_name":"x.y","payload":{"a":"\\u0000"}}`,
      "payload.a",
      /NUL/,
    ],
    [
      "NUL in a payload key",
      `{"event_name":"x.y","payload":{"a\\u0000":1}}`,
      "payload",
      /key .*NUL/,
    ],
    [
      "a lone surrogate",
      `{"event_name":"x.y","payload":{"a":["\\ud800"]}}`,
      "payload.a[0]",
      /surrogate/,
    ],
    [
      "JSON nested 5,000 deep",
      `{"event_name":"x.y","payload":{"d":${deep(5000)}}}`,
      "payload.d",
      /nested more than/,
    ],
  ])("trigger: %s", async (_what, body, field, message) => {
    const before = await db().prisma.event.count();
    const res = await api("POST", `/api/v1/apps/${SLUG}/events`, body);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fieldsOf(res.body)[0]).toMatch(new RegExp(`^${field.replace(/[.[\]]/g, "\\$&")}`));
    expect(res.body.error.details.fields[0].message).toMatch(message);
    expect(await db().prisma.event.count()).toBe(before);
  });

  it.each([
    ["POST", "/api/v1/apps", { slug: "nul-app", name: "A\u0000B" }, "name"],
    ["PATCH", `/api/v1/apps/${SLUG}`, { description: "x\u0000" }, "description"],
    [
      "POST",
      `/api/v1/apps/${SLUG}/endpoints`,
      { url: "https://r.example.com/h", description: "d\u0000" },
      "description",
    ],
    ["POST", `/api/v1/apps/${SLUG}/endpoints`, { url: "https://r.example.com/\u0000" }, "url"],
  ])("%s %s with NUL answers 422 naming %j", async (method, path, body, field) => {
    const res = await api(method, path, body);
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toContain(field);
  });

  it.each([
    [`/api/v1/apps/${SLUG}/deliveries?endpoint_id=ep_x%00`, "endpoint_id"],
    [`/api/v1/apps/${SLUG}/event-types?event_name=%00`, "event_name"],
    [`/api/v1/apps/${SLUG}/deliveries?event_name=%00`, "event_name"],
    [`/api/v1/apps/${SLUG}/deliveries?start_date=0000-01-01`, "start_date"],
    [`/api/v1/apps/${SLUG}/deliveries?end_date=9999-12-31T23:59:59-01:00`, "end_date"],
    [`/api/v1/apps/${SLUG}/endpoints/ep_x%00`, "id"],
  ])("GET %s answers 400 naming %s", async (path, field) => {
    const res = await api("GET", path);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("invalid_parameter");
    expect(fieldsOf(res.body)).toContain(field);
  });

  it("refuses a forged cursor with year 0000 (right fingerprint) with 400 naming cursor", async () => {
    for (const slug of ["cursor-a", "cursor-b"])
      await api("POST", "/api/v1/apps", { slug, name: slug });
    const page = await api("GET", "/api/v1/apps?limit=1");
    const real = JSON.parse(Buffer.from(page.body.next_cursor, "base64url").toString("utf8"));
    const forged = Buffer.from(JSON.stringify({ ...real, t: "0000-01-01T00:00:00.000Z" })).toString(
      "base64url",
    );
    const res = await api("GET", `/api/v1/apps?limit=1&cursor=${forged}`);
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(["cursor"]);
  });
});

describe("405 and the public health report", () => {
  it("answers a method a route does not serve with 405, the envelope and Allow", async () => {
    const res = await api("PUT", "/api/v1/apps");
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, POST, HEAD, OPTIONS");
    expect(res.body.error).toMatchObject({
      code: "method_not_allowed",
      details: { allowed: ["GET", "POST", "HEAD", "OPTIONS"] },
    });
    const health = await api("DELETE", "/api/health");
    expect(health.status).toBe(405);
    expect(health.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
  });

  it("shows no host name or process id", async () => {
    setJobDriver({
      kind: "embedded",
      announce: () => Promise.resolve(),
      stop: () => Promise.resolve(),
      status: () => ({
        driver: "embedded",
        status: "running",
        details: {
          worker_id: `${os.hostname()}:${process.pid}:abcd`,
          listening: true,
          in_flight: 0,
        },
      }),
    });
    try {
      const res = await api("GET", "/api/health");
      expect(res.status).toBe(200);
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(os.hostname());
      expect(text).not.toContain(String(process.pid));
      expect(res.body.jobs).toEqual({
        driver: "embedded",
        status: "running",
        details: { listening: true, in_flight: 0 },
      });
    } finally {
      setJobDriver(undefined);
    }
  });
});
