/**
 * The README's curl quickstart, pasted into shells as a new user would: its first block starts
 * the server (on a non-default port), its second a receiver, its third creates a key, an app, an
 * endpoint and an event; the receiver must get the event signed with the endpoint's secret.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "@/lib/db/embedded-postgres";
import { ROOT, tempDataDir, waitFor } from "../helpers/server";

const SECTION = "## Quickstart: a first delivery with curl";

/** The ```sh blocks of the quickstart section, verbatim. */
function quickstartBlocks(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(SECTION);
  expect(start, "README has the quickstart section").toBeGreaterThanOrEqual(0);
  const end = readme.indexOf("\n## ", start + SECTION.length);
  const section = readme.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

interface Shell {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** Runs a script in a process group of its own, so everything it started can be stopped. */
function runShell(script: string, env: Record<string, string>): Shell {
  const child = spawn("bash", ["-c", script], {
    cwd: ROOT,
    env: { ...process.env, ...env, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => out, exited };
}

async function stopGroup(shell: Shell | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!shell?.child.pid) return;
  try {
    process.kill(-shell.child.pid, signal);
  } catch {
    return; // already gone
  }
  await waitFor(
    "the process group to end",
    async () => {
      try {
        process.kill(-shell.child.pid!, 0);
        return false;
      } catch {
        return true;
      }
    },
    45_000,
    100,
  );
}

const dataDir = tempDataDir("quickstart");
let server: Shell | undefined;
let receiver: Shell | undefined;
let commands: Shell | undefined;

afterAll(async () => {
  await stopGroup(commands, "SIGKILL");
  await stopGroup(receiver, "SIGKILL");
  await stopGroup(server, "SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("README quickstart", () => {
  it("delivers a signed event to a local receiver with only the pasted commands", async () => {
    const blocks = quickstartBlocks();
    expect(blocks).toHaveLength(3);
    const [startBlock, receiverBlock, commandBlock] = blocks as [string, string, string];

    const port = await findFreePort();
    expect(port).not.toBe(3000);
    const receiverPort = await findFreePort();
    const env = {
      PORT: String(port),
      RECEIVER_PORT: String(receiverPort),
      HOOKLINE_HOST: "127.0.0.1",
      HOOKLINE_DATA_DIR: dataDir,
    };
    server = runShell(startBlock, env);
    receiver = runShell(receiverBlock, env);
    await waitFor("the receiver to listen", async () =>
      receiver!.output().includes("receiving on"),
    );
    await waitFor(
      "the quickstart's server to answer /api/health",
      async () => (await fetch(`http://127.0.0.1:${port}/api/health`)).status === 200,
      180_000,
      250,
    );

    // The key is printed after the pasted lines only so the test can read the endpoint's secret.
    commands = runShell(`set -euo pipefail\n${commandBlock}\necho "QUICKSTART_KEY=$KEY"\n`, env);
    const code = await commands.exited;
    expect(code, commands.output()).toBe(0);
    const key = /QUICKSTART_KEY=(hk_\S+)/.exec(commands.output())?.[1];
    expect(key, commands.output()).toBeDefined();
    // The last command listed the delivery log, which has the event's delivery.
    expect(commands.output()).toMatch(/"event_name":\s*"invoice.paid"/);

    const delivery = await waitFor(
      "the receiver to print a delivery",
      async () => {
        const line = receiver!
          .output()
          .split("\n")
          .find((l) => l.startsWith('{"headers"'));
        return line
          ? (JSON.parse(line) as { headers: Record<string, string>; body: string })
          : false;
      },
      30_000,
      100,
    );

    const api = `http://127.0.0.1:${port}/api/v1/apps/quickstart`;
    const auth = { authorization: `Bearer ${key}` };
    const endpoints = (await (await fetch(`${api}/endpoints`, { headers: auth })).json()) as {
      data: { id: string }[];
    };
    expect(endpoints.data).toHaveLength(1);
    const secretRes = await fetch(`${api}/endpoints/${endpoints.data[0]!.id}/secret`, {
      headers: auth,
    });
    const { secret } = (await secretRes.json()) as { secret: string };
    expect(secret).toMatch(/^whsec_/);

    const verified = new Webhook(secret).verify(delivery.body, delivery.headers) as {
      type: string;
      data: unknown;
    };
    expect(verified.type).toBe("invoice.paid");
    expect(verified.data).toEqual({ invoice_id: "inv_123", amount: 4200 });
  });
});
