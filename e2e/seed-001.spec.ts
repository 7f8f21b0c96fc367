import { expect, test } from "@playwright/test";
import { createApiKey, E2E_BASE_URL } from "./support/server";
import { startProductSite, type ProductSite } from "./support/product-site";

let product: ProductSite | undefined;
test.afterEach(async () => {
  await product?.close();
  product = undefined;
});

test("seed 001: the backend ticket snippet and both React components work from another origin", async ({
  page,
  request,
}, testInfo) => {
  const key = createApiKey("seed-001");
  const auth = { authorization: `Bearer ${key}` };
  const deploymentId = `${Date.now().toString(36)}`;
  const slug = `wh_${deploymentId}`;
  const start = new Date(Date.now() - 3600_000).toISOString();
  const end = new Date(Date.now() + 3600_000).toISOString();
  product = await startProductSite({
    hooklineUrl: E2E_BASE_URL,
    apiKey: key,
    deploymentId,
    replayRange: { start, end },
  });

  const created = await request.post("/api/v1/apps", {
    headers: auth,
    data: { slug, name: "Billing Webhooks", embed_origins: [product.origin] },
  });
  expect(created.status()).toBe(201);

  // The product's RBAC in front of the ticket endpoint (seed 001's validation checklist).
  const ticketUrl = `${product.origin}/api/settings/webhooks/embed-ticket`;
  const asUser = (who: string, body: unknown) =>
    fetch(ticketUrl, {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-user": who },
      body: JSON.stringify(body),
    });
  expect((await asUser("none", { deploymentId })).status).toBe(401);
  expect((await asUser("viewer", { deploymentId })).status).toBe(403);
  expect((await asUser("manager", {})).status).toBe(400);
  const ticket = (await (await asUser("manager", { deploymentId })).json()) as {
    ticket: string;
    expires_at: number;
  };
  expect(ticket.ticket).toMatch(/^tkt_/);
  expect(ticket.expires_at).toBeGreaterThan(Date.now() / 1000);

  await page.goto(product.origin);
  await expect(page.getByRole("heading", { name: "Billing Webhooks" })).toBeVisible();
  await expect(page.getByText("Failed deliveries: 0")).toBeVisible();
  await expect(page.getByText(/^Timeseries points: \d+$/)).toBeVisible();

  // Create: the list refreshes without a reload.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByText("https://customer.example.com/hooks/wacht")).toBeVisible();
  const endpoints = await (
    await request.get(`/api/v1/apps/${slug}/endpoints`, { headers: auth })
  ).json();
  expect(endpoints.data).toHaveLength(1);
  expect(endpoints.data[0]).toMatchObject({
    description: "Primary endpoint",
    subscriptions: ["invoice.paid", "invoice.failed"],
  });

  // Test: the example host does not resolve here, so the test delivery fails and the ops panel shows it.
  await page.getByRole("button", { name: "Test" }).click();
  await expect(page.getByText("Failed deliveries: 1")).toBeVisible({ timeout: 40_000 });

  // Replay workflow: a task id comes back and its status is readable.
  await page.getByRole("button", { name: "Replay failed deliveries" }).click();
  await expect(page.getByLabel("replay result")).toHaveText(
    /^task rpl_\w+: (queued|running|completed)$/,
    { timeout: 20_000 },
  );

  await page.screenshot({ path: testInfo.outputPath("seed-001.png"), fullPage: true });

  // Delete: gone from the page without a reload, and from the API.
  await page.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("https://customer.example.com/hooks/wacht")).toHaveCount(0);
  const after = await (
    await request.get(`/api/v1/apps/${slug}/endpoints`, { headers: auth })
  ).json();
  expect(after.data).toHaveLength(0);
});
