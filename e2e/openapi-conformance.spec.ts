import { Validator } from "@seriousme/openapi-schema-validator";
import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
import { OpenApiChecker } from "./support/openapi-check";
import { createApiKey, E2E_BASE_URL } from "./support/server";
import { startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * A scripted run through every operation of the published OpenAPI document — the backend API
 * and the frontend API the portal and hooks use — against the real server: every answer
 * (successes and the errors provoked on purpose) must have a declared status, match its
 * declared schema and carry its declared headers; and every operation must have been called.
 */
let receiver: Receiver;
let api: APIRequestContext;
let checker: OpenApiChecker;

test.beforeAll(async () => {
  receiver = await startReceiver(200);
  api = await playwrightRequest.newContext();
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), api?.dispose()]);
});

type Body = Record<string, unknown> | undefined;

test("every answer of a run through all operations matches the OpenAPI document", async () => {
  test.setTimeout(180_000);
  const docRes = await api.get(`${E2E_BASE_URL}/api/v1/openapi.json`);
  expect(docRes.status()).toBe(200);
  const doc = (await docRes.json()) as Record<string, unknown>;
  const valid = await new Validator().validate(structuredClone(doc));
  expect(valid.errors ?? []).toEqual([]);
  checker = new OpenApiChecker(doc);
  await checker.check("GET", `${E2E_BASE_URL}/api/v1/openapi.json`, docRes);

  const key = createApiKey("e2e-openapi-conformance");
  const auth = { authorization: `Bearer ${key}` };
  const call = async (
    method: string,
    path: string,
    data?: Body,
    headers: Record<string, string> = auth,
  ) => {
    const url = `${E2E_BASE_URL}${path}`;
    const res = await api.fetch(url, {
      method,
      headers: { ...headers, ...(data ? { "content-type": "application/json" } : {}) },
      data: data ? JSON.stringify(data) : undefined,
    });
    await checker.check(method, url, res);
    const text = await res.text();
    return { status: res.status(), body: text ? (JSON.parse(text) as Record<string, any>) : {} }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const v1 = (method: string, path: string, data?: Body, headers?: Record<string, string>) =>
    call(method, `/api/v1${path}`, data, headers);

  const slug = uniqueSlug("oas");
  const range = () => {
    const end = new Date(Date.now() + 60_000);
    return {
      start_date: new Date(end.getTime() - 3600_000).toISOString(),
      end_date: end.toISOString(),
    };
  };
  const q = () => new URLSearchParams(range()).toString();

  // Apps.
  expect((await v1("POST", "/apps", { slug, name: "Acme OpenAPI" })).status).toBe(201);
  await v1("POST", "/apps", { slug, name: "Twice" }); // 409
  await v1("POST", "/apps", { slug: "" }); // 422
  await v1("GET", "/apps?limit=5");
  await v1("GET", "/apps?limit=nope"); // 400
  await v1("GET", `/apps/${slug}`);
  await v1("GET", "/apps/no-such-app"); // 404
  await v1("GET", `/apps/${slug}`, undefined, {}); // 401
  await v1("PATCH", `/apps/${slug}`, {
    name: "Acme OpenAPI 2",
    embed_origins: ["http://localhost:3999"],
  });
  await v1("POST", `/apps/${slug}/rotate-secret`, {});

  // Event types.
  await v1("POST", `/apps/${slug}/event-types`, {
    name: "order.created",
    description: "An order was placed.",
    example: { id: "o_1" },
  });
  await v1("POST", `/apps/${slug}/event-types`, { name: "order.gone" });
  await v1("GET", `/apps/${slug}/event-types`);
  await v1("GET", `/apps/${slug}/event-types/order.created`);
  await v1("PATCH", `/apps/${slug}/event-types/order.created`, { description: "Placed." });
  await v1("DELETE", `/apps/${slug}/event-types/order.gone`);

  // Endpoints.
  const endpoint = await v1("POST", `/apps/${slug}/endpoints`, { url: `${receiver.url}/oas` });
  const endpointId = endpoint.body.id as string;
  await v1("POST", `/apps/${slug}/endpoints`, { url: "not a url" }); // 422
  await v1("GET", `/apps/${slug}/endpoints`);
  await v1("GET", `/apps/${slug}/endpoints/${endpointId}`);
  // A payload filter (text form in, JSON form out) that the events below match.
  await v1("PATCH", `/apps/${slug}/endpoints/${endpointId}`, {
    description: "Main",
    filter: 'id starts with "o_"',
  });
  await v1("POST", `/apps/${slug}/filters/test`, {
    filter: 'id = "o_1"',
    event_type: "order.created",
  });
  await v1("POST", `/apps/${slug}/filters/test`, { filter: "id =", payload: {} }); // 422
  await v1("POST", `/apps/${slug}/filters/test`, { filter: "id = 1", event_type: "order.nope" }); // 404
  await v1("GET", `/apps/${slug}/endpoints/${endpointId}/secret`);
  await v1("POST", `/apps/${slug}/endpoints/${endpointId}/rotate-secret`, {});
  await v1("POST", `/apps/${slug}/endpoints/${endpointId}/test`, {});
  await v1("POST", `/apps/${slug}/endpoints/${endpointId}/reactivate`, {});
  await v1("POST", `/endpoints/${endpointId}/reactivate`, {});

  // Events, deliveries, replays, analytics.
  const idem = { ...auth, "idempotency-key": `oas-${slug}` };
  await v1(
    "POST",
    `/apps/${slug}/events`,
    { event_name: "order.created", payload: { id: "o_1" } },
    idem,
  );
  await v1(
    "POST",
    `/apps/${slug}/events`,
    { event_name: "order.created", payload: { id: "o_1" } },
    idem,
  ); // duplicate
  await v1("POST", `/apps/${slug}/events`, { event_name: "order.created", payload: { id: "o_2" } });
  await expect
    .poll(
      async () =>
        (await v1("GET", `/apps/${slug}/deliveries?status=success`)).body.data?.length ?? 0,
      { timeout: 20_000 },
    )
    .toBeGreaterThanOrEqual(2);
  const deliveries = await v1("GET", `/apps/${slug}/deliveries?limit=10`);
  const deliveryId = deliveries.body.data[0].id as string;
  await v1("GET", `/apps/${slug}/deliveries/${deliveryId}`);
  await v1("GET", `/apps/${slug}/deliveries/dlv_nope`); // 404
  await v1("POST", `/apps/${slug}/deliveries/${deliveryId}/replay`, {});
  await v1("POST", `/apps/${slug}/deliveries/${deliveryId}/skip`, {}); // 409: its endpoint is not FIFO
  await v1("POST", `/apps/${slug}/replays`, { ...range(), status: "all", dry_run: true });
  const task = await v1("POST", `/apps/${slug}/replays`, { ...range(), status: "all" });
  await v1("POST", `/apps/${slug}/replays`, { start_date: "yesterday" }); // 422
  await v1("GET", `/apps/${slug}/replays`);
  await v1("GET", `/apps/${slug}/replays/${task.body.id}`);
  await v1("POST", `/apps/${slug}/replays/${task.body.id}/cancel`, {}); // 200, or 409 once finished
  await v1("GET", `/apps/${slug}/stats`);
  await v1("GET", `/apps/${slug}/analytics?${q()}`);
  await v1("GET", `/apps/${slug}/timeseries?interval=hour&${q()}`);
  await v1("GET", `/apps/${slug}/timeseries?interval=fortnight`); // 400

  // The compatibility webhooks API.
  const hook = await v1("POST", `/apps/${slug}/webhooks`, {
    url: `${receiver.url}/compat`,
    events: ["order.created"],
  });
  await v1("GET", `/apps/${slug}/webhooks`);
  await v1("PUT", `/apps/${slug}/webhooks/${hook.body.id}`, { active: true });
  await v1("POST", `/apps/${slug}/webhooks/${hook.body.id}/rotate-secret`, {});
  await v1("POST", `/apps/${slug}/webhooks/${hook.body.id}/test-ping`, {});
  await v1("GET", `/apps/${slug}/webhooks/${hook.body.id}/deliveries`);
  await v1("DELETE", `/apps/${slug}/webhooks/${hook.body.id}`);

  // The frontend API, with a portal session (cookies and CSRF token from the exchange).
  const ticket = await v1("POST", "/session/tickets", {
    ticket_type: "webhook_app_access",
    webhook_app_slug: slug,
    expires_in: 120,
  });
  await call(
    "POST",
    "/api/session/ticket/exchange",
    { ticket: "hlt_not_a_real_ticket_000000" },
    {},
  ); // 401
  const exchangeUrl = `${E2E_BASE_URL}/api/session/ticket/exchange`;
  const exchange = await api.post(exchangeUrl, { data: { ticket: ticket.body.ticket } });
  await checker.check("POST", exchangeUrl, exchange);
  const session = (await exchange.json()) as { csrf_token: string };
  const cookie = exchange
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value.split(";")[0])
    .join("; ");
  const read = { cookie };
  const write = { cookie, "x-csrf-token": session.csrf_token };
  const fe = (method: string, path: string, data?: Body) =>
    call(method, `/api/frontend/webhook${path}`, data, method === "GET" ? read : write);

  await fe("GET", "/session");
  await call("GET", "/api/frontend/webhook/session", undefined, {}); // 401
  await call("POST", "/api/frontend/webhook/endpoints", { url: `${receiver.url}/no-csrf` }, read); // 403 csrf_failed
  const feEndpoint = await fe("POST", "/endpoints", { url: `${receiver.url}/fe` });
  const feId = feEndpoint.body.id as string;
  await fe("GET", "/endpoints");
  await fe("GET", `/endpoints/${feId}`);
  await fe("PATCH", `/endpoints/${feId}`, { description: "From the portal" });
  await fe("GET", `/endpoints/${feId}/secret`);
  await fe("POST", `/endpoints/${feId}/rotate-secret`, {});
  await fe("POST", `/endpoints/${feId}/reactivate`, {});
  await fe("POST", `/endpoints/${feId}/test`, {});
  await fe("POST", "/filters/test", { filter: { field: "id", eq: "o_1" }, payload: { id: "o_1" } });
  await fe("GET", "/deliveries?limit=5");
  await fe("GET", `/deliveries/${deliveryId}`);
  await fe("POST", `/deliveries/${deliveryId}/replay`, {});
  await fe("POST", `/deliveries/${deliveryId}/skip`, {}); // 409: its endpoint is not FIFO
  await fe("POST", "/deliveries/replay", { ...range(), dry_run: true });
  const feTask = await fe("POST", "/deliveries/replay", { ...range(), status: "all" });
  await fe("GET", "/replay-tasks");
  await fe("GET", `/replay-tasks/${feTask.body.id}`);
  await fe("POST", `/replay-tasks/${feTask.body.id}/cancel`, {});
  await fe("GET", "/stats");
  await fe("GET", `/analytics?${q()}`);
  await fe("GET", `/timeseries?interval=hour&${q()}`);
  await fe("GET", "/events/catalog");
  await fe("GET", "/events/subscriptions");
  await fe("POST", "/rotate-secret", { endpoint_id: feId });
  await fe("POST", "/rotate-secret", {});
  await fe("DELETE", `/endpoints/${feId}`);
  await fe("DELETE", "/session");
  // Offboarding: every portal session of the app ends.
  expect((await v1("DELETE", `/apps/${slug}/sessions`)).status).toBe(200);

  // Clean up through the API (and cover the deletes).
  await v1("DELETE", `/apps/${slug}/endpoints/${endpointId}`);
  await v1("DELETE", `/apps/${slug}/event-types/order.created`);
  await v1("DELETE", `/apps/${slug}`);

  expect(checker.findings, "answers that do not match the document").toEqual([]);
  // The Svix-compatible surface is run through by the official clients in
  // tests/integration/svix-*.test.ts, each answer checked against Svix's own spec.
  const svixOps = new Set(
    Object.values(
      doc.paths as Record<string, Record<string, { operationId: string; tags?: string[] }>>,
    )
      .flatMap((ops) => Object.values(ops))
      .filter((op) => op.tags?.includes("Svix compatibility"))
      .map((op) => op.operationId),
  );
  const missed = checker.operationIds.filter((id) => !checker.covered.has(id) && !svixOps.has(id));
  expect(missed, "operations the run did not call").toEqual([]);
});

