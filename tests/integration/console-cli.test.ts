/**
 * `hookline operators create`: the first operator comes from the CLI, with a one-time password
 * printed alone on stdout, or one read from stdin (`--password-stdin`), never echoed.
 */
import { describe, expect, it } from "vitest";
import { useTestDatabase, TEST_SECRET } from "../helpers/db";
import { runCli } from "../helpers/server";
import { authenticateOperator } from "@/lib/console/operators";

const db = useTestDatabase();

function cli(args: string[], stdin?: string) {
  const env = { DATABASE_URL: db().url, HOOKLINE_SECRET: TEST_SECRET, HOOKLINE_LOG_LEVEL: "error" };
  return runCli(args, env, 60_000, stdin);
}

describe("hookline operators", () => {
  it("creates an operator with a one-time password that signs in", async () => {
    const made = await cli([
      "operators",
      "create",
      "--email",
      "First@Example.com",
      "--role",
      "admin",
    ]);
    expect(made.code, made.stderr).toBe(0);
    const password = made.stdout.trim();
    expect(password).toMatch(/^[\w-]{20,}$/);
    expect(made.stderr).toContain("created admin first@example.com");
    const op = await authenticateOperator("first@example.com", password);
    expect(op.role).toBe("admin");
    const audit = await db().prisma.auditLog.findFirstOrThrow({
      where: { action: "operator.created" },
    });
    expect(audit.actor).toBe("cli");
  }, 90_000);

  it("reads the password from stdin, and refuses bad input", async () => {
    const chosen = "a long enough passphrase";
    const made = await cli(
      ["operators", "create", "--email", "v@example.com", "--role", "viewer", "--password-stdin"],
      chosen + "\n",
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toBe("");
    expect(made.stderr).not.toContain(chosen);
    expect((await authenticateOperator("v@example.com", chosen)).role).toBe("viewer");

    const again = await cli([
      "operators",
      "create",
      "--email",
      "v@example.com",
      "--role",
      "viewer",
    ]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    const badRole = await cli([
      "operators",
      "create",
      "--email",
      "x@example.com",
      "--role",
      "root",
    ]);
    expect(badRole.code).toBe(2);

    const list = await cli(["operators", "list"]);
    expect(list.stdout).toMatch(/v@example\.com\s+viewer/);
  }, 120_000);
});
