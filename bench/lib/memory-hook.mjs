// Loaded with `--import` into Hookline's processes by `npm run bench -- --memory`. Only the Next
// server records itself: process.memoryUsage() every 250 ms, and on SIGUSR2 (or exit) the peak of
// each figure so far goes to $HOOKLINE_BENCH_MEMORY_FILE, so RSS can be told apart into V8 heap,
// external buffers and the rest (code, native allocations).
import fs from "node:fs";
import v8 from "node:v8";
import vm from "node:vm";

const file = process.env.HOOKLINE_BENCH_MEMORY_FILE;
const isNextServer = process.argv.some((a) => /[\\/]hookline-server\.mjs$/.test(a));

if (file && isNextServer) {
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
  let atPeakRss = { ...peak };
  const sample = () => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k]);
    if (m.rss >= atPeakRss.rss)
      atPeakRss = {
        rss: m.rss,
        heapTotal: m.heapTotal,
        heapUsed: m.heapUsed,
        external: m.external,
        arrayBuffers: m.arrayBuffers,
      };
  };
  setInterval(sample, 250).unref();
  // What is still reachable after a full collection (retained, as opposed to garbage not yet collected).
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc");
  const write = () => {
    sample();
    gc();
    const afterGc = process.memoryUsage();
    fs.writeFileSync(
      file,
      JSON.stringify({
        peak,
        atPeakRss,
        afterGc: { heapUsed: afterGc.heapUsed, rss: afterGc.rss },
      }),
    );
  };
  process.on("SIGUSR2", write);
  process.on("exit", write);
}
