/**
 * Summarises a .cpuprofile from `npm run bench -- --profile`: busy vs idle share, the top
 * functions by self time, and self time by package/file.
 *   node --import tsx bench/tools/profile-summary.ts bench/profiles/next-server-123-1.cpuprofile [top]
 */
import fs from "node:fs";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const file = process.argv[2];
if (!file) {
  console.error("usage: profile-summary.ts FILE.cpuprofile [top]");
  process.exit(2);
}
const top = Number(process.argv[3] ?? 40);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) =>
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
);
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (url: string) => {
  if (!url) return "(native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith("node:")) return url;
  const chunk = url.indexOf(".next/");
  return chunk >= 0 ? url.slice(chunk) : url.replace(/^file:\/\//, "");
};

const fn = new Map<string, number>();
const pkg = new Map<string, number>();
for (const [id, us] of self) {
  const n = byId.get(id)!;
  const name = `${n.callFrame.functionName || "(anonymous)"} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fn.set(name, (fn.get(name) ?? 0) + us);
  const p = where(n.callFrame.url);
  pkg.set(p, (pkg.get(p) ?? 0) + us);
}
const pct = (us: number) => ((100 * us) / total).toFixed(1).padStart(5) + "%";
const idle = [...self].filter(([id]) =>
  ["(idle)", "(program)", "(garbage collector)"].includes(byId.get(id)!.callFrame.functionName),
);
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
for (const [id, us] of idle) console.log(`  ${pct(us)}  ${byId.get(id)!.callFrame.functionName}`);
console.log("\nby file/package (self):");
for (const [k, us] of [...pkg].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`  ${pct(us)}  ${k}`);
console.log("\nby function (self):");
for (const [k, us] of [...fn].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`  ${pct(us)}  ${k}`);

// With a third argument, the call stacks (3 frames up) under which a function spends its self time.
const focus = process.argv[4];
if (focus) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stacks = new Map<string, number>();
  for (const [id, us] of self) {
    if (byId.get(id)!.callFrame.functionName !== focus) continue;
    const frames: string[] = [];
    let p = parent.get(id);
    for (let k = 0; k < Number(process.env.DEPTH ?? 6) && p !== undefined; k++, p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      frames.push(
        `${f.functionName || "(anon)"}@${where(f.url).split("/").pop()}:${f.lineNumber + 1}`,
      );
    }
    const key = frames.join(" < ");
    stacks.set(key, (stacks.get(key) ?? 0) + us);
  }
  console.log(`\n${focus} called from:`);
  for (const [k, us] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${pct(us)}  ${k}`);
}

// With HOOKLINE_PROFILE_INCLUSIVE=1, the top functions by inclusive time (each sample counted once per function).
if (process.env.HOOKLINE_PROFILE_INCLUSIVE) {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
      const f = byId.get(p)!.callFrame;
      const name = `${f.functionName || "(anon)"} ${where(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + us);
    }
  }
  console.log("\nby function (inclusive):");
  for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`  ${pct(us)}  ${k}`);
}
