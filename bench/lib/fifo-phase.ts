/**
 * The FIFO row: do ordinary endpoints keep their throughput while FIFO endpoints are busy beside
 * them? Same server, same run: `deliveries` to ten ordinary endpoints alone, then the same again
 * while a few FIFO endpoints work through a backlog (their heads are a second claim source). The
 * FIFO lines' own rate (one attempt at a time each) is reported too. Rates are means of three runs each.
 */
import type pg from "pg";
import type { HooklineServer } from "./hookline";
import type { ReceiverProcess } from "./receiver-client";
import { FAN_OUT, now, pool } from "./workload";

export interface FifoResult {
  deliveries: number;
  fifoEndpoints: number;
  fifoDeliveries: number;
  alonePerSecond: number;
  besidePerSecond: number;
  ratio: number;
  /** Beside runs counting the FIFO deliveries recorded meanwhile too (the same machine did both). */
  besideTotalPerSecond: number;
  /** FIFO deliveries still queued when each ordinary run beside them ended, at least (> 0: busy throughout). */
  fifoQueuedAtEnd: number;
  /** Deliveries per second per FIFO endpoint over the whole backlog. */
  fifoPerSecondPerLine: number | null;
}

export interface FifoPhaseDeps {
  server: HooklineServer;
  receiver: ReceiverProcess;
  db: pg.Pool;
  /** Triggers `events` events to the app (many clients); resolves when all were accepted. */
  ingest(app: { id: string; slug: string }, events: number, label: string): Promise<unknown>;
  recordedSuccesses(appId: string): Promise<number>;
  say(message: string): void;
}

async function appWithEndpoints(
  deps: FifoPhaseDeps,
  slug: string,
  bucket: string,
  count: number,
  ordering: "concurrent" | "fifo",
) {
  const app = await deps.server.api<{ id: string; slug: string }>("POST", "/api/v1/apps", {
    slug,
    name: slug,
  });
  if (app.status !== 201) throw new Error(`creating app ${slug}: HTTP ${app.status}`);
  await pool(count, 4, async (i) => {
    const res = await deps.server.api("POST", `/api/v1/apps/${slug}/endpoints`, {
      url: `${deps.receiver.url(bucket)}/${i}`,
      subscriptions: ["order.*"],
      ordering,
    });
    if (res.status !== 201)
      throw new Error(
        `creating endpoint ${i} of ${slug}: HTTP ${res.status} ${JSON.stringify(res.json)}`,
      );
  });
  await deps.receiver.reset(bucket);
  return { id: app.json.id, slug: app.json.slug };
}

async function untilRecorded(
  deps: FifoPhaseDeps,
  appId: string,
  target: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = now() + timeoutMs;
  while (now() < deadline) {
    if ((await deps.recordedSuccesses(appId)) >= target) return now();
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `fifo phase: only ${await deps.recordedSuccesses(appId)} of ${target} deliveries recorded in time`,
  );
}

/**
 * Alone and beside, three times each, alternating: the first run on a
 * fresh server is also its warm-up, and the machine's load drifts, so one pair alone would
 * measure the order more than the FIFO lines.
 */
export async function fifoPhase(
  deps: FifoPhaseDeps,
  options: { deliveries: number; fifoEndpoints: number; fifoEvents: number },
): Promise<FifoResult> {
  const events = Math.ceil(options.deliveries / FAN_OUT);
  const deliveries = events * FAN_OUT;
  const lines = await appWithEndpoints(deps, "fifo-lines", "ff", options.fifoEndpoints, "fifo");
  const rates = { alone: [] as number[], beside: [] as number[], besideTotal: [] as number[] };
  let fifoTriggered = 0;
  let fifoStarted: number | null = null;
  let fifoQueuedAtEnd = Number.POSITIVE_INFINITY;
  const rounds = ["alone", "beside", "alone", "beside", "alone", "beside"] as const;
  for (const [i, kind] of rounds.entries()) {
    const app = await appWithEndpoints(deps, `fifo-${kind}-${i}`, `f${i}`, FAN_OUT, "concurrent");
    if (kind === "beside") {
      fifoStarted ??= now();
      await deps.ingest(lines, options.fifoEvents, `fifo row, FIFO backlog ${i}`);
      fifoTriggered += options.fifoEvents;
    }
    const fifoBefore = await deps.recordedSuccesses(lines.id);
    const started = now();
    await deps.ingest(app, events, `fifo row, ordinary ${kind}`);
    const seconds =
      ((await untilRecorded(deps, app.id, deliveries, Math.max(120_000, deliveries * 10))) -
        started) /
      1000;
    rates[kind].push(deliveries / seconds);
    if (kind === "beside") {
      const fifoAfter = await deps.recordedSuccesses(lines.id);
      rates.besideTotal.push((deliveries + fifoAfter - fifoBefore) / seconds);
      fifoQueuedAtEnd = Math.min(
        fifoQueuedAtEnd,
        fifoTriggered * options.fifoEndpoints - fifoAfter,
      );
    }
    deps.say(
      `  fifo row, round ${i + 1} (${kind}): ${Math.round(deliveries / seconds).toLocaleString()} deliveries/s`,
    );
  }
  const fifoDeliveries = fifoTriggered * options.fifoEndpoints;
  let fifoPerSecondPerLine: number | null = null;
  try {
    const doneAt = await untilRecorded(deps, lines.id, fifoDeliveries, 300_000);
    fifoPerSecondPerLine = fifoTriggered / ((doneAt - fifoStarted!) / 1000);
  } catch (err) {
    deps.say(`  ${(err as Error).message}`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const result: FifoResult = {
    deliveries,
    fifoEndpoints: options.fifoEndpoints,
    fifoDeliveries,
    alonePerSecond: mean(rates.alone),
    besidePerSecond: mean(rates.beside),
    ratio: mean(rates.beside) / mean(rates.alone),
    besideTotalPerSecond: mean(rates.besideTotal),
    fifoQueuedAtEnd,
    fifoPerSecondPerLine,
  };
  deps.say(
    `  ordinary alone ${Math.round(result.alonePerSecond).toLocaleString()}/s, beside FIFO ${Math.round(result.besidePerSecond).toLocaleString()}/s ` +
      `(${result.ratio.toFixed(2)} x; ${Math.round(result.besideTotalPerSecond).toLocaleString()}/s with the FIFO deliveries made meanwhile; at least ${fifoQueuedAtEnd.toLocaleString()} FIFO deliveries still queued at the end of each run beside them); ` +
      `FIFO ${fifoPerSecondPerLine === null ? "-" : Math.round(fifoPerSecondPerLine).toLocaleString()}/s per endpoint`,
  );
  return result;
}
