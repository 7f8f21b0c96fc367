/**
 * Which of the deliveries a fan-out just made its worker leases on the spot (lib/delivery/
 * fan-out-events.ts, `FanOutLease`): what it can start soon, so a new event's first deliveries go
 * from commit to request without a claim in between. FIFO lines (only a line's head may go) and
 * rate-limited endpoints are left to the claim, which knows their rules.
 */
import type { MadeDelivery } from "@/lib/delivery/fan-out-events";
import { inTurnsByApp } from "@/lib/jobs/ready-queue";

export interface FreshLeaseRoom {
  /** Claims the worker can take now (running + queued below their limits). */
  capacity: number;
  /** Apps with claims waiting in the worker's ready queue. */
  waitingApps: ReadonlySet<string>;
  /** An app with nothing waiting may take this many beyond `capacity` (its turn comes next). */
  newcomerShare: number;
  /** Free claim slots of endpoints the worker holds claims for. */
  endpointSlots: ReadonlyMap<string, number>;
  /** Free claim slots of any other endpoint. */
  defaultEndpointSlots: number;
}

/** The ids to lease, taken in turns across apps, each endpoint within its free slots. */
export function pickFreshLeases(made: readonly MadeDelivery[], room: FreshLeaseRoom): string[] {
  let capacity = room.capacity;
  const perEndpoint = new Map<string, number>();
  const beyond = new Map<string, number>();
  // An app given a lease within the capacity has claims waiting from then on.
  const waiting = new Set(room.waitingApps);
  const picked: string[] = [];
  for (const { claim: d } of inTurnsByApp(made.map((claim) => ({ claim })))) {
    if (d.fifo || d.rateLimit !== null) continue;
    const used = perEndpoint.get(d.endpointId) ?? 0;
    if (used >= (room.endpointSlots.get(d.endpointId) ?? room.defaultEndpointSlots)) continue;
    if (capacity > 0) {
      capacity--;
      waiting.add(d.appId);
    } else {
      const extra = beyond.get(d.appId) ?? 0;
      if (waiting.has(d.appId) || extra >= room.newcomerShare) continue;
      beyond.set(d.appId, extra + 1);
    }
    perEndpoint.set(d.endpointId, used + 1);
    picked.push(d.deliveryId);
  }
  return picked;
}
