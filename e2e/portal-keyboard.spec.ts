import { expect, test, type Locator, type Page } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * The portal's main tasks with the keyboard alone (Tab, Shift+Tab, Enter, Space, Escape and
 * typing; no clicks): create an endpoint, send a test event, pause and enable, replay one
 * delivery, bulk replay. After every action focus sits on a sensible element, never <body>.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let good: Receiver;
let bad: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-keyboard");
  slug = uniqueSlug("keys");
  await backend.createApp(slug, { name: "Acme Keys" });
  await backend.eventType(slug, { name: "invoice.paid", description: "An invoice was paid." });
  good = await startReceiver(200);
  bad = await startReceiver(500);
});

test.afterAll(async () => {
  await Promise.all([good?.close(), bad?.close(), backend?.dispose()]);
});

/** Tabs forward until `target` has focus (fails after `max` presses). */
async function tabTo(page: Page, target: Locator, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press("Tab");
  }
  await expect(target, "reached with Tab").toBeFocused();
}

async function expectFocusNotOnBody(page: Page) {
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.tagName ?? "none"))
    .not.toMatch(/^(BODY|none)$/);
}

test("create an endpoint, test it, pause and enable it with the keyboard", async ({ page }) => {
  // The page's clock runs as usual but can be moved on (the toasts' grace period below).
  await page.clock.install();
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();

  // Create.
  await tabTo(page, page.getByRole("button", { name: "Add your first endpoint" }));
  await page.keyboard.press("Enter");
  const form = page.getByTestId("create-endpoint-form");
  await tabTo(page, form.getByLabel("Endpoint URL"));
  await page.keyboard.type(`${good.url}/keys`);
  await tabTo(page, form.getByRole("button", { name: "Create endpoint" }));
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("created-notice")).toBeVisible();
  await expectFocusNotOnBody(page);
  await expect(page.getByTestId("created-notice").locator("..")).toBeFocused();

  // Test.
  const row = page.getByTestId("endpoint-row");
  const testButton = row.getByRole("button", { name: /^Test / });
  await tabTo(page, testButton);
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Send a test event" });
  await expect(dialog).toBeVisible();
  await tabTo(page, dialog.getByRole("button", { name: "Send test event" }));
  await page.keyboard.press("Enter");
  await expect(dialog.getByTestId("test-result")).toContainText("Delivered");
  await expectFocusNotOnBody(page);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(testButton).toBeFocused();

  // Pause, then enable: focus stays on the button, whose name follows the state.
  await tabTo(page, row.getByRole("button", { name: /^Pause / }));
  await page.keyboard.press("Enter");
  await expect(row.getByTestId("endpoint-status")).toHaveText("Paused");
  await expect(row.getByRole("button", { name: /^Enable / })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(row.getByTestId("endpoint-status")).toHaveText("Active");
  await expect(row.getByRole("button", { name: /^Pause / })).toBeFocused();

  // Toasts belong to their page: moving on (after the 1.5 s in which a toast may be reporting
  // the very action that navigated) dismisses them.
  await expect(page.getByTestId("toast").filter({ hasText: "Endpoint enabled" })).toBeVisible();
  await page.clock.fastForward(1_600);
  await tabTo(
    page,
    page.getByRole("navigation", { name: "Webhooks" }).getByRole("link", { name: "Deliveries" }),
  );
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await expect(page.getByTestId("toast")).toHaveCount(0);
});

test("leaving an endpoint's page with unsaved edits asks first, in the portal's own dialog", async ({
  page,
}) => {
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints?ticket=${encodeURIComponent(ticket)}`);
  await page.getByTestId("endpoint-row").first().getByRole("link").click();
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const form = page.getByTestId("edit-endpoint-form");
  await form.getByLabel("Description").fill("Edited, not saved");
  // Not the browser's confirm() (inside a frame it is titled with the portal's address).
  const browserDialogs: string[] = [];
  page.on("dialog", (d) => {
    browserDialogs.push(d.message());
    void d.dismiss();
  });
  const nav = page.getByRole("navigation", { name: "Webhooks" });
  await nav.getByRole("link", { name: "Deliveries" }).click();
  const ask = page.getByRole("dialog", { name: "Leave without saving?" });
  await expect(ask).toContainText("unsaved changes");
  // Stay has the first focus; Escape stays too.
  await expect(ask.getByRole("button", { name: "Stay on this page" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(ask).toBeHidden();
  await expect(form.getByLabel("Description")).toHaveValue("Edited, not saved");
  // Asked again, Leave goes where the link pointed.
  await nav.getByRole("link", { name: "Analytics" }).click();
  await ask.getByRole("button", { name: "Leave" }).click();
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  expect(browserDialogs).toEqual([]);

  // Saved: leaving asks nothing.
  await page.goto(`/portal/endpoints`);
  await page.getByTestId("endpoint-row").first().getByRole("link").click();
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await form.getByLabel("Description").fill("Edited and saved");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Endpoint saved" })).toBeVisible();
  await nav.getByRole("link", { name: "Deliveries" }).click();
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await expect(ask).toHaveCount(0);
  expect(browserDialogs).toEqual([]);
});

test("replay one delivery and bulk-replay failures with the keyboard; Back closes the drawer", async ({
  page,
}) => {
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${bad.url}/down`,
    description: "Down",
    max_retries: 0,
  });
  await backend.trigger(slug, "invoice.paid", { invoice_id: "inv_k1" });
  await backend.trigger(slug, "invoice.paid", { invoice_id: "inv_k2" });

  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  const failedRows = page.getByTestId("delivery-row").and(page.locator('[data-status="failed"]'));
  await expect(failedRows).toHaveCount(2, { timeout: 15_000 });

  // Replay one: the drawer explains what happens to retries; Escape returns to the row.
  const rowButton = failedRows.first().getByRole("button");
  await tabTo(page, rowButton);
  await page.keyboard.press("Enter");
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer).toBeVisible();
  await tabTo(page, drawer.getByRole("button", { name: "Replay" }));
  await page.keyboard.press("Enter");
  await expect(drawer.getByTestId("replay-result")).toContainText(
    "Automatic retries do not start over",
  );
  await expectFocusNotOnBody(page);
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(rowButton).toBeFocused();

  // Back closes the drawer and stays on Deliveries.
  await page.keyboard.press("Enter");
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/delivery=/);
  await page.goBack();
  await expect(drawer).toBeHidden();
  await expect(page).toHaveURL(/\/portal\/deliveries(\?(?!.*delivery=).*)?$/);
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();

  // Bulk replay of the failed deliveries, from the navigation.
  await tabTo(
    page,
    page.getByRole("navigation", { name: "Webhooks" }).getByRole("link", { name: "Replay" }),
  );
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Replay", level: 1 })).toBeVisible();
  const submit = page
    .getByTestId("replay-form")
    .getByRole("button", { name: /^Replay \d+ deliver/ });
  await expect(submit).toBeEnabled({ timeout: 15_000 });
  await tabTo(page, submit);
  await page.keyboard.press("Enter");
  await expect(page.locator("#replay-tasks")).toBeFocused();
  await expect(page.getByTestId("replay-task").first()).toContainText("Completed", {
    timeout: 30_000,
  });
});
