/**
 * Where the machine's CPU went during a phase: the Hookline server, its PostgreSQL (postmaster,
 * backends and exited children), the receiver, this process (load generator), and everything
 * else on the machine (from /proc/stat). Linux only; elsewhere the figures are null.
 */
import fs from "node:fs";
import os from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

function procTimes(pid: number, withChildren = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[11..14] = utime, stime, cutime, cstime (the stat fields 14-17)
    const own = Number(fields[11]) + Number(fields[12]);
    return (withChildren ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function machineBusyMs(): number {
  const line = fs
    .readFileSync("/proc/stat", "utf8")
    .split("\n")[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user, nice, system, , , irq, softirq, steal] = line;
  return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * TICK_MS;
}

export interface CpuGroups {
  server?: number;
  postgres?: number;
  receiver?: number;
}

export interface CpuReport {
  wallSeconds: number;
  cores: number;
  /** CPU seconds per group; `others` is the rest of the machine (other tenants included). */
  seconds: {
    server: number;
    postgres: number;
    receiver: number;
    loadGenerator: number;
    others: number;
  };
}

function snapshot(groups: CpuGroups) {
  const self = process.cpuUsage();
  return {
    at: performance.now(),
    server: groups.server ? procTimes(groups.server) : 0,
    // The postmaster's own time plus its live backends plus the backends that already exited.
    postgres: groups.postgres
      ? procTimes(groups.postgres, true) +
        childrenOf(groups.postgres).reduce((a, pid) => a + procTimes(pid), 0)
      : 0,
    receiver: groups.receiver ? procTimes(groups.receiver) : 0,
    self: (self.user + self.system) / 1000,
    machine: machineBusyMs(),
  };
}

/** Starts measuring; `stop()` returns the CPU seconds each group used since. */
export function measureCpu(groups: CpuGroups): { stop(): CpuReport | null } {
  if (process.platform !== "linux") return { stop: () => null };
  const before = snapshot(groups);
  return {
    stop() {
      const after = snapshot(groups);
      const d = (k: "server" | "postgres" | "receiver" | "self" | "machine") =>
        Math.max(0, after[k] - before[k]) / 1000;
      const ours = d("server") + d("postgres") + d("receiver") + d("self");
      return {
        wallSeconds: (after.at - before.at) / 1000,
        cores: os.cpus().length,
        seconds: {
          server: d("server"),
          postgres: d("postgres"),
          receiver: d("receiver"),
          loadGenerator: d("self"),
          others: Math.max(0, d("machine") - ours),
        },
      };
    },
  };
}

export function describeCpu(r: CpuReport | null): string {
  if (!r) return "CPU use not available on this platform";
  const share = (s: number) => `${((100 * s) / (r.wallSeconds * r.cores)).toFixed(0)}%`;
  const s = r.seconds;
  return (
    `CPU over ${r.wallSeconds.toFixed(1)} s x ${r.cores} cores: server ${s.server.toFixed(1)} s (${share(s.server)}), postgres ${s.postgres.toFixed(1)} s (${share(s.postgres)}), ` +
    `receiver ${s.receiver.toFixed(1)} s (${share(s.receiver)}), load generator ${s.loadGenerator.toFixed(1)} s (${share(s.loadGenerator)}), other processes ${s.others.toFixed(1)} s (${share(s.others)})`
  );
}