test("the check itself refuses an undeclared status, a body off its schema and a missing header", async () => {
  const doc = (await (await api.get(`${E2E_BASE_URL}/api/v1/openapi.json`)).json()) as Record<
    string,
    unknown
  >;
  const strict = new OpenApiChecker(doc);
  const fake = (
    status: number,
    body: unknown,
    headers: Record<string, string> = {
      "content-type": "application/json",
      "x-request-id": "req_1",
    },
  ) =>
    ({
      status: () => status,
      headers: () => headers,
      text: async () => (body === undefined ? "" : JSON.stringify(body)),
    }) as unknown as import("@playwright/test").APIResponse;
  const url = `${E2E_BASE_URL}/api/v1/apps/acme/stats`;
  await strict.check("GET", url, fake(418, { error: { code: "teapot", message: "no" } }));
  await strict.check("GET", url, fake(200, { total_deliveries: "many" }));
  await strict.check(
    "GET",
    url,
    fake(
      404,
      // A whole envelope: only the missing x-request-id header is wrong.
      { error: { code: "not_found", message: "no", details: {} } },
      { "content-type": "application/json" },
    ),
  );
  expect(strict.findings.map((f) => f.problem.split(":")[0])).toEqual([
    "status 418 not declared (declared",
    "200",
    "404",
  ]);
});
