/**
 * Everything the benchmark starts registers how to stop it here. `runCleanups()` stops them in
 * reverse order (servers before the databases under them) and is called from `finally`, from
 * SIGINT/SIGTERM and from an uncaught error, so nothing outlives the run.
 */
type Cleanup = { label: string; fn: () => Promise<void> | void };

const cleanups: Cleanup[] = [];
let running: Promise<void> | undefined;

/** Registers a stop function; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(label: string, fn: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { label, fn };
  cleanups.push(entry);
  let done: Promise<void> | undefined;
  return () => {
    done ??= (async () => {
      const i = cleanups.indexOf(entry);
      if (i >= 0) cleanups.splice(i, 1);
      await fn();
    })();
    return done;
  };
}

export function runCleanups(): Promise<void> {
  running ??= (async () => {
    while (cleanups.length > 0) {
      const { label, fn } = cleanups.pop()!;
      try {
        await withTimeout(Promise.resolve(fn()), 45_000, label);
      } catch (err) {
        console.error(`bench: could not stop ${label}: ${(err as Error).message}`);
      }
    }
  })();
  return running;
}

function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>(
      (_, reject) =>
        (timer = setTimeout(
          () => reject(new Error(`${label}: still stopping after ${ms} ms`)),
          ms,
        )),
    ),
  ]).finally(() => clearTimeout(timer));
}

/** SIGINT/SIGTERM and crashes stop everything before the process exits. */
export function installSignalHandlers(): void {
  const stopAndExit = (code: number, why: string) => {
    console.error(`\nbench: ${why}; stopping everything it started`);
    void runCleanups().finally(() => process.exit(code));
  };
  process.once("SIGINT", () => stopAndExit(130, "interrupted"));
  process.once("SIGTERM", () => stopAndExit(143, "terminated"));
  process.on("uncaughtException", (err) =>
    stopAndExit(1, `uncaught error: ${err.stack ?? err.message}`),
  );
  process.on("unhandledRejection", (err) =>
    stopAndExit(1, `unhandled rejection: ${(err as Error)?.stack ?? String(err)}`),
  );
}
