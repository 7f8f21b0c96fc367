import pg from "pg";
import { getDb } from "@/lib/db/client";
import { poolConfigFromUrl } from "@/lib/db/url";
import type { Logger } from "@/lib/log";

export interface ChannelListener {
  /** True while the LISTEN is in place. */
  readonly listening: boolean;
  stop(): Promise<void>;
}

export interface ListenOptions {
  channel: string;
  onNotification(payload: string): void;
  /**
   * Called with true once the LISTEN is in place (also after a reconnect: anything sent while
   * we were away was missed) and with false when the connection is lost.
   */
  onListeningChange(listening: boolean): void;
  log: Logger;
  reconnectDelayMs?: number;
}

/**
 * A dedicated connection LISTENing on one channel, reconnecting after a loss (a database
 * restart) until stopped. Pool connections cannot LISTEN: they are handed to other queries.
 */
export function listenToChannel(options: ListenOptions): ChannelListener {
  const { channel, log } = options;
  const reconnectDelayMs = options.reconnectDelayMs ?? 2_000;
  let stopped = false;
  let listening = false;
  let client: pg.Client | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const setListening = (value: boolean) => {
    if (listening === value) return;
    listening = value;
    options.onListeningChange(value);
  };

  const retryLater = (current: pg.Client) => {
    setListening(false);
    current.end().catch(() => {});
    if (!stopped && client === current)
      reconnectTimer = setTimeout(() => void connect(), reconnectDelayMs);
  };

  const connect = async () => {
    if (stopped) return;
    const current = new pg.Client(poolConfigFromUrl(getDb().url));
    client = current;
    current.on("notification", (message) => options.onNotification(message.payload ?? ""));
    current.on("error", (err) => {
      log.warn("LISTEN connection lost; retrying", { channel, error: err.message });
      retryLater(current);
    });
    try {
      await current.connect();
      await current.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (stopped || client !== current) return;
      setListening(true);
    } catch (err) {
      log.warn("could not LISTEN; retrying", { channel, error: (err as Error).message });
      retryLater(current);
    }
  };

  void connect();
  return {
    get listening() {
      return listening;
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      setListening(false);
      await client?.end().catch(() => {});
    },
  };
}
