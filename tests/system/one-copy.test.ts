/**
 * One copy of the domain in the real server (`npm start`): the trigger, answered by our own
 * node:http server's fast path (scripts/next-server.ts), Next's other routes and the
 * instrumentation hook (job driver, cache listener) share one instance of every module, so what
 * one of them changes the others see at once. The poll interval is a minute here: only the
 * trigger waking the workers in-process can explain a delivery within a few seconds.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startServer, stopAllServers, waitFor, type RunningServer } from "../helpers/server";
import { startReceiver, type Receiver } from "../helpers/receiver";

const POLL_INTERVAL_MS = 60_000;

let server: RunningServer;
let receiver: Receiver;
let key: string;

beforeAll(async () => {
  receiver = await startReceiver();
  server = await startServer({
    env: {
      HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
      HOOKLINE_POLL_INTERVAL_MS: String(POLL_INTERVAL_MS),
    },
  });
  key = await server.createApiKey("one-copy");
});
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

async function api(method: string, route: string, body?: unknown, apiKey = key) {
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

const trigger = (eventName: string, apiKey = key) =>
  api("POST", "/api/v1/apps/shop/events", { event_name: eventName, payload: { n: 1 } }, apiKey);

describe("one copy of the domain in the production server", () => {
  it("the compiled server holds no domain code: the trigger's handler is Next's own route module", () => {
    const bundle = fs.readFileSync(path.join(ROOT, ".next", "hookline-server.mjs"), "utf8");
    expect(bundle).toContain("requirePage");
    expect(bundle).not.toMatch(
      /DATABASE_URL|hookline\.process-singletons|createLookupCache|PrismaClient|announceWork/,
    );
  });

  it("work announced through the trigger wakes the delivery workers at once; the driver's metrics show in Next's route", async () => {
    expect((await api("POST", "/api/v1/apps", { slug: "shop", name: "Shop" })).status).toBe(201);
    expect(
      (
        await api("POST", "/api/v1/apps/shop/endpoints", {
          url: receiver.url,
          subscriptions: ["order.*"],
        })
      ).status,
    ).toBe(201);
    const health = JSON.parse((await api("GET", "/api/health")).text) as {
      jobs: { status: string };
    };
    expect(health.jobs.status).toBe("running");

    const sent = Date.now();
    const triggered = await trigger("order.created");
    expect(triggered.status).toBe(202);
    await receiver.waitFor(1, 10_000);
    const latency = receiver.requests[0]!.at - sent;
    expect(latency).toBeLessThan(10_000); // the poll would take up to a minute
    expect(JSON.parse(receiver.requests[0]!.body)).toMatchObject({
      type: "order.created",
      data: { n: 1 },
    });

    // Counted by the driver (instrumentation's copy of lib/), rendered by /api/metrics (the routes').
    // The receiver has the request before the attempt is recorded: wait for the record.
    const metrics = await waitFor(
      "the attempt to be counted",
      async () => {
        const m = await api("GET", "/api/metrics");
        expect(m.status).toBe(200);
        return /^hookline_delivery_attempts_total\{/m.test(m.text) && m;
      },
      10_000,
    );
    expect(metrics.text).toMatch(/^hookline_delivery_attempts_total\{result="success"\} 1$/m);
  });

  it("an app changed through Next's routes is seen by the trigger at once", async () => {
    expect((await trigger("order.unlisted")).status).toBe(202);
    expect((await trigger("order.unlisted")).status).toBe(202); // the app is cached by now
    const patched = await api("PATCH", "/api/v1/apps/shop", { strict_catalog: true });
    expect(patched.status).toBe(200);
    const refused = await trigger("order.unlisted");
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("is not in this app's event catalog");

    expect((await api("PATCH", "/api/v1/apps/shop", { strict_catalog: false })).status).toBe(200);
    expect((await trigger("order.unlisted")).status).toBe(202);
  });

  it("a key revoked with the CLI is refused by the trigger at once", async () => {
    const doomed = await server.createApiKey("doomed");
    expect((await trigger("order.created", doomed)).status).toBe(202);
    expect((await trigger("order.created", doomed)).status).toBe(202); // the key is cached by now
    const list = await server.cli(["keys", "list"]);
    const id = list.stdout
      .split("\n")
      .find((line) => /\sdoomed\s/.test(line))
      ?.split(/\s+/)[0];
    expect(id).toBeTruthy();
    expect((await server.cli(["keys", "revoke", id!])).code).toBe(0);

    expect((await trigger("order.created", doomed)).status).toBe(401);
    expect((await api("GET", "/api/v1/apps/shop", undefined, doomed)).status).toBe(401);
    expect((await trigger("order.created")).status).toBe(202); // the other key still works
    expect(await server.stop()).toBe(0);
  });
});
