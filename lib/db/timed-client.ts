import pg from "pg";

/**
 * A pg client that closes its connection when a query's client-side read timeout fires. pg only
 * reports the timeout: the connection would stay busy with the stalled query, and a
 * transaction's COMMIT queued behind it could still run once the database wakes up. Closing it
 * makes the server roll the transaction back, so a request that got 503 wrote nothing.
 */
export class TimedClient extends pg.Client {
  // pg's `query` has many overloads; this passes every form through unchanged.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: any[]): any {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (err: unknown, res: unknown) => {
        this.closeOnTimeout(err);
        (last as (e: unknown, r: unknown) => void)(err, res);
      };
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result && typeof (result as Promise<unknown>).then === "function") {
      (result as Promise<unknown>).then(undefined, (err: unknown) => this.closeOnTimeout(err));
    }
    return result;
  }

  private closeOnTimeout(err: unknown): void {
    if (err instanceof Error && err.message === "Query read timeout") {
      // The closed connection makes pg emit "Connection terminated unexpectedly" on the client.
      // A client checked out of the pool (a transaction about to roll back) has no listener for
      // it, and an unheard 'error' would end the process: the timeout was already reported to
      // the query's caller, and the pool drops a client that is no longer queryable.
      this.once("error", () => {});
      (
        this as unknown as { connection?: { stream?: { destroy(): void } } }
      ).connection?.stream?.destroy();
    }
  }
}
