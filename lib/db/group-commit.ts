/**
 * Group commit: calls that arrive while a write is in flight wait for it and go together in the
 * next statement, so N concurrent callers cost a few statements, not N. Nothing waits on a
 * timer: a lone call is written at once. Every caller's promise settles only after its batch
 * committed (nothing is acknowledged before it is durable). If a batch fails, each item is
 * written on its own (`writeOne`), so one bad item cannot fail the others.
 */
export interface GroupCommit<I, O> {
  /** Queues `item`; resolves with its result once its batch committed. */
  submit(item: I): Promise<O>;
  /** Resolves when everything submitted so far is written. */
  drain(): Promise<void>;
}

export interface GroupCommitOptions<I, O> {
  /** Writes a batch; returns one result per item, in order. */
  writeBatch(items: I[]): Promise<O[]>;
  /** Writes one item (a batch of one, and the fallback when a batch fails). */
  writeOne(item: I): Promise<O>;
  maxBatch?: number;
  /** Statements in flight at once (default 1: fewer, larger batches; each commit's WAL flush is paid less often). */
  maxInFlight?: number;
  /** Told when a batch failed and its items are written one by one. */
  onBatchError?(err: unknown, size: number): void;
  /**
   * An item that may no longer be written (its deadline passed while it waited) is refused with
   * the error returned here instead of being sent.
   */
  refuse?(item: I): Error | undefined;
}

interface Pending<I, O> {
  item: I;
  resolve(result: O): void;
  reject(err: unknown): void;
}

export function createGroupCommit<I, O>(options: GroupCommitOptions<I, O>): GroupCommit<I, O> {
  const maxBatch = options.maxBatch ?? 200;
  const maxInFlight = options.maxInFlight ?? 1;
  let queue: Pending<I, O>[] = [];
  let inFlight = 0;
  const idle: (() => void)[] = [];

  /** The items still to be written; the refused ones are rejected here. */
  const admitted = (batch: Pending<I, O>[]) =>
    batch.filter((p) => {
      const refusal = options.refuse?.(p.item);
      if (refusal) p.reject(refusal);
      return !refusal;
    });
  const writeEach = (batch: Pending<I, O>[]) =>
    Promise.all(admitted(batch).map((p) => options.writeOne(p.item).then(p.resolve, p.reject)));
  const write = async (batch: Pending<I, O>[]) => {
    if (batch.length === 1) return void (await writeEach(batch));
    let results: O[];
    try {
      results = await options.writeBatch(batch.map((p) => p.item));
    } catch (err) {
      options.onBatchError?.(err, batch.length);
      return void (await writeEach(batch));
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  };
  const flush = () => {
    while (queue.length > 0 && inFlight < maxInFlight) {
      const taken = queue.slice(0, maxBatch);
      queue = queue.slice(taken.length);
      const batch = admitted(taken);
      if (batch.length === 0) continue;
      inFlight++;
      void write(batch).finally(() => {
        inFlight--;
        flush();
      });
    }
    if (inFlight === 0 && queue.length === 0) idle.splice(0).forEach((resolve) => resolve());
  };
  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        flush();
      });
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}
