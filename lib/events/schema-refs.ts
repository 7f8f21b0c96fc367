/**
 * `$ref` rules for event type schemas, checked before compiling. A reference must be a local
 * JSON pointer (`#` or `#/...`) that resolves inside the schema, and no chain of references
 * may lead back to where it started: `{"$ref":"#"}` would make every validation recurse
 * without end. Remote references, anchors, `$dynamicRef`/`$recursiveRef` and `$id` below the
 * root (which would move where pointers resolve) are refused, so the check is exact.
 */
type Json = unknown;

interface RefSite {
  /** Where the `$ref` keyword sits (JSON pointer of its schema object). */
  at: string;
  target: string;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

function decodePointer(pointer: string): string[] | null {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) return null;
  return pointer
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function resolve(root: Json, tokens: string[]): boolean {
  let node: Json = root;
  for (const token of tokens) {
    if (node === null || typeof node !== "object") return false;
    if (!Object.prototype.hasOwnProperty.call(node, token)) return false;
    node = (node as Record<string, Json>)[token];
  }
  return node !== null && (typeof node === "object" || typeof node === "boolean");
}

const MAX_NODES = 20_000;

/** A reason the schema's references are not acceptable, or null when they are. */
export function refProblem(schema: Json): string | null {
  const sites: RefSite[] = [];
  // Iterative walk (a schema can be deep); bounded by MAX_NODES.
  const stack: Array<{ node: Json; at: string }> = [{ node: schema, at: "" }];
  let visited = 0;
  while (stack.length) {
    const { node, at } = stack.pop()!;
    if (++visited > MAX_NODES) return `the schema is too large (more than ${MAX_NODES} nodes)`;
    if (node === null || typeof node !== "object") continue;
    if (Array.isArray(node)) {
      node.forEach((child, i) => stack.push({ node: child, at: `${at}/${i}` }));
      continue;
    }
    const obj = node as Record<string, Json>;
    for (const keyword of ["$dynamicRef", "$recursiveRef"]) {
      if (keyword in obj) return `${keyword} is not supported (at "#${at}")`;
    }
    if (at !== "" && typeof obj.$id === "string") {
      return `$id is only allowed at the schema's root (at "#${at}")`;
    }
    if ("$ref" in obj) {
      const ref = obj.$ref;
      if (typeof ref !== "string" || !ref.startsWith("#")) {
        return `$ref ${JSON.stringify(ref)} is not a local reference (only "#" and "#/..." pointers are supported)`;
      }
      let tokens: string[] | null;
      try {
        tokens = decodePointer(decodeURIComponent(ref.slice(1)));
      } catch {
        tokens = null;
      }
      if (!tokens)
        return `$ref ${JSON.stringify(ref)} is not a JSON pointer (anchors are not supported)`;
      if (!resolve(schema, tokens))
        return `$ref ${JSON.stringify(ref)} does not resolve to a schema`;
      sites.push({
        at,
        target: tokens
          .map(escapeToken)
          .map((t) => `/${t}`)
          .join(""),
      });
    }
    for (const [key, child] of Object.entries(obj))
      stack.push({ node: child, at: `${at}/${escapeToken(key)}` });
  }
  return cycleAmong(sites);
}

/** A site reaches another when the other lies inside (or at) its target. */
function cycleAmong(sites: RefSite[]): string | null {
  const inside = (pointer: string, container: string) =>
    pointer === container || pointer.startsWith(`${container}/`);
  const next = (site: RefSite) => sites.filter((other) => inside(other.at, site.target));
  const state = new Map<RefSite, "open" | "done">();
  for (const start of sites) {
    if (state.has(start)) continue;
    // Depth-first with an explicit stack of iterators; each site is opened once.
    const path: Array<{ site: RefSite; rest: RefSite[] }> = [{ site: start, rest: next(start) }];
    state.set(start, "open");
    while (path.length) {
      const top = path[path.length - 1]!;
      const child = top.rest.pop();
      if (!child) {
        state.set(top.site, "done");
        path.pop();
        continue;
      }
      const seen = state.get(child);
      if (seen === "open")
        return `$ref "#${child.target}" at "#${child.at}" is recursive (references may not lead back to themselves)`;
      if (!seen) {
        state.set(child, "open");
        path.push({ site: child, rest: next(child) });
      }
    }
  }
  return null;
}
