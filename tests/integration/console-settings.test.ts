/** The console's Settings: each value with its variable and source; secrets never shown. */
import { expect, it } from "vitest";
import { useTestDatabase, TEST_SECRET } from "../helpers/db";
import { readSettings } from "@/lib/console/settings";

const HOOK_SECRET = "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0";
useTestDatabase({
  HOOKLINE_OPERATOR_WEBHOOK_URL: "https://ops.example/hooks",
  HOOKLINE_OPERATOR_WEBHOOK_SECRET: HOOK_SECRET,
  HOOKLINE_PAYLOAD_RETENTION_DAYS: "12",
});

it("shows where each setting comes from and never a secret", () => {
  const settings = readSettings();
  const byEnv = new Map(settings.map((s) => [s.env, s]));
  expect(byEnv.get("HOOKLINE_OPERATOR_WEBHOOK_URL")).toMatchObject({
    value: "https://ops.example/hooks",
    source: "environment",
  });
  expect(byEnv.get("HOOKLINE_PAYLOAD_RETENTION_DAYS")).toMatchObject({
    value: "12",
    source: "environment",
  });
  expect(byEnv.get("HOOKLINE_LOG_RETENTION_DAYS")).toMatchObject({
    value: "90",
    source: "default",
  });
  expect(byEnv.get("HOOKLINE_OPERATOR_WEBHOOK_SECRET")!.value).toBe("set (hidden)");
  expect(byEnv.get("HOOKLINE_SESSION_TTL_SECONDS")!.source).toBe("default");
  const text = JSON.stringify(settings);
  expect(text).not.toContain(HOOK_SECRET);
  expect(text).not.toContain(TEST_SECRET);
});
