/**
 * The embedded driver's ready queue: claimed deliveries waiting for a free slot, in turns across
 * apps (each app's first waiting claim, then each app's second, ...; an app's own claims keep
 * their order). Claims arrive in turns already; without re-ordering, a newcomer app's claim would
 * still start behind the whole queue of a busy app's claims.
 */
import type { ClaimedDelivery } from "@/lib/delivery/claimed-delivery";
import { LEASE_MARGIN_SECONDS } from "@/lib/delivery/states";
import type { EndpointLoads } from "@/lib/jobs/endpoint-loads";

/** A queued claim is started only with this much lease to spare beyond its timeout. */
export const LEASE_SAFETY_MS = 5_000;

interface Queued {
  claim: ClaimedDelivery;
  leaseExpiresAt: number;
}

export interface ReadyQueue {
  readonly length: number;
  /** Queues claims leased at `claimedAt` (their lease: timeout + margin from then). */
  add(claims: readonly ClaimedDelivery[], claimedAt: number): void;
  /**
   * Starts, in turn order, each claim whose endpoint allows it while `hasFreeSlot()` says yes;
   * returns the claims too close to their lease's end to start safely (dropped from the queue).
   */
  startWhatCan(
    now: number,
    hasFreeSlot: () => boolean,
    start: (claim: ClaimedDelivery) => void,
  ): ClaimedDelivery[];
  /** The apps with claims waiting. */
  apps(): Set<string>;
  /** Empties the queue (stopping): the claims to hand back. */
  drain(): ClaimedDelivery[];
}

export function inTurnsByApp<T extends { claim: { appId: string } }>(queue: readonly T[]): T[] {
  const turn = new Map<string, number>();
  return queue
    .map((item, index) => {
      const n = (turn.get(item.claim.appId) ?? 0) + 1;
      turn.set(item.claim.appId, n);
      return { item, n, index };
    })
    .sort((x, y) => x.n - y.n || x.index - y.index)
    .map((x) => x.item);
}

export function createReadyQueue(loads: EndpointLoads): ReadyQueue {
  let queue: Queued[] = [];
  return {
    get length() {
      return queue.length;
    },
    add(claims, claimedAt) {
      for (const claim of claims) {
        loads.queue(claim.endpointId, claim.rateLimit);
        queue.push({
          claim,
          leaseExpiresAt: claimedAt + (claim.timeoutSeconds + LEASE_MARGIN_SECONDS) * 1000,
        });
      }
      queue = inTurnsByApp(queue);
    },
    startWhatCan(now, hasFreeSlot, start) {
      const stale: ClaimedDelivery[] = [];
      const keep: Queued[] = [];
      for (const item of queue) {
        const { claim } = item;
        if (now + claim.timeoutSeconds * 1000 + LEASE_SAFETY_MS > item.leaseExpiresAt) {
          loads.drop(claim.endpointId);
          stale.push(claim);
        } else if (!hasFreeSlot() || !loads.canStart(claim.endpointId, now)) {
          keep.push(item);
        } else {
          loads.start(claim.endpointId, now);
          start(claim);
        }
      }
      queue = keep;
      return stale;
    },
    apps() {
      return new Set(queue.map((q) => q.claim.appId));
    },
    drain() {
      const claims = queue.map((q) => q.claim);
      for (const claim of claims) loads.drop(claim.endpointId);
      queue = [];
      return claims;
    },
  };
}
