import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Finding any event in the portal: events with different payloads go in through the backend API,
 * and the deliveries page's search box finds exactly theirs by payload condition, by event id
 * and by idempotency key, combined with the filters and kept in the URL; a syntax error shows
 * next to the box (and is what a screen reader hears on the field).
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;
const sent: Record<string, { event_id: string }> = {};

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-search");
  slug = uniqueSlug("search");
  await backend.createApp(slug, { name: "Acme Search" });
  for (const name of ["invoice.paid", "invoice.failed", "customer.created"])
    await backend.eventType(slug, { name });
  receiver = await startReceiver(200);
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/hook`,
    description: "Receiver",
    subscriptions: ["*"],
  });
  const events = [
    ["alpha-paid", "invoice.paid", { customer: { id: "cus_alpha" }, amount: 100, region: "eu" }],
    ["beta-paid", "invoice.paid", { customer: { id: "cus_beta" }, amount: 200, region: "us" }],
    ["alpha-failed", "invoice.failed", { customer: { id: "cus_alpha" }, amount: 0, region: "eu" }],
    ["gamma-created", "customer.created", { customer: { id: "cus_gamma" }, region: "uk" }],
  ] as const;
  for (const [key, name, payload] of events) {
    // The trigger's event_id doubles as the idempotency key.
    sent[key] = await backend.call(
      "POST",
      `/apps/${slug}/events`,
      { event_name: name, payload, event_id: `order-${key}` },
      202,
    );
  }
  await expect
    .poll(
      async () =>
        (
          await backend.call<{ data: { status: string }[] }>("GET", `/apps/${slug}/deliveries`)
        ).data.filter((d) => d.status === "success").length,
      {
        timeout: 20_000,
      },
    )
    .toBe(4);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function openDeliveries(page: Page, query = "") {
  const ticket = await backend.ticket(slug);
  await page.goto(
    `/portal/deliveries?${query}${query ? "&" : ""}ticket=${encodeURIComponent(ticket)}`,
  );
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
}

const rows = (page: Page) => page.getByTestId("delivery-row");
const searchForm = (page: Page) => page.getByRole("search", { name: "Find an event" });
/** The rows' event names, newest first (retried until they are these). */
const expectEvents = (page: Page, names: string[]) =>
  expect(rows(page).locator("code")).toHaveText(names);

async function searchBy(
  page: Page,
  by: "Payload condition" | "Event id" | "Idempotency key",
  text: string,
) {
  await searchForm(page).getByLabel("Search by").selectOption({ label: by });
  const box = searchForm(page).getByLabel(by, { exact: true });
  await box.fill(text);
  await box.press("Enter");
}

test("by payload condition: exactly the matching deliveries, combined with the filters, kept in the URL", async ({
  page,
}) => {
  await openDeliveries(page);
  await expect(rows(page)).toHaveCount(4);

  await searchBy(page, "Payload condition", 'customer.id = "cus_alpha"');
  await expect(page).toHaveURL(/payload=customer\.id/);
  await expect(rows(page)).toHaveCount(2);
  await expectEvents(page, ["invoice.failed", "invoice.paid"]);

  // AND the Event filter
  await page
    .getByTestId("delivery-filters")
    .getByLabel("Event", { exact: true })
    .selectOption("invoice.paid");
  await expect(rows(page)).toHaveCount(1);
  await expectEvents(page, ["invoice.paid"]);

  // The URL holds both: a reload (or a shared link) shows the same search.
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(searchForm(page).getByLabel("Payload condition", { exact: true })).toHaveValue(
    'customer.id = "cus_alpha"',
  );

  // Negations and ranges; nothing matching says so.
  await page.getByTestId("delivery-filters").getByLabel("Event", { exact: true }).selectOption("");
  await searchBy(page, "Payload condition", 'amount > 50 and not (region = "us")');
  await expect(page).toHaveURL(/payload=amount/);
  await expect(page).not.toHaveURL(/event_name=/);
  await expect(rows(page)).toHaveCount(1);
  await expectEvents(page, ["invoice.paid"]);
  await searchBy(page, "Payload condition", 'customer.id = "cus_nobody"');
  await expect(
    page.getByRole("heading", { name: "No deliveries match these filters" }),
  ).toBeVisible();

  await searchForm(page).getByRole("button", { name: "Clear search" }).click();
  await expect(rows(page)).toHaveCount(4);
  await expect(page).not.toHaveURL(/payload=/);
});

test("by event id and by idempotency key", async ({ page }) => {
  await openDeliveries(page);
  await expect(rows(page)).toHaveCount(4);

  await searchBy(page, "Event id", sent["beta-paid"]!.event_id);
  await expect(page).toHaveURL(new RegExp(`event_id=${sent["beta-paid"]!.event_id}`));
  await expect(rows(page)).toHaveCount(1);
  await rows(page).first().getByRole("button").click();
  await expect(page.getByRole("dialog")).toContainText("cus_beta");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();

  await searchBy(page, "Idempotency key", "order-gamma-created");
  await expect(page).toHaveURL(/idempotency_key=order-gamma-created/);
  await expect(page).not.toHaveURL(/event_id=/);
  await expect(rows(page)).toHaveCount(1);
  await expectEvents(page, ["customer.created"]);

  // An event id typed into the payload box is searched as an event id.
  await searchBy(page, "Payload condition", sent["alpha-failed"]!.event_id);
  await expect(page).toHaveURL(new RegExp(`event_id=${sent["alpha-failed"]!.event_id}`));
  await expect(searchForm(page).getByLabel("Search by")).toHaveValue("event_id");
  await expect(rows(page)).toHaveCount(1);
  await expectEvents(page, ["invoice.failed"]);
});

test("a syntax error shows next to the box, named on the field, and nothing is searched", async ({
  page,
}) => {
  await openDeliveries(page);
  await expect(rows(page)).toHaveCount(4);
  await searchBy(page, "Payload condition", 'customer.id = "cus_alpha" and');
  const box = searchForm(page).getByLabel("Payload condition", { exact: true });
  await expect(box).toHaveAttribute("aria-invalid", "true");
  await expect(box).toBeFocused();
  const describedBy = await box.getAttribute("aria-describedby");
  expect(describedBy).toBeTruthy();
  await expect(page.locator(`[id="${describedBy}"]`)).toHaveText(
    /expected a field .* \(at character 30\)/,
  );
  await expect(page).not.toHaveURL(/payload=/);
  await expect(rows(page)).toHaveCount(4);
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="delivery-search"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Fixing it clears the error and searches.
  await box.fill('customer.id = "cus_alpha" and amount = 0');
  await expect(box).not.toHaveAttribute("aria-invalid", "true");
  await box.press("Enter");
  await expect(rows(page)).toHaveCount(1);

  // A bad condition from a link: the server's 400 is shown at the box too.
  await openDeliveries(page, `payload=${encodeURIComponent("amount >")}`);
  const linked = searchForm(page).getByLabel("Payload condition", { exact: true });
  await expect(linked).toHaveAttribute("aria-invalid", "true");
  await expect(searchForm(page)).toContainText(/expected a value after ">" .*\(at character 9\)/);
});
