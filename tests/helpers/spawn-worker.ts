/**
 * Spawns tests/helpers/worker-process.ts against a test database and reads its JSON lines.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { TEST_SECRET } from "./db";

export interface WorkerHandle {
  child: ChildProcess;
  /** JSON lines the worker printed. */
  messages: Record<string, unknown>[];
  ready: Promise<void>;
  /** SIGTERM, then the `stopped` message (or null if it died without one). */
  stop(): Promise<Record<string, unknown> | null>;
  kill(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "..", "..");

export function spawnWorker(databaseUrl: string, env: Record<string, string> = {}): WorkerHandle {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "tests/helpers/worker-process.ts")],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        HOOKLINE_SECRET: TEST_SECRET,
        HOOKLINE_ALLOW_PRIVATE_TARGETS: "true",
        HOOKLINE_LOG_LEVEL: "error",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const messages: Record<string, unknown>[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within 30 s: ${stderr}`)),
      30_000,
    );
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const message = JSON.parse(line) as Record<string, unknown>;
        messages.push(message);
        if (message.ready) {
          clearTimeout(timer);
          resolve();
        }
      } catch {
        // not ours
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready: ${stderr}`));
    });
  });
  ready.catch(() => {});
  return {
    child,
    messages,
    ready,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
        await exited;
        clearTimeout(timer);
      }
      return messages.find((m) => m.stopped) ?? null;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
