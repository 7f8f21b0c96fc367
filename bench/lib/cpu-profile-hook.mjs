// Loaded with `--import` into Hookline's processes by `npm run bench -- --profile` (Node 20 does
// not allow --cpu-prof in NODE_OPTIONS). Only the Next server profiles itself: from start-up,
// and each SIGUSR2 writes the profile so far to $HOOKLINE_BENCH_PROFILE_DIR and starts anew.
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.HOOKLINE_BENCH_PROFILE_DIR;
const isNextServer = process.argv.some((a) => /[\\/]hookline-server\.mjs$/.test(a));

if (dir && isNextServer) {
  const session = new inspector.Session();
  session.connect();
  let part = 0;
  const start = () => {
    session.post("Profiler.enable");
    session.post("Profiler.setSamplingInterval", { interval: 250 });
    session.post("Profiler.start");
  };
  start();
  process.on("SIGUSR2", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err)
        fs.writeFileSync(
          path.join(dir, `next-server-${process.pid}-${part++}.cpuprofile`),
          JSON.stringify(result.profile),
        );
      start();
    });
  });
}
