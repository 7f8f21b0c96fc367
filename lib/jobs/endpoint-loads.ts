/**
 * Per-endpoint load in one worker process: claims held (queued or running), and the starts in
 * the rolling rate window. The embedded driver's only copy of these counters: every change of
 * them goes through one of the verbs below, each claim's slot freed exactly once.
 */
export const RATE_WINDOW_MS = 1_000;

export interface EndpointLoads {
  /** A claim of the endpoint joined the ready queue (`rateLimit`: its deliveries per second). */
  queue(endpointId: string, rateLimit: number | null): void;
  /** Whether a queued claim of the endpoint may start now: a running slot and the rate allow. */
  canStart(endpointId: string, now: number): boolean;
  /** A queued claim started: it takes a running slot and a start in the rate window. */
  start(endpointId: string, now: number): void;
  /** A queued claim left unstarted (handed back): its place and its claim are given up. */
  drop(endpointId: string): void;
  /** A started claim's request is over (or it was handed back): its running slot is free. */
  finish(endpointId: string): void;
  /** Claims each busy endpoint may still take (running + queued up to `claimLimit`, and the rate). */
  slots(now: number): Map<string, number>;
  /** When the earliest rate-limited endpoint gets a start back (null: none is waiting for one). */
  nextRateSlotAt(): number | null;
  /** The counters of one endpoint (tests, status). */
  of(endpointId: string): Readonly<{ running: number; queued: number; startsInWindow: number }>;
}

interface Load {
  running: number;
  queued: number;
  rateLimit: number | null;
  /** Start times within the rolling rate window, oldest first. */
  starts: number[];
}

export function createEndpointLoads(options: {
  /** Attempts of one endpoint running at once. */
  endpointConcurrency: number;
  /** Claims (running + queued) one endpoint may hold. */
  claimLimit: number;
}): EndpointLoads {
  const loads = new Map<string, Load>();
  const loadOf = (endpointId: string) => {
    let load = loads.get(endpointId);
    if (!load)
      loads.set(endpointId, (load = { running: 0, queued: 0, rateLimit: null, starts: [] }));
    return load;
  };
  const startsInWindow = (load: Load, now: number) => {
    while (load.starts.length && now - load.starts[0]! >= RATE_WINDOW_MS) load.starts.shift();
    return load.starts.length;
  };
  // Never below zero: a negative count would hand out slots that do not exist.
  const decrement = (load: Load, field: "running" | "queued") => {
    load[field] = Math.max(0, load[field] - 1);
  };

  return {
    queue(endpointId, rateLimit) {
      const load = loadOf(endpointId);
      load.rateLimit = rateLimit;
      load.queued++;
    },
    canStart(endpointId, now) {
      const load = loadOf(endpointId);
      return (
        load.running < options.endpointConcurrency &&
        (load.rateLimit === null || startsInWindow(load, now) < load.rateLimit)
      );
    },
    start(endpointId, now) {
      const load = loadOf(endpointId);
      decrement(load, "queued");
      load.running++;
      load.starts.push(now);
    },
    drop(endpointId) {
      decrement(loadOf(endpointId), "queued");
    },
    finish(endpointId) {
      decrement(loadOf(endpointId), "running");
    },
    slots(now) {
      const slots = new Map<string, number>();
      for (const [id, load] of loads) {
        const started = startsInWindow(load, now);
        if (load.running === 0 && load.queued === 0 && started === 0) {
          loads.delete(id);
          continue;
        }
        const byClaims = options.claimLimit - load.running - load.queued;
        slots.set(
          id,
          load.rateLimit === null
            ? byClaims
            : Math.min(byClaims, load.rateLimit - started - load.queued),
        );
      }
      return slots;
    },
    nextRateSlotAt() {
      let earliest: number | null = null;
      for (const load of loads.values()) {
        if (
          load.rateLimit !== null &&
          load.starts.length >= load.rateLimit &&
          load.starts[0] !== undefined
        ) {
          const at = load.starts[0] + RATE_WINDOW_MS;
          earliest = earliest === null ? at : Math.min(earliest, at);
        }
      }
      return earliest;
    },
    of(endpointId) {
      const load = loads.get(endpointId);
      if (!load) return { running: 0, queued: 0, startsInWindow: 0 };
      return { running: load.running, queued: load.queued, startsInWindow: load.starts.length };
    },
  };
}
