import { describe, expect, it } from "vitest";
import { HooklineClient, HooklineError } from "@/lib/sdk";

interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function fakeClient(
  reply: (call: Call) => Response = () => Response.json({ ok: true }),
  options: { baseUrl?: string } = {},
) {
  const calls: Call[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const call: Call = {
      method: init?.method ?? "GET",
      url: String(input),
      headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return reply(call);
  };
  const client = new HooklineClient({
    apiKey: "hk_test",
    baseUrl: options.baseUrl ?? "https://hooks.example.com",
    fetch: fetchImpl,
  });
  return { client, calls };
}

describe("HooklineClient", () => {
  it("sends the key, JSON and paths under /api/v1, whatever form the base URL has", async () => {
    for (const baseUrl of [
      "https://hooks.example.com",
      "https://hooks.example.com/",
      "https://hooks.example.com/api/v1/",
    ]) {
      const { client, calls } = fakeClient(undefined, { baseUrl });
      await client.post("/session/tickets", { ticket_type: "webhook_app_access" });
      expect(calls[0]).toMatchObject({
        method: "POST",
        url: "https://hooks.example.com/api/v1/session/tickets",
        body: { ticket_type: "webhook_app_access" },
      });
      expect(calls[0]!.headers).toMatchObject({
        authorization: "Bearer hk_test",
        "content-type": "application/json",
        accept: "application/json",
      });
    }
  });

  it("maps every webhooks method to its route", async () => {
    const { client, calls } = fakeClient();
    const w = client.webhooks;
    const expected: Array<[Promise<unknown>, string, string, unknown?]> = [
      [
        w.createWebhookApp({ name: "P", slug: "payments-int" }),
        "POST",
        "/apps",
        { name: "P", slug: "payments-int" },
      ],
      [w.listWebhookApps({ limit: 10 }), "GET", "/apps?limit=10"],
      [w.getWebhookApp("payments-int"), "GET", "/apps/payments-int"],
      [
        w.updateWebhookApp("payments-int", { name: "Q" }),
        "PATCH",
        "/apps/payments-int",
        { name: "Q" },
      ],
      [w.deleteWebhookApp("payments-int"), "DELETE", "/apps/payments-int"],
      [w.rotateWebhookSecret("payments-int"), "POST", "/apps/payments-int/rotate-secret", {}],
      [
        w.createWebhookEndpoint("a", { url: "https://x", events: ["e"] }),
        "POST",
        "/apps/a/endpoints",
        { url: "https://x", events: ["e"] },
      ],
      [w.listWebhookEndpoints("a", { cursor: "c1" }), "GET", "/apps/a/endpoints?cursor=c1"],
      [w.getWebhookEndpoint("a", "ep_1"), "GET", "/apps/a/endpoints/ep_1"],
      [
        w.updateWebhookEndpoint("a", "ep_1", { is_active: false }),
        "PATCH",
        "/apps/a/endpoints/ep_1",
        { is_active: false },
      ],
      [w.deleteWebhookEndpoint("a", "ep_1"), "DELETE", "/apps/a/endpoints/ep_1"],
      [
        w.testWebhookEndpoint("a", "ep_1", { event_name: "x.y" }),
        "POST",
        "/apps/a/endpoints/ep_1/test",
        { event_name: "x.y" },
      ],
      [w.reactivateWebhookEndpoint("ep_1"), "POST", "/endpoints/ep_1/reactivate", {}],
      [
        w.rotateWebhookEndpointSecret("a", "ep_1", { expire_previous: true }),
        "POST",
        "/apps/a/endpoints/ep_1/rotate-secret",
        { expire_previous: true },
      ],
      [w.getWebhookEndpointSecret("a", "ep_1"), "GET", "/apps/a/endpoints/ep_1/secret"],
      [w.createEventType("a", { name: "x.y" }), "POST", "/apps/a/event-types", { name: "x.y" }],
      [w.listEventTypes("a", { archived: false }), "GET", "/apps/a/event-types?archived=false"],
      [w.getEventType("a", "x.y"), "GET", "/apps/a/event-types/x.y"],
      [
        w.updateEventType("a", "x.y", { archived: true }),
        "PATCH",
        "/apps/a/event-types/x.y",
        { archived: true },
      ],
      [w.deleteEventType("a", "x.y"), "DELETE", "/apps/a/event-types/x.y"],
      [
        w.triggerWebhook("a", { event_name: "x.y", payload: { n: 1 } }),
        "POST",
        "/apps/a/events",
        { event_name: "x.y", payload: { n: 1 } },
      ],
      [
        w.listWebhookDeliveries("a", { status: "failed", limit: 25 }),
        "GET",
        "/apps/a/deliveries?status=failed&limit=25",
      ],
      [w.getWebhookDelivery("a", "del_abc123"), "GET", "/apps/a/deliveries/del_abc123"],
      [
        w.replayWebhookDelivery("a", "del_abc123"),
        "POST",
        "/apps/a/deliveries/del_abc123/replay",
        {},
      ],
      [w.skipWebhookDelivery("a", "dlv_1"), "POST", "/apps/a/deliveries/dlv_1/skip", {}],
      [
        w.replayWebhookDeliveries("a", { status: "failed" }),
        "POST",
        "/apps/a/replays",
        { status: "failed" },
      ],
      [w.listReplayTasks("a"), "GET", "/apps/a/replays"],
      [w.getReplayTask("a", "rpl_1"), "GET", "/apps/a/replays/rpl_1"],
      [w.cancelReplayTask("a", "rpl_1"), "POST", "/apps/a/replays/rpl_1/cancel", {}],
      [w.getWebhookStats("a"), "GET", "/apps/a/stats"],
      [
        w.getWebhookAnalytics("a", { fields: ["success_rate", "failed"] }),
        "GET",
        "/apps/a/analytics?fields=success_rate%2Cfailed",
      ],
      [
        w.getWebhookTimeseries("a", { interval: "hour", endpoint_id: undefined }),
        "GET",
        "/apps/a/timeseries?interval=hour",
      ],
    ];
    await Promise.all(expected.map(([p]) => p));
    expect(
      calls.map((c) => [c.method, c.url.replace("https://hooks.example.com/api/v1", ""), c.body]),
    ).toEqual(expected.map(([, method, path, body]) => [method, path, body]));
  });

  it("escapes path segments and sends Idempotency-Key on trigger", async () => {
    const { client, calls } = fakeClient();
    await client.webhooks.getWebhookEndpoint("a/b", "ep 1?");
    expect(calls[0]!.url).toBe("https://hooks.example.com/api/v1/apps/a%2Fb/endpoints/ep%201%3F");
    await client.webhooks.triggerWebhook(
      "a",
      { event_name: "x", payload: {} },
      { idempotencyKey: "order-42" },
    );
    expect(calls[1]!.headers["idempotency-key"]).toBe("order-42");
  });

  it("resolves 204 to undefined and throws HooklineError with the API's code, message and details", async () => {
    const noContent = fakeClient(() => new Response(null, { status: 204 }));
    await expect(noContent.client.webhooks.deleteWebhookApp("a")).resolves.toBeUndefined();

    const invalid = fakeClient(() =>
      Response.json(
        {
          error: {
            code: "validation_failed",
            message: "url: URL must use https",
            details: { fields: [{ field: "url", message: "URL must use https" }] },
            request_id: "req_1",
          },
        },
        { status: 422 },
      ),
    );
    const err = await invalid.client.webhooks
      .createWebhookEndpoint("a", { url: "http://x" })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HooklineError);
    expect(err).toMatchObject({
      status: 422,
      code: "validation_failed",
      message: "url: URL must use https",
      requestId: "req_1",
    });
    expect((err as HooklineError).details).toEqual({
      fields: [{ field: "url", message: "URL must use https" }],
    });

    const html = fakeClient(() => new Response("<h1>Bad gateway</h1>", { status: 502 }));
    await expect(html.client.get("/apps")).rejects.toMatchObject({
      status: 502,
      code: "http_error",
    });
  });

  it("turns a network failure into HooklineError status 0", async () => {
    const client = new HooklineClient({
      apiKey: "hk_x",
      baseUrl: "http://127.0.0.1:9",
      fetch: async () => {
        throw new TypeError("fetch failed");
      },
    });
    await expect(client.get("/apps")).rejects.toMatchObject({
      name: "HooklineError",
      status: 0,
      code: "network_error",
    });
  });

  it("reads HOOKLINE_API_KEY and HOOKLINE_URL when not given, and refuses to start without a key", () => {
    const saved = { key: process.env.HOOKLINE_API_KEY, url: process.env.HOOKLINE_URL };
    try {
      delete process.env.HOOKLINE_API_KEY;
      delete process.env.HOOKLINE_URL;
      expect(() => new HooklineClient({ apiKey: undefined })).toThrow(HooklineError);
      expect(new HooklineClient({ apiKey: "hk_1" }).baseUrl).toBe("http://localhost:3000/api/v1");
      process.env.HOOKLINE_API_KEY = "hk_env";
      process.env.HOOKLINE_URL = "https://h.example.com";
      expect(new HooklineClient().baseUrl).toBe("https://h.example.com/api/v1");
    } finally {
      for (const [name, value] of [
        ["HOOKLINE_API_KEY", saved.key],
        ["HOOKLINE_URL", saved.url],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
