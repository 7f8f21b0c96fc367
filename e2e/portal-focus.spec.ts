import { expect, test, type Locator, type Page } from "@playwright/test";
import {
  Backend,
  E2E_BASE_URL,
  startHostPage,
  startReceiver,
  uniqueSlug,
  type HostPage,
  type Receiver,
} from "./support/portal";

/**
 * Where focus goes (issue 20, item 11): "Add endpoint" hands focus to the form that replaces
 * it, a page change puts it on the new page's heading (in a tab and embedded cross-site), and a
 * date-time field is one tab stop.
 */
// Independent tests: each opens its own page on the app made in beforeAll.

let backend: Backend;
let slug: string;
let host: HostPage;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-focus");
  host = await startHostPage();
  receiver = await startReceiver(200);
  slug = uniqueSlug("focus");
  await backend.createApp(slug, { name: "Acme Focus", embed_origins: [host.origin] });
  await backend.eventType(slug, { name: "invoice.paid", description: "An invoice was paid." });
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${receiver.url}/one` });
});

test.afterAll(async () => {
  await Promise.all([host?.close(), receiver?.close(), backend?.dispose()]);
});

async function openPortal(page: Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`);
}

/** Tabs forward until `target` has focus; the number of presses it took. */
async function tabTo(page: Page, target: Locator, max = 80): Promise<number> {
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === el.ownerDocument.activeElement).catch(() => false))
      return i;
    await page.keyboard.press("Tab");
  }
  await expect(target, "reached with Tab").toBeFocused();
  return max;
}

test("Enter on Add endpoint puts focus in the new endpoint's form", async ({ page }) => {
  await openPortal(page, "/portal/endpoints");
  await expect(page.getByTestId("endpoint-row")).toHaveCount(1);
  await tabTo(page, page.getByRole("button", { name: "Add endpoint" }));
  await page.keyboard.press("Enter");
  const form = page.getByTestId("create-endpoint-form");
  await expect(form.getByLabel("Endpoint URL")).toBeFocused();
  // Typing goes straight into the form.
  await page.keyboard.type(`${receiver.url}/two`);
  await expect(form.getByLabel("Endpoint URL")).toHaveValue(`${receiver.url}/two`);
});

test("after a page change focus is on the new page's heading", async ({ page }) => {
  await openPortal(page, "/portal/endpoints");
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Webhooks" });
  await tabTo(page, nav.getByRole("link", { name: "Deliveries" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeFocused();
  // One Tab on from the heading is the page's first control, not the navigation again.
  await page.keyboard.press("Tab");
  const inMain = await page.evaluate(
    () => !!document.activeElement?.closest("#portal-main") && document.activeElement !== null,
  );
  expect(inMain).toBe(true);
});

test("embedded cross-site, a page change inside the frame focuses its heading", async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const ticket = await backend.ticket(slug);
  await page.goto(
    host.url(`${E2E_BASE_URL}/portal/endpoints?ticket=${encodeURIComponent(ticket)}&embed=1`),
  );
  const portal = page.frameLocator("#hookline-portal");
  await expect(portal.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  const scrollBefore = await page.evaluate(() => window.scrollY);
  await portal
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Replay" })
    .click();
  await expect(portal.getByRole("heading", { name: "Replay", level: 1 })).toBeFocused();
  // Focusing the heading did not move the host page.
  expect(await page.evaluate(() => window.scrollY)).toBe(scrollBefore);
});

test("a date-time field is one tab stop and names its time zone", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await openPortal(page, "/portal/deliveries");
  const filters = page.getByTestId("delivery-filters");
  const from = filters.getByLabel("From", { exact: true });
  const to = filters.getByLabel("To", { exact: true });
  await tabTo(page, from);
  await page.keyboard.press("Tab");
  await expect(to).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(to).not.toBeFocused();
  // Typed as text, in the time zone it names.
  const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  await expect(from).toHaveAccessibleDescription(new RegExp(`Time zone: ${zone}`));
  await from.fill("2026-06-02 10:00");
  await expect(page).toHaveURL(/start_date=/);
  // Wide enough for its whole text.
  expect(await from.evaluate((el: HTMLInputElement) => el.scrollWidth <= el.clientWidth)).toBe(
    true,
  );
  // Text that is no date is named at the field, and not applied.
  await to.fill("2026-02-31 10:00");
  await to.blur();
  await expect(to).toHaveAttribute("aria-invalid", "true");
  await expect(filters).toContainText("Enter a date and time like");
  await expect(page).not.toHaveURL(/end_date=/);
});
