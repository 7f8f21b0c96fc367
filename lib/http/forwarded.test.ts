import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientAddress,
  isHttpsRequest,
  requestOrigin,
  sanitizeForwardedHeaders,
} from "@/lib/http/forwarded";

/** A real server on 127.0.0.1 that sanitizes like scripts/next-server.ts and reports what the app would see. */
function serverWith(trustProxy: boolean) {
  return http.createServer((req, res) => {
    sanitizeForwardedHeaders(req, trustProxy);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const request = new Request(`http://${req.headers.host}${req.url}`, { headers });
    res.end(
      JSON.stringify({
        address: clientAddress(request, trustProxy),
        origin: requestOrigin(request, trustProxy),
        https: isHttpsRequest(request, trustProxy),
      }),
    );
  });
}

const servers: Record<"off" | "on", { server: http.Server; url: string }> = {} as never;
beforeAll(async () => {
  for (const [name, trust] of [
    ["off", false],
    ["on", true],
  ] as const) {
    const server = serverWith(trust);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers[name] = { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
  }
});
afterAll(async () => {
  for (const { server } of Object.values(servers))
    await new Promise((resolve) => server.close(resolve));
});

const spoofed = {
  "x-forwarded-for": "203.0.113.7, 198.51.100.1",
  "x-forwarded-host": "evil.example",
  "x-forwarded-proto": "https",
  "x-hookline-peer": "203.0.113.99",
};

describe("proxy headers (HOOKLINE_TRUST_PROXY)", () => {
  it("are ignored by default: the socket's address and the Host header count", async () => {
    const seen = await (await fetch(servers.off.url, { headers: spoofed })).json();
    const host = new URL(servers.off.url).host;
    expect(seen).toEqual({ address: "127.0.0.1", origin: `http://${host}`, https: false });
  });

  it("are used when trusted: the last forwarded hop, host and scheme; the peer header still cannot be forged", async () => {
    expect(await (await fetch(servers.on.url, { headers: spoofed })).json()).toEqual({
      address: "198.51.100.1",
      origin: "https://evil.example",
      https: true,
    });
    const { "x-forwarded-for": _xff, ...withoutFor } = spoofed;
    expect((await (await fetch(servers.on.url, { headers: withoutFor })).json()).address).toBe(
      "127.0.0.1",
    );
  });
});
