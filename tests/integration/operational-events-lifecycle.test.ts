/**
 * Endpoint lifecycle and recovery as operational events: an operational-webhook endpoint
 * registered through the official `svix` client receives `endpoint.created`, `.updated`,
 * `.disabled` (manual), `.enabled`, `.deleted`, `message.attempt.failing`, `.exhausted` and
 * `.recovered` in Svix's shapes (each body validated against Svix's schema for its type),
 * signed so that `Webhook.verify` with its secret accepts them; the operator webhook gets the
 * same events in Hookline's shape. Real HTTP throughout, with a real job driver.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Svix, Webhook } from "svix";
import { findFirstAttemptOrThrow } from "../helpers/attempts";
import { useTestDatabase } from "../helpers/db";
import { createTestEndpoint, eventually } from "../helpers/delivery-fixtures";
import { startReceiver, type ReceivedRequest, type Receiver } from "../helpers/receiver";
import { startRouteServer, type RouteServer } from "../helpers/route-server";
import { checkingFetch, svixWebhookErrors } from "../helpers/svix-spec";
import { createApiKey } from "@/lib/auth/api-keys";
import { generateSigningSecret } from "@/lib/crypto/secrets";
import { resetEngineConfigForTests } from "@/lib/delivery/engine-config";
import { startEmbeddedDriver, type EmbeddedDriver } from "@/lib/jobs/embedded-driver";
import { setJobDriver } from "@/lib/jobs/job-driver";

const db = useTestDatabase({
  HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
  HOOKLINE_FAILING_ALERT_AFTER: "2",
});
const operatorSecret = generateSigningSecret();
let server: RouteServer;
let key: string;
let target: Receiver;
let ops: Receiver;
let operator: Receiver;
let driver: EmbeddedDriver;
const checked = checkingFetch();

beforeAll(async () => {
  ops = await startReceiver();
  operator = await startReceiver();
  process.env.HOOKLINE_OPERATOR_WEBHOOK_URL = operator.url;
  process.env.HOOKLINE_OPERATOR_WEBHOOK_SECRET = operatorSecret;
  resetEngineConfigForTests();
  server = await startRouteServer();
  ({ key } = await createApiKey({ name: "svix" }, "test"));
  target = await startReceiver((req, res) => {
    res.statusCode = req.body.includes('"fail":true') ? 500 : 200;
    res.end();
  });
  driver = startEmbeddedDriver({ pollIntervalMs: 100 });
  setJobDriver(driver);
});
afterAll(async () => {
  setJobDriver(undefined);
  await driver?.stop();
  await Promise.all([target?.close(), ops?.close(), operator?.close(), server?.close()]);
  delete process.env.HOOKLINE_OPERATOR_WEBHOOK_URL;
  delete process.env.HOOKLINE_OPERATOR_WEBHOOK_SECRET;
  resetEngineConfigForTests();
});

const FULL_SPEC = "svix-openapi.json";
/**
 * The full API's schemas pin ids to 27 characters after the prefix; Hookline's are 26 (the same
 * ids every answer of the Svix surface carries; the open-source spec does not pin them).
 */
const HOOKLINE_ID_FORMAT =
  /^\/data\/(appId|endpointId) must (NOT have fewer than \d+ characters|match pattern)/;

interface OpBody {
  type: string;
  data: Record<string, unknown>;
}
const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body) as OpBody;

/** Waits until `receiver` got `n` bodies matching `pick`; returns them in arrival order. */
async function received(
  receiver: Receiver,
  pick: (b: OpBody) => boolean,
  n = 1,
): Promise<ReceivedRequest[]> {
  return eventually(
    async () => {
      const found = receiver.requests.filter((r) => pick(bodyOf(r)));
      return found.length >= n ? found : undefined;
    },
    20_000,
    `${n} operational webhook(s)`,
  );
}

