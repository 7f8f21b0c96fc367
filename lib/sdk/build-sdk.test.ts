import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildSdk, type BuildResult } from "@/lib/sdk/build-sdk";

describe("npm run build:sdk", () => {
  let tmp: string;
  let result: BuildResult;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-sdk-"));
    result = buildSdk(path.join(tmp, "node_modules", "@hookline", "sdk"));
  }, 180_000);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("writes ESM, declarations and a dependency-free package.json", () => {
    expect(result.files).toEqual(
      expect.arrayContaining([
        "index.js",
        "index.d.ts",
        "client.js",
        "client.d.ts",
        "webhooks.js",
        "types.d.ts",
        "package.json",
        "README.md",
      ]),
    );
    const pkg = JSON.parse(fs.readFileSync(path.join(result.outDir, "package.json"), "utf8"));
    expect(pkg).toMatchObject({
      name: "@hookline/sdk",
      type: "module",
      exports: { ".": { types: "./index.d.ts", import: "./index.js" } },
    });
    expect(pkg.dependencies).toBeUndefined();
    const types = fs.readFileSync(path.join(result.outDir, "types.d.ts"), "utf8");
    expect(types).toMatch(
      /export type CreateWebhookEndpointRequest = \{[^}]*subscribed_events\?: string\[\]/s,
    );
    expect(types).not.toMatch(/from "zod"|import\(|\bz\./);
  });

  it("loads in plain Node from its own folder, with nothing else installed", () => {
    const script = `
      import { HooklineClient, HooklineError } from "@hookline/sdk";
      const c = new HooklineClient({ apiKey: "hk_x", baseUrl: "http://127.0.0.1:1" });
      console.log(JSON.stringify({ base: c.baseUrl, methods: Object.getOwnPropertyNames(Object.getPrototypeOf(c.webhooks)).length, err: new HooklineError({ status: 1, code: "c", message: "m" }).name }));
    `;
    const file = path.join(tmp, "consumer.mjs");
    fs.writeFileSync(file, script);
    const out = JSON.parse(execFileSync(process.execPath, [file], { cwd: tmp, encoding: "utf8" }));
    expect(out).toEqual({
      base: "http://127.0.0.1:1/api/v1",
      methods: expect.any(Number),
      err: "HooklineError",
    });
    expect(out.methods).toBeGreaterThan(25);
  });

  it("type-checks a consumer of the seed snippets against the declarations alone", () => {
    const file = path.join(tmp, "consumer.ts");
    fs.writeFileSync(
      file,
      `
      import { HooklineClient, type WebhookEndpoint } from "@hookline/sdk";
      declare const key: string | undefined;
      const client = new HooklineClient({ apiKey: key });
      async function main() {
        const app = await client.webhooks.createWebhookApp({ name: "Billing Webhooks", app_slug: "wh_42", description: "d" });
        const slug: string = app.slug;
        const ep = await client.webhooks.createWebhookEndpoint(slug, { url: "https://x", events: ["invoice.paid"] });
        const secret: string = ep.secret;
        const list = await client.webhooks.listWebhookEndpoints(slug);
        const first: WebhookEndpoint | undefined = list.data[0];
        await client.webhooks.listWebhookDeliveries(slug, { status: "failed", limit: 25 });
        const t = await client.post<{ ticket: string; expires_at: number }>("/session/tickets", { ticket_type: "webhook_app_access" });
        // @ts-expect-error max_retries is a number
        await client.webhooks.updateWebhookEndpoint(slug, ep.id, { max_retries: "5" });
        return [secret, first, t.ticket];
      }
      void main;
      `,
    );
    const program = ts.createProgram([file], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: false,
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diagnostics).toEqual([]);
    const resolved = program
      .getSourceFiles()
      .map((f) => f.fileName)
      .filter((f) => !f.includes("/typescript/lib/"));
    expect(resolved.every((f) => f.startsWith(tmp))).toBe(true);
  }, 30_000); // a full type-check: slow on a busy 2-core machine
});

// Issue 13: a checkout under a folder named `app` (`/srv/app`, Docker's `WORKDIR /app`) once made
// every file look like server code. This builds the SDK from such a copy, as a user's `npm run
// build:sdk` would: the sources copied, node_modules linked (cheap), in a child process.
describe("npm run build:sdk from a checkout inside a folder named app", () => {
  const root = path.resolve(import.meta.dirname, "..", "..");
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-sdk-path-"));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("builds", () => {
    const checkout = path.join(tmp, "srv", "app", "hookline");
    fs.mkdirSync(checkout, { recursive: true });
    fs.cpSync(path.join(root, "lib"), path.join(checkout, "lib"), {
      recursive: true,
      filter: (src) => !src.endsWith(".test.ts"),
    });
    for (const file of ["package.json", "tsconfig.json"])
      fs.copyFileSync(path.join(root, file), path.join(checkout, file));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(checkout, "node_modules"), "dir");
    const out = path.join(tmp, "out");
    const stdout = execFileSync(
      process.execPath,
      ["--import", "tsx", "lib/sdk/build-sdk.ts", out],
      { cwd: checkout, encoding: "utf8" },
    );
    expect(stdout).toMatch(/^build:sdk: wrote \d+ files/);
    expect(fs.existsSync(path.join(out, "index.js"))).toBe(true);
  }, 120_000);
});
