import { describe, expect, it } from "vitest";
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { LEASE_MARGIN_SECONDS } from "@/lib/delivery/states";
import { createEndpointLoads } from "@/lib/jobs/endpoint-loads";
import { createReadyQueue, inTurnsByApp, LEASE_SAFETY_MS } from "@/lib/jobs/ready-queue";

function claim(deliveryId: string, appId: string, endpointId = `ep_${appId}`): ClaimedDelivery {
  return { deliveryId, appId, endpointId, timeoutSeconds: 10, rateLimit: null } as ClaimedDelivery;
}

describe("ready queue", () => {
  it("orders claims in turns across apps, each app's own in their order", () => {
    const order = inTurnsByApp(
      ["a1", "a2", "a3", "b1", "c1", "b2"].map((id) => ({ claim: claim(id, id[0]!) })),
    ).map((q) => q.claim.deliveryId);
    expect(order).toEqual(["a1", "b1", "c1", "a2", "b2", "a3"]);
  });

  it("starts a newcomer app's claim before a busy app's queue", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 100, claimLimit: 200 });
    const ready = createReadyQueue(loads);
    ready.add(
      Array.from({ length: 5 }, (_, i) => claim(`a${i}`, "a", `ep_a${i}`)),
      0,
    );
    ready.add([claim("b0", "b")], 0);
    const started: string[] = [];
    let free = 2;
    ready.startWhatCan(
      1,
      () => free-- > 0,
      (c) => started.push(c.deliveryId),
    );
    expect(started).toEqual(["a0", "b0"]);
    expect(ready.length).toBe(4);
    expect(ready.apps()).toEqual(new Set(["a"]));
  });

  it("keeps a claim whose endpoint is busy and starts the next one", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 1, claimLimit: 2 });
    const ready = createReadyQueue(loads);
    ready.add([claim("a0", "a"), claim("a1", "a"), claim("a2", "a", "ep_other")], 0);
    const started: string[] = [];
    ready.startWhatCan(
      1,
      () => true,
      (c) => started.push(c.deliveryId),
    );
    expect(started).toEqual(["a0", "a2"]);
    expect(loads.of("ep_a")).toEqual({ running: 1, queued: 1, startsInWindow: 1 });
  });

  it("drops claims too close to the end of their lease, giving up their load", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 1, claimLimit: 2 });
    const ready = createReadyQueue(loads);
    ready.add([claim("a0", "a")], 0);
    // The lease runs timeout + margin from the claim; starting needs timeout + safety left.
    const tooLate = LEASE_MARGIN_SECONDS * 1000 - LEASE_SAFETY_MS + 1;
    const stale = ready.startWhatCan(
      tooLate,
      () => true,
      () => {
        throw new Error("must not start");
      },
    );
    expect(stale.map((c) => c.deliveryId)).toEqual(["a0"]);
    expect(ready.length).toBe(0);
    expect(loads.of("ep_a")).toMatchObject({ running: 0, queued: 0 });
  });

  it("drains every waiting claim when stopping", () => {
    const loads = createEndpointLoads({ endpointConcurrency: 1, claimLimit: 4 });
    const ready = createReadyQueue(loads);
    ready.add([claim("a0", "a"), claim("a1", "a")], 0);
    expect(ready.drain().map((c) => c.deliveryId)).toEqual(["a0", "a1"]);
    expect(loads.of("ep_a").queued).toBe(0);
  });
});
