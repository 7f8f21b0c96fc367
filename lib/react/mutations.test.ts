import { QueryClient, type QueryKey } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { hooklineKeys } from "./keys";
import { hooklineOperations, operationInvalidations, settleOperation } from "./mutations";
import type { ReplayRequest, WebhookEndpoint } from "./types";

/** A cache holding one answer under each key the hooks read. */
function filledCache() {
  const qc = new QueryClient();
  const keys: Record<string, QueryKey> = {
    endpoints: [...hooklineKeys.endpoints, { limit: 250 }],
    endpoint: hooklineKeys.endpoint("ep_1"),
    otherEndpoint: hooklineKeys.endpoint("ep_2"),
    deliveries: [...hooklineKeys.deliveries, { limit: 50 }],
    delivery: hooklineKeys.delivery("msg_1"),
    replayPreview: [...hooklineKeys.replayPreview, { status: "failed" }],
    replayTasks: [...hooklineKeys.replayTasks, { limit: 20 }],
    replayTask: hooklineKeys.replayTask("task_1"),
    catalog: hooklineKeys.catalog,
    subscriptions: hooklineKeys.subscriptions,
    analytics: [...hooklineKeys.analytics, {}],
    timeseries: [...hooklineKeys.timeseries, {}],
    stats: hooklineKeys.stats,
    session: hooklineKeys.session,
  };
  for (const key of Object.values(keys)) qc.setQueryData(key, { cached: true });
  const invalidated = () =>
    Object.entries(keys)
      .filter(([, key]) => qc.getQueryState(key)?.isInvalidated)
      .map(([name]) => name)
      .sort();
  return { qc, keys, invalidated };
}

describe("the operations' invalidation map", () => {
  it("has one entry for every operation, and none for an operation that does not exist", () => {
    expect(Object.keys(operationInvalidations).sort()).toEqual(
      Object.keys(hooklineOperations).sort(),
    );
  });

  it("creating an endpoint refreshes the endpoint list, catalog, subscriptions and stats", async () => {
    const { qc, invalidated } = filledCache();
    await settleOperation(qc, "createEndpoint", { url: "https://x.test" }, {} as never);
    // One endpoint's key sits under the list's, so it is refreshed with it.
    expect(invalidated()).toEqual(
      ["catalog", "endpoint", "endpoints", "otherEndpoint", "stats", "subscriptions"].sort(),
    );
  });

  it("an update writes the answer to the endpoint's own query", async () => {
    const { qc, keys } = filledCache();
    const updated = { id: "ep_1", url: "https://new.test" } as WebhookEndpoint;
    await settleOperation(qc, "updateEndpoint", { id: "ep_1", input: {} }, updated);
    expect(qc.getQueryData(keys.endpoint!)).toEqual(updated);
    expect(qc.getQueryData(keys.otherEndpoint!)).toEqual({ cached: true });
  });

  it("a delete forgets the endpoint's own query", async () => {
    const { qc, keys } = filledCache();
    await settleOperation(qc, "deleteEndpoint", "ep_1", undefined);
    expect(qc.getQueryState(keys.endpoint!)).toBeUndefined();
    expect(qc.getQueryState(keys.otherEndpoint!)).toBeDefined();
  });

  it("starting a bulk replay refreshes deliveries, the replay count and the tasks", async () => {
    const { qc, invalidated } = filledCache();
    const request: ReplayRequest = { status: "failed" };
    await settleOperation(qc, "replayDelivery", request, { data: {} as never });
    expect(invalidated()).toEqual(["deliveries", "replayPreview", "replayTask", "replayTasks"]);
  });

  it("replaying or skipping one delivery refreshes that delivery, not another", async () => {
    const { qc, invalidated } = filledCache();
    await settleOperation(qc, "replayOneDelivery", "msg_1", {} as never);
    expect(invalidated()).toEqual(["deliveries", "delivery", "replayPreview", "stats"]);
    const other = filledCache();
    await settleOperation(other.qc, "skipDelivery", "msg_2", {} as never);
    expect(other.invalidated()).not.toContain("delivery");
    expect(other.invalidated()).toContain("endpoints");
  });

  it("rotating one endpoint's secret refreshes that endpoint only; reads refresh nothing", async () => {
    const { qc, invalidated } = filledCache();
    await settleOperation(qc, "rotateSecret", { endpoint_id: "ep_2" }, {});
    expect(invalidated()).toEqual(["otherEndpoint"]);
    await settleOperation(qc, "revealSecret", "ep_1", "whsec_x");
    await settleOperation(qc, "previewReplay", {}, { count: 1 } as never);
    expect(invalidated()).toEqual(["otherEndpoint"]);
  });

  it("ending the session forgets every Hookline query", async () => {
    const { qc, keys } = filledCache();
    qc.setQueryData(["product", "own"], 1);
    await settleOperation(qc, "endSession", undefined, undefined);
    for (const key of Object.values(keys)) expect(qc.getQueryState(key)).toBeUndefined();
    expect(qc.getQueryData(["product", "own"])).toBe(1);
  });

  it("every key it names is a Hookline key", () => {
    const inputs: Record<string, unknown> = {
      updateEndpoint: { id: "ep_1", input: {} },
      testEndpoint: { id: "ep_1" },
      rotateSecret: { endpoint_id: "ep_1" },
      fetchReplayTaskStatus: { taskId: "t" },
    };
    for (const [name, keysFor] of Object.entries(operationInvalidations)) {
      const keys = (keysFor as (input: unknown) => readonly QueryKey[])(inputs[name] ?? "id_1");
      for (const key of keys) expect(key[0], name).toBe(hooklineKeys.all[0]);
    }
  });
});
