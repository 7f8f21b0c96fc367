import { expect, test } from "@playwright/test";
import { createApiKey } from "./support/server";

test("the home page shows a healthy server on the embedded database", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Hookline" })).toBeVisible();
  await expect(page.getByTestId("status-database")).toHaveText("up");
  await expect(page.getByText("embedded PostgreSQL")).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("home.png"), fullPage: true });
});

test("the backend API answers JSON errors and accepts a CLI-made key", async ({ request }) => {
  const unknown = await request.get("/api/v1/does-not-exist");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("route_not_found");

  const key = createApiKey("e2e-home");
  const apps = await request.get("/api/v1/apps", { headers: { authorization: `Bearer ${key}` } });
  expect(apps.status()).toBe(200);
  expect(await apps.json()).toMatchObject({ data: expect.any(Array), has_more: false });
});
