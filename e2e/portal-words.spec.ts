import { expect, test } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Issue 20, item 12: where the portal says things. Toasts keep their own time and stay off the
 * drawer; the phone menu is one line. (A validator's raw wording as a sentence naming the field:
 * lib/portal/field-errors.test.ts; the time zone and width of date fields: portal-focus.spec.ts.)
 */
// Independent tests: each opens its own page on the app made in beforeAll.

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-words");
  receiver = await startReceiver(200);
  slug = uniqueSlug("words");
  await backend.createApp(slug, { name: "Acme Words" });
  await backend.eventType(slug, { name: "invoice.paid", description: "An invoice was paid." });
  for (const name of ["one", "two"])
    await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${receiver.url}/${name}` });
  await backend.trigger(slug, "invoice.paid", { invoice_id: "inv_1" });
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function open(page: import("@playwright/test").Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`);
}

test("toasts keep their own time: a second one does not restart the first", async ({ page }) => {
  await page.clock.install();
  await open(page, "/portal/endpoints");
  const rows = page.getByTestId("endpoint-row");
  await expect(rows).toHaveCount(2);
  await rows
    .nth(0)
    .getByRole("button", { name: /^Pause / })
    .click();
  const toasts = page.getByTestId("toast");
  await expect(toasts.filter({ hasText: "Endpoint paused" })).toHaveCount(1);
  await page.clock.fastForward(3_000);
  await rows
    .nth(0)
    .getByRole("button", { name: /^Enable / })
    .click();
  await expect(toasts.filter({ hasText: "Endpoint enabled" })).toHaveCount(1);
  // 4.5 s after the first: it is gone, the second (1.5 s old) stays.
  await page.clock.fastForward(1_500);
  await expect(toasts.filter({ hasText: "Endpoint paused" })).toHaveCount(0);
  await expect(toasts.filter({ hasText: "Endpoint enabled" })).toHaveCount(1);
  await page.clock.fastForward(3_000);
  await expect(toasts).toHaveCount(0);
});

test("a toast from the drawer shows beside it, not over its content", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, "/portal/deliveries");
  const rows = page.getByTestId("delivery-row");
  // The event of beforeAll is dispatched in the background: look again until it is listed.
  await expect(async () => {
    if ((await rows.count()) === 0) await page.getByRole("button", { name: "Refresh" }).click();
    await expect(rows.first()).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await rows.first().getByRole("button").click();
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer).toBeVisible();
  await drawer.getByRole("button", { name: "Replay" }).click();
  const toast = page.getByTestId("toast").filter({ hasText: "queued" });
  await expect(toast).toBeVisible();
  const t = (await toast.boundingBox())!;
  const d = (await drawer.locator("> div").first().boundingBox())!;
  // Entirely left of the drawer's panel.
  expect(t.x + t.width).toBeLessThanOrEqual(d.x + 0.5);
});

test("on a phone the menu is one line", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await open(page, "/portal/endpoints");
  const nav = page.getByRole("navigation", { name: "Webhooks" });
  await expect(nav.getByRole("link", { name: "Endpoints" })).toBeVisible();
  const tops = await nav
    .getByRole("link")
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(tops).toHaveLength(5);
  expect(new Set(tops).size).toBe(1);
  // The page itself does not scroll sideways; the menu's last item is reachable.
  expect(
    await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    ),
  ).toBeLessThanOrEqual(0);
  await nav.getByRole("link", { name: "Event catalog" }).click();
  await expect(page.getByRole("heading", { name: "Event catalog", level: 1 })).toBeVisible();
});
