/** Starts bench/receiver.ts in its own process and talks to it over IPC. */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { BucketStats, ReceiverCommand } from "../receiver";
import { onCleanup } from "./cleanup";

export interface ReceiverProcess {
  port: number;
  pid: number;
  /** Base URL of a bucket: `${url("t")}/3` is endpoint 3 of bucket t. */
  url(bucket: string): string;
  reset(bucket: string): Promise<void>;
  stats(bucket: string): Promise<BucketStats>;
  /** Resolves with the stats once `unique` distinct webhook-ids arrived, or after the timeout (reachedTarget false). */
  waitForUnique(bucket: string, unique: number, timeoutMs: number): Promise<BucketStats>;
  stop(): Promise<void>;
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export async function startReceiver(): Promise<ReceiverProcess> {
  const child: ChildProcess = fork(path.join(import.meta.dirname, "..", "receiver.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let nextId = 1;
  const pending = new Map<number, (message: { stats?: BucketStats }) => void>();
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("the receiver did not start within 30 s")),
      30_000,
    );
    child.once("exit", (code) =>
      reject(new Error(`the receiver exited during start-up (code ${code})`)),
    );
    child.on(
      "message",
      (message: { ready?: boolean; port?: number; id?: number; stats?: BucketStats }) => {
        if (message.ready) {
          clearTimeout(timer);
          resolve(message.port!);
        } else if (message.id !== undefined) {
          pending.get(message.id)?.(message);
          pending.delete(message.id);
        }
      },
    );
  });
  const call = (command: DistributiveOmit<ReceiverCommand, "id">) =>
    new Promise<{ stats?: BucketStats }>((resolve, reject) => {
      if (!child.connected) return reject(new Error("the receiver is not running"));
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ ...command, id });
    });

  const stop = onCleanup("the receiver", async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  });

  return {
    port,
    pid: child.pid!,
    url: (bucket) => `http://127.0.0.1:${port}/${bucket}`,
    reset: async (bucket) => void (await call({ cmd: "reset", bucket })),
    stats: async (bucket) => (await call({ cmd: "stats", bucket })).stats!,
    waitForUnique: async (bucket, unique, timeoutMs) =>
      (await call({ cmd: "wait", bucket, unique, timeoutMs })).stats!,
    stop,
  };
}
