/**
 * `ensureBuilt()` rebuilds the web app only when a build input's content changed: `npm test`'s
 * typecheck runs `prisma generate`, which rewrites generated/ with the same bytes (newer mtimes),
 * and must not cost the system tests and Playwright a `next build`.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildInputsFingerprint, recordBuildInputs, webBuildIsStale } from "../../scripts/build";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const INPUTS = ["app", "generated", "next.config.ts"];
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "hookline-build-"));
  dirs.push(root);
  return root;
}

function write(root: string, rel: string, content: string) {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), content);
}

/** A project under a temp root, built (a BUILD_ID) from its current inputs. */
function builtProject(): string {
  const root = tempRoot();
  write(root, "app/page.tsx", "export default function Page() { return null; }\n");
  write(root, "generated/prisma/client.ts", "export const client = 1;\n");
  write(root, "next.config.ts", "export default {};\n");
  write(root, ".next/BUILD_ID", "build-1\n");
  recordBuildInputs(root, INPUTS);
  return root;
}

/** Sets a file's mtime an hour ahead, as a rewrite after the build would. */
function touchLater(root: string, rel: string) {
  const later = new Date(Date.now() + 3_600_000);
  fs.utimesSync(path.join(root, rel), later, later);
}

describe("web build staleness", () => {
  it("is stale with no build, or a build whose inputs were never recorded", () => {
    const root = builtProject();
    expect(webBuildIsStale(root, INPUTS)).toBe(false);
    fs.rmSync(path.join(root, ".next/hookline-inputs.sha256"));
    expect(webBuildIsStale(root, INPUTS)).toBe(true);
    fs.rmSync(path.join(root, ".next"), { recursive: true });
    expect(webBuildIsStale(root, INPUTS)).toBe(true);
  });

  it("is not stale when generated files are rewritten with the same content", () => {
    const root = builtProject();
    write(root, "generated/prisma/client.ts", "export const client = 1;\n");
    touchLater(root, "generated/prisma/client.ts");
    touchLater(root, "generated/prisma");
    expect(webBuildIsStale(root, INPUTS)).toBe(false);
  });

  it("is stale when an input's content changes, or a file comes or goes", () => {
    const changed = builtProject();
    write(changed, "generated/prisma/client.ts", "export const client = 2;\n");
    expect(webBuildIsStale(changed, INPUTS)).toBe(true);

    const added = builtProject();
    write(added, "app/new/page.tsx", "export default function New() { return null; }\n");
    expect(webBuildIsStale(added, INPUTS)).toBe(true);

    const removed = builtProject();
    fs.rmSync(path.join(removed, "next.config.ts"));
    expect(webBuildIsStale(removed, INPUTS)).toBe(true);

    const renamed = builtProject();
    fs.renameSync(path.join(renamed, "app/page.tsx"), path.join(renamed, "app/other.tsx"));
    expect(webBuildIsStale(renamed, INPUTS)).toBe(true);
  });

  it("ignores test files", () => {
    const root = builtProject();
    write(root, "app/page.test.ts", "it('x', () => {});\n");
    expect(webBuildIsStale(root, INPUTS)).toBe(false);
  });

  it("sees no change after a real `prisma generate` of the same schema, run twice", () => {
    const root = tempRoot();
    write(
      root,
      "prisma/schema.prisma",
      fs.readFileSync(path.join(ROOT, "prisma/schema.prisma"), "utf8"),
    );
    const generate = () => {
      const result = spawnSync(
        process.execPath,
        [
          path.join(ROOT, "node_modules/prisma/build/index.js"),
          "generate",
          "--schema",
          "prisma/schema.prisma",
        ],
        {
          cwd: root,
          encoding: "utf8",
          env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false" },
          timeout: 90_000,
        },
      );
      expect(result.status, result.stderr).toBe(0);
      return buildInputsFingerprint(root, ["generated"]);
    };
    const first = generate();
    expect(fs.existsSync(path.join(root, "generated/prisma/client.ts"))).toBe(true);
    expect(generate()).toBe(first);
  }, 180_000);
});
