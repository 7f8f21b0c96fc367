/**
 * Misbehaving receivers: every failure is a recorded attempt with a clear error, and huge or
 * endless bodies cost at most the 64 KiB the attempt keeps.
 */
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { startReceiver, type Receiver } from "../helpers/receiver";
import {
  createTestApp,
  createTestEndpoint,
  deliveryWithAttempts,
} from "../helpers/delivery-fixtures";
import { sendTestEvent } from "@/lib/delivery/send-test-event";
import type { App, Endpoint } from "@/generated/prisma/client";

useTestDatabase({ HOOKLINE_ALLOW_PRIVATE_TARGETS: "true" });

const TEN_MB = Buffer.alloc(10 * 1024 * 1024, "x");
const CHUNK = Buffer.alloc(64 * 1024, "y");
let receiver: Receiver;
let app: App;

beforeAll(async () => {
  receiver = await startReceiver((req, res) => {
    switch (req.path) {
      case "/hang":
        return; // never answers
      case "/slow-body":
        res.writeHead(200, { "content-type": "text/plain" });
        res.write("partial");
        return; // headers sent, body never ends
      case "/reset":
        res.socket?.destroy();
        return;
      case "/redirect":
        res.writeHead(302, { location: "https://example.com/elsewhere" });
        res.end();
        return;
      case "/huge":
        res.writeHead(200, {
          "content-type": "text/plain",
          "content-length": String(TEN_MB.length),
        });
        res.end(TEN_MB);
        return;
      case "/endless": {
        res.writeHead(200, { "content-type": "text/plain" });
        let sent = 0;
        const pump = () => {
          // Bounded so a broken client cannot keep this test process busy forever.
          while (!res.destroyed && sent < 2_000 && res.write(CHUNK)) sent++;
          if (!res.destroyed && sent < 2_000) res.once("drain", pump);
          else res.end();
        };
        pump();
        return;
      }
      default:
        res.end("ok");
    }
  });
  app = await createTestApp();
});
afterAll(async () => {
  await receiver?.close();
});

async function endpointFor(path: string, timeoutSeconds = 1): Promise<Endpoint> {
  return (
    await createTestEndpoint(app, { url: receiver.url.replace("/hook", path), timeoutSeconds })
  ).endpoint;
}

async function send(endpoint: Endpoint) {
  const result = await sendTestEvent({
    app,
    endpoint,
    eventName: "test.failure",
    payload: { x: 1 },
    actor: "test",
  });
  const delivery = await deliveryWithAttempts(result.delivery_id);
  return { result, delivery, attempt: delivery.attempts[0]! };
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("failed attempts", () => {
  it("a receiver that never answers times out at the endpoint's timeout", async () => {
    const { result, delivery, attempt } = await send(await endpointFor("/hang", 1));
    expect(result).toMatchObject({ success: false, status_code: null });
    expect(result.error).toMatch(/timed out after 1000 ms/);
    expect(result.duration_ms).toBeGreaterThanOrEqual(950);
    expect(result.duration_ms).toBeLessThan(3_000);
    expect(delivery.status).toBe("failed");
    expect(attempt).toMatchObject({ trigger: "test", responseStatus: null, attemptNumber: 1 });
    expect(attempt.error).toMatch(/timed out/);
  });

  it("a body that never finishes counts against the same timeout", async () => {
    const { result } = await send(await endpointFor("/slow-body", 1));
    expect(result.success).toBe(false);
    expect(result.error).toMatch(/timed out/);
  });

  it("connection refused and reset are named", async () => {
    const refusedEndpoint = (
      await createTestEndpoint(app, { url: `http://127.0.0.1:${await closedPort()}/x` })
    ).endpoint;
    const refused = await send(refusedEndpoint);
    expect(refused.result.error).toMatch(/connection refused/);
    expect(refused.attempt.error).toMatch(/connection refused/);

    const reset = await send(await endpointFor("/reset", 2));
    expect(reset.result.success).toBe(false);
    expect(reset.result.error).toMatch(/connection (reset|closed)/);
  });

  it("redirects are not followed", async () => {
    const { result, attempt } = await send(await endpointFor("/redirect", 2));
    expect(result).toMatchObject({ success: false, status_code: 302 });
    expect(result.error).toMatch(
      /redirect \(302\) to https:\/\/example.com\/elsewhere not followed/,
    );
    expect(attempt.responseStatus).toBe(302);
  });

  it("a 10 MB body and an endless body keep only 64 KiB, and memory stays flat", async () => {
    const huge = await send(await endpointFor("/huge", 5));
    expect(huge.result.success).toBe(true);
    expect(huge.attempt.responseBody).toHaveLength(65_536);
    expect(huge.attempt.responseBodyTruncated).toBe(true);

    const endless = await send(await endpointFor("/endless", 5));
    expect(endless.result.success).toBe(true);
    expect(endless.attempt.responseBody!.length).toBe(65_536);
    expect(endless.attempt.responseBodyTruncated).toBe(true);

    const hugeEndpoint = await endpointFor("/huge", 5);
    const endlessEndpoint = await endpointFor("/endless", 5);
    // Warm up, then measure: 60 more huge/endless responses (600 MB offered) must not grow RSS much.
    for (let i = 0; i < 6; i++) await send(i % 2 ? hugeEndpoint : endlessEndpoint);
    global.gc?.();
    const before = process.memoryUsage().rss;
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        [0, 1, 2, 3, 4, 5].map((i) => send(i % 2 ? hugeEndpoint : endlessEndpoint)),
      );
    }
    global.gc?.();
    const growth = process.memoryUsage().rss - before;
    console.info(
      `RSS growth over 60 huge/endless responses: ${(growth / 1024 / 1024).toFixed(1)} MiB`,
    );
    expect(growth).toBeLessThan(80 * 1024 * 1024);
  });
});