describe("operational events of an endpoint's lifecycle", () => {
  it("reach a Svix operational-webhook endpoint in Svix's shapes, signed with its secret, and the operator webhook", async () => {
    const svix = new Svix(key, { serverUrl: server.url, fetch: checked.fetch });
    const opEndpoint = await svix.operationalWebhook.endpoint.create({ url: ops.url });
    const { key: opSecret } = await svix.operationalWebhook.endpoint.getSecret(opEndpoint.id);

    const app = await svix.application.create({ name: "Lifecycle", uid: "lifecycle-app" });
    const ep = await svix.endpoint.create(app.id, { url: target.url, uid: "ep-life" });
    await svix.endpoint.upsert(app.id, ep.id, {
      url: target.url,
      uid: "ep-life",
      description: "two",
    });
    await svix.endpoint.upsert(app.id, ep.id, { url: target.url, uid: "ep-life", disabled: true });
    const reactivated = await fetch(
      `${server.url}/api/v1/apps/${app.id}/endpoints/${ep.id}/reactivate`,
      { method: "POST", headers: { authorization: `Bearer ${key}` } },
    );
    expect(reactivated.status).toBe(200);
    await svix.endpoint.delete(app.id, ep.id);

    // Two deliveries failing in a row (HOOKLINE_FAILING_ALERT_AFTER=2, no retries): failing;
    // then a success: recovered.
    const stored = await db().prisma.app.findUniqueOrThrow({ where: { id: app.id } });
    const { endpoint: flaky } = await createTestEndpoint(stored, {
      url: target.url,
      maxRetries: 0,
    });
    for (let i = 0; i < 2; i++)
      await svix.message.create(app.id, { eventType: "a", payload: { fail: true, i } });
    await eventually(
      async () =>
        (await db().prisma.operationalEvent.count({
          where: { endpointId: flaky.id, type: "endpoint.failing" },
        })) === 1 || undefined,
      20_000,
      "endpoint.failing",
    );
    const ok = await svix.message.create(app.id, { eventType: "a", payload: { fail: false } });

    const lifecycle = { appId: app.id, appUid: "lifecycle-app", endpointId: ep.id };
    const expected: [type: string, n: number, data: Record<string, unknown>][] = [
      ["endpoint.created", 1, { ...lifecycle, endpointUid: "ep-life" }],
      ["endpoint.updated", 2, { ...lifecycle, endpointUid: "ep-life" }],
      ["endpoint.disabled", 1, { ...lifecycle, endpointUid: "ep-life", trigger: "manual" }],
      ["endpoint.enabled", 1, { ...lifecycle, endpointUid: "ep-life" }],
      ["endpoint.deleted", 1, { ...lifecycle, endpointUid: "ep-life" }],
      ["message.attempt.failing", 1, { appId: app.id, endpointId: flaky.id }],
      ["message.attempt.exhausted", 2, { appId: app.id, endpointId: flaky.id }],
      [
        "message.attempt.recovered",
        1,
        { appId: app.id, appUid: "lifecycle-app", endpointId: flaky.id, msgId: ok.id },
      ],
    ];
    const schemaErrors: string[] = [];
    for (const [type, n, data] of expected) {
      const requests = await received(ops, (b) => b.type === type, n);
      for (const r of requests) {
        expect(() => new Webhook(opSecret).verify(r.body, r.headers)).not.toThrow();
        expect(r.headers["svix-id"]).toBe(r.headers["webhook-id"]);
        const body = bodyOf(r);
        expect(body, type).toMatchObject({ type, data });
        // A manual disable has no failSince: the open-source spec knows only automatic ones
        // (failSince required), the full API makes it optional.
        const manual = body.data.trigger === "manual";
        const { spec, errors } = svixWebhookErrors(body, manual ? FULL_SPEC : undefined);
        schemaErrors.push(
          ...errors
            .filter((e) => spec !== FULL_SPEC || !HOOKLINE_ID_FORMAT.test(e))
            .map((e) => `${type} (${spec}): ${e}`),
        );
      }
    }
    expect(schemaErrors).toEqual([]);
    const [recovered] = await received(ops, (b) => b.type === "message.attempt.recovered");
    const okAttempt = await findFirstAttemptOrThrow({ endpointId: flaky.id, responseStatus: 200 });
    expect(bodyOf(recovered!).data.lastAttempt).toEqual({
      id: okAttempt.id,
      responseStatusCode: 200,
      timestamp: okAttempt.createdAt.toISOString(),
    });
    // Exactly once per change: no second recovery, nothing for the deleted endpoint's messages.
    const types = ops.requests.map((r) => bodyOf(r).type);
    for (const [type, n] of expected)
      expect(
        types.filter((t) => t === type),
        type,
      ).toHaveLength(n);

    // The operator webhook gets the same events, in Hookline's shape, signed with its secret.
    for (const [type, endpointId] of [
      ["endpoint.created", ep.id],
      ["endpoint.updated", ep.id],
      ["endpoint.enabled", ep.id],
      ["endpoint.deleted", ep.id],
      ["endpoint.recovered", flaky.id],
    ] as const) {
      const [r] = await received(operator, (b) => b.type === type);
      expect(() => new Webhook(operatorSecret).verify(r!.body, r!.headers)).not.toThrow();
      expect(bodyOf(r!).data, type).toMatchObject({ app_id: app.id, endpoint_id: endpointId });
    }
    const [opRecovered] = await received(operator, (b) => b.type === "endpoint.recovered");
    expect(bodyOf(opRecovered!).data).toMatchObject({
      attempt_id: okAttempt.id,
      consecutive_failures: 2,
    });

    expect(checked.answers.filter((a) => a.errors.length > 0)).toEqual([]);
  });
});
