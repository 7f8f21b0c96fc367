/**
 * The one wake/sleep mechanism of every background loop (deliveries, fan-out, replay tasks): a
 * loop sleeps until woken or until its timeout, and a wake-up that arrives while it is busy is
 * remembered, so the next sleep returns at once and no announced work waits for a poll.
 */
export interface WakeSignal {
  wake(): void;
  /** Sleeps up to `ms`, or until woken; returns at once if woken since the last `clear()`/sleep. */
  sleep(ms: number): Promise<void>;
  /** Forgets wake-ups so far (call before looking for work: what it finds, it handles). */
  clear(): void;
  /** Ends every sleep now and from now on (the loop is stopping). */
  close(): void;
}

export function createWakeSignal(): WakeSignal {
  let requested = false;
  let closed = false;
  let waiter: (() => void) | undefined;
  return {
    wake() {
      requested = true;
      waiter?.();
    },
    sleep(ms) {
      return new Promise<void>((resolve) => {
        if (requested || closed) {
          requested = false;
          return resolve();
        }
        const timer = setTimeout(done, Math.max(0, ms));
        function done() {
          clearTimeout(timer);
          waiter = undefined;
          requested = false;
          resolve();
        }
        waiter = done;
      });
    },
    clear() {
      requested = false;
    },
    close() {
      closed = true;
      waiter?.();
    },
  };
}
