/**
 * The delivery engine inside the real server (`npm start`): instrumentation starts the embedded
 * workers, a triggered event is delivered signed and retried, health and metrics report the
 * driver, and SIGTERM lets an in-flight attempt finish before the server exits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startServer, stopAllServers, tempDataDir, waitFor } from "../helpers/server";
import { startReceiver, type Receiver } from "../helpers/receiver";

let receiver: Receiver;
const seen = new Map<string, number>();
beforeAll(async () => {
  receiver = await startReceiver((req, res) => {
    const id = req.headers["webhook-id"] ?? "";
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    if (req.body.includes('"slow"')) return void setTimeout(() => res.end("done slowly"), 3_000);
    res.statusCode = n === 1 ? 500 : 200; // first attempt of each delivery fails
    res.end();
  });
});
afterAll(async () => {
  await stopAllServers();
  await receiver?.close();
});

async function api(
  url: string,
  key: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    json: text.startsWith("{") ? (JSON.parse(text) as Record<string, any>) : null,
  };
}

describe("delivery in the running server", () => {
  const dataDir = tempDataDir("delivery");
  const env = {
    HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
    HOOKLINE_RETRY_SCHEDULE: "1",
    HOOKLINE_POLL_INTERVAL_MS: "250",
  };

  it("delivers a triggered event, signed, retrying a 500; health and metrics report the workers", async () => {
    const server = await startServer({ dataDir, env });
    const key = await server.createApiKey();
    expect(
      (await api(`${server.url}/api/v1/apps`, key, "POST", { slug: "shop", name: "Shop" })).status,
    ).toBe(201);
    const endpoint = await api(`${server.url}/api/v1/apps/shop/endpoints`, key, "POST", {
      url: receiver.url,
      subscriptions: ["order.*"],
    });
    expect(endpoint.status).toBe(201);
    const secret = endpoint.json!.secret as string;

    const triggered = await api(
      `${server.url}/api/v1/apps/shop/events`,
      key,
      "POST",
      { event_name: "order.created", payload: { id: 1 } },
      { "Idempotency-Key": "order-1" },
    );
    expect(triggered.status).toBe(202);
    expect(triggered.json).toMatchObject({ duplicate: false });
    const again = await api(
      `${server.url}/api/v1/apps/shop/events`,
      key,
      "POST",
      { event_name: "order.created", payload: { id: 1 } },
      { "Idempotency-Key": "order-1" },
    );
    expect(again.json).toMatchObject({ event_id: triggered.json!.event_id, duplicate: true });

    await receiver.waitFor(2, 20_000);
    const [first, second] = receiver.requests;
    expect(first!.headers["webhook-id"]).toBe(second!.headers["webhook-id"]);
    expect(new Webhook(secret).verify(second!.body, second!.headers)).toMatchObject({
      type: "order.created",
      data: { id: 1 },
    });

    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.jobs).toMatchObject({
      driver: "embedded",
      status: "running",
      details: { listening: true },
    });
    const metrics = await api(`${server.url}/api/metrics`, key, "GET");
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^hookline_delivery_attempts_total\{result="http_5xx"\} 1$/m);
    expect((await fetch(`${server.url}/api/metrics`)).status).toBe(401);
    expect(await server.stop()).toBe(0);
  });

  it("on SIGTERM an attempt in flight finishes and is recorded before the server exits", async () => {
    const server = await startServer({ dataDir, env });
    const key = await server.createApiKey("second");
    const before = receiver.requests.length;
    const triggered = await api(`${server.url}/api/v1/apps/shop/events`, key, "POST", {
      event_name: "order.slow",
      payload: { slow: true },
    });
    expect(triggered.status).toBe(202);
    await waitFor(
      "the slow request to arrive",
      async () => receiver.requests.length > before,
      15_000,
    );
    expect(await server.stop()).toBe(0);

    const restarted = await startServer({ dataDir, env });
    const key2 = await restarted.createApiKey("third");
    const list = await api(
      `${restarted.url}/api/v1/apps/shop/deliveries?event_name=order.slow`,
      key2,
      "GET",
    );
    expect(list.status).toBe(200);
    const delivery = (list.json!.data as { status: string; attempt_count?: number }[])[0]!;
    expect(delivery.status).toBe("success");
    expect(receiver.requests.length - before).toBe(1);
    expect(await restarted.stop()).toBe(0);
  });
});
