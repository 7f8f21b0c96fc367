import { defineConfig } from "vitest/config";
import path from "node:path";

const alias = { "@": path.resolve(import.meta.dirname) };

// Three projects: `unit` (no database), `integration` (a fresh database per test file on one
// embedded PostgreSQL started by tests/setup/global-db.ts), `system` (spawns the real server:
// built once, run one file at a time).
// Tests render no CSS; loading the Tailwind PostCSS pipeline leaves native handles open.
const css = { postcss: { plugins: [] } };

export default defineConfig({
  resolve: { alias },
  css,
  test: {
    // The run's own TMPDIR, checked for leftover `hookline-*` directories at the end.
    globalSetup: ["tests/setup/global-tmp.ts"],
    projects: [
      {
        resolve: { alias },
        css,
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "inngest/**/*.test.ts", "tests/unit/**/*.test.ts"],
          environment: "node",
          // Some run tsc or a child node process: seconds each on a busy machine.
          testTimeout: 60_000,
          // These files assert types (expectTypeOf): tsc checks them, and them only, under the runner.
          typecheck: {
            enabled: true,
            include: ["lib/react/types.test.ts", "lib/sdk/types.test.ts"],
            tsconfig: "tsconfig.typetest.json",
          },
        },
      },
      {
        resolve: { alias },
        css,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-db.ts"],
          setupFiles: ["tests/setup/temp-dirs.ts"],
          environment: "node",
          // Bounds, not speed checks: a busy machine (CI beside other work) may be several times slower.
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        css,
        test: {
          name: "system",
          include: ["tests/system/**/*.test.ts"],
          globalSetup: ["tests/setup/global-build.ts"],
          setupFiles: ["tests/setup/temp-dirs.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 240_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
