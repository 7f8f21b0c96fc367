/**
 * Answering within a time limit without lying about writes. A client-side timer alone cannot
 * make "503, nothing was changed" true: a statement already in the database's socket buffer (the
 * server frozen, swapping, stopped) runs and commits whenever the server gets to it, long after
 * the caller was told it failed. So a write carries two instants:
 *
 * - `commitBy`: the database itself refuses to commit after it. The check runs last in the
 *   writing statement (`beforeDeadlineSql`, after its inserts and any lock waits), on the
 *   database's own clock, so work arriving late is rolled back there.
 * - `answerBy`: the caller is answered by then at the latest, `COMMIT_MARGIN_MS` later, with
 *   503 if the write has not been acknowledged.
 *
 * What stays unknowable is a commit that passed the check and then stalled for longer than the
 * margin before its acknowledgement (a freeze inside the commit itself): that narrow window is
 * documented (docs/operations.md), not hidden. The database's clock is assumed to agree with
 * this process's (the embedded one shares it; an external one runs NTP).
 */
export interface WriteDeadline {
  /** Epoch ms after which the database rolls the write back rather than commit it. */
  commitBy: number;
  /** Epoch ms by which the caller is answered. */
  answerBy: number;
}

/** Time left between the database's check and the answer: the commit itself. */
export function commitMarginMs(limitMs: number): number {
  return Math.min(1_000, Math.floor(limitMs / 4));
}

/** The deadlines of a request received at `receivedAt` (epoch ms) that must answer within `limitMs`. */
export function writeDeadline(receivedAt: number, limitMs: number): WriteDeadline {
  // A little of the limit is kept for writing the answer itself.
  const answerBy = receivedAt + limitMs - Math.min(100, Math.floor(limitMs / 10));
  return { answerBy, commitBy: answerBy - commitMarginMs(limitMs) };
}

/** The write's deadline passed before it was sent or committed; nothing was written. */
export class WriteDeadlinePassed extends Error {
  /** query_canceled: recognised as "database unavailable" (503), like the database's own. */
  readonly code = "57014";
  constructor() {
    super("write deadline passed before the database committed it; nothing was written");
  }
}

/**
 * SQL that raises query_canceled if the database's clock is past `deadlineParam` (a timestamptz
 * parameter) and otherwise yields `value`. Put it last in the statement, with `value` depending
 * on the writes (e.g. `(SELECT count(*) FROM inserted)`) so they have all run before the check.
 */
export function beforeDeadlineSql(deadlineParam: string, value: string): string {
  return `hookline_before_deadline(${deadlineParam}::timestamptz, ${value})`;
}
