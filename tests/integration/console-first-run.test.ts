/** What `npm start` prints about the console: its URL, and the first-operator command until one exists. */
import { expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { consoleBanner, FIRST_OPERATOR_COMMAND } from "@/lib/console/first-run";
import { createOperator } from "@/lib/console/operators";

const db = useTestDatabase();

it("names the console's URL, and the command that creates the first operator while there is none", async () => {
  const before = await consoleBanner(db().url, "http://localhost:4100");
  expect(before[0]).toBe("hookline: operator console at http://localhost:4100/console");
  expect(before[1]).toContain(FIRST_OPERATOR_COMMAND);
  await createOperator({ email: "first@example.com", role: "admin" }, "cli");
  expect(await consoleBanner(db().url, "http://localhost:4100")).toHaveLength(1);
});
