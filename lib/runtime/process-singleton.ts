/**
 * The one place per-process state is shared between separately bundled copies of a module.
 *
 * Next compiles each server entry in its own layer: the instrumentation hook (which starts the
 * job driver and the cache listener), the route handlers and the pages each get their own
 * instance of every `lib/` module they import, inside one process and one module registry (see
 * scripts/next-server.ts). State that must be one per process — the database pool, the lookup
 * caches, the metrics, the wake-up hooks — therefore lives here, created once by whichever copy
 * asks first and found by the others under the same key.
 *
 * Nothing else in the code base may keep state on `globalThis`: lib/runtime/process-singleton.test.ts
 * scans the sources and fails on any other holder.
 */
const REGISTRY = Symbol.for("hookline.process-singletons");

type Registry = Map<string, unknown>;

function registry(): Registry {
  const g = globalThis as { [REGISTRY]?: Registry };
  return (g[REGISTRY] ??= new Map());
}

/**
 * The process's one value for `key`, made by `create` on first use. Every copy of a module must
 * ask with the same key and get the same kind of value; keys name the owning module
 * ("db/client") so two modules cannot collide.
 */
export function processSingleton<T>(key: string, create: () => T): T {
  const values = registry();
  if (!values.has(key)) values.set(key, create());
  return values.get(key) as T;
}

/** The keys made so far in this process (for tests and diagnostics). */
export function processSingletonKeys(): string[] {
  return [...registry().keys()];
}
