/**
 * In-process caches for the rows every API request reads and that rarely change: API keys,
 * apps and event types. Without them a trigger made three lookups before its one insert.
 *
 * A cache only serves while this process is LISTENing for invalidations (see
 * startCacheInvalidation): a statement trigger on each cached table (migration
 * `delivery_storage_and_cache_invalidation`) notifies every server of any change, by any writer.
 * Without a live listener (not started, connection lost, tests calling domain code directly)
 * every lookup goes to the database, so a cache can be late by one notification's travel
 * time at most, never by an outage. Entries also expire after a minute as a backstop.
 */

import { listenToChannel, type ChannelListener } from "@/lib/db/listen-channel";
import { log } from "@/lib/log";
import { processSingleton } from "@/lib/runtime/process-singleton";

/** The tables whose changes are announced on CACHE_INVALIDATION_CHANNEL (the payload). */
export type CachedTable = "api_keys" | "apps" | "event_types";

export const CACHE_INVALIDATION_CHANNEL = "hookline_cache_invalidation";

const ENTRY_TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

export interface LookupCache<V> {
  /** The cached value for `key`, or what `load` returns (cached only if nothing changed meanwhile). */
  get(key: string, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

interface CacheRegistry {
  /** True while invalidations are being received. */
  live: boolean;
  byTable: Map<CachedTable, Set<{ clear(): void }>>;
}

// One per process: Next bundles route modules and instrumentation separately, and they must share one registry.
const registry = processSingleton<CacheRegistry>("cache/lookup-cache", () => ({
  live: false,
  byTable: new Map(),
}));

export function createLookupCache<V>(
  table: CachedTable,
  options: { keep?: (value: V) => boolean } = {},
): LookupCache<V> {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  // Bumped by every clear: a load that started before a change must not store its stale answer.
  let generation = 0;
  const cache: LookupCache<V> = {
    async get(key, load) {
      if (!registry.live) return load();
      const hit = entries.get(key);
      if (hit && hit.expiresAt > Date.now()) return hit.value;
      const started = generation;
      const value = await load();
      if (registry.live && generation === started && (options.keep?.(value) ?? true)) {
        if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        entries.set(key, { value, expiresAt: Date.now() + ENTRY_TTL_MS });
      }
      return value;
    },
    clear() {
      generation++;
      entries.clear();
    },
  };
  let caches = registry.byTable.get(table);
  if (!caches) registry.byTable.set(table, (caches = new Set()));
  caches.add(cache);
  return cache;
}

/** Drops the cached rows of one table (an invalidation arrived), or of all when none is named. */
export function invalidateCaches(table?: string): void {
  for (const [name, caches] of registry.byTable) {
    if (table === undefined || table === name) for (const cache of caches) cache.clear();
  }
}

/**
 * Marks whether invalidations are being received. Turning it off (listener lost) or on (listener
 * back) clears everything: changes made in between were never announced to us.
 */
export function setCachesLive(live: boolean): void {
  registry.live = live;
  invalidateCaches();
}

/** Starts serving from the caches for as long as this process hears their invalidations. */
export function startCacheInvalidation(): ChannelListener {
  return listenToChannel({
    channel: CACHE_INVALIDATION_CHANNEL,
    onNotification: (table) => invalidateCaches(table),
    onListeningChange: setCachesLive,
    log: log.child({ component: "cache" }),
  });
}
