import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import {
  Backend,
  screenshotThemes,
  startReceiver,
  uniqueSlug,
  type Receiver,
} from "./support/portal";

/**
 * Payload filters in the portal (issue 15): write a filter in the endpoint form's editor, see a
 * syntax error as it is typed, fix it, test it against the catalog example, save; then one
 * matching and one non-matching event from the backend: only the matching one is delivered and
 * listed, and the analytics page counts the other as filtered.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-filters");
  slug = uniqueSlug("filters");
  await backend.createApp(slug, { name: "Acme Filters" });
  await backend.eventType(slug, {
    name: "invoice.paid",
    description: "An invoice was paid.",
    example: { invoice_id: "inv_example", amount: 4200, region: "eu" },
  });
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await receiver?.close();
  await backend?.dispose();
});

/** The editor's states (error, result) are not on the pages portal-a11y.spec.ts visits: axe them here. */
async function expectAccessibleEditor(page: Page, label: string) {
  const results = await new AxeBuilder({ page })
    .include('[data-testid="filter-editor"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .analyze();
  const serious = results.violations.filter(
    (v) => v.impact === "serious" || v.impact === "critical",
  );
  expect(
    serious.map((v) => `${v.id}: ${v.help}`),
    `${label}: axe violations`,
  ).toEqual([]);
}

async function openPortal(page: Page, path = "/portal") {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`);
}

test("a filter written in the editor decides what is delivered; the rest is counted as filtered", async ({
  page,
}, testInfo) => {
  await openPortal(page);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const form = page.getByTestId("create-endpoint-form");
  await form.getByLabel("Endpoint URL").fill(`${receiver.url}/filtered`);
  await form.getByRole("checkbox", { name: /All events/ }).uncheck();
  await form.getByRole("checkbox", { name: /invoice\.paid/ }).check();

  const editor = form.getByLabel("Payload filter");
  // A syntax error shows as it is typed, tied to the box.
  await editor.fill("amount > 1000 and region = ");
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(editor).toHaveAccessibleDescription(/expected a value.*\(at character \d+\)/);
  await expect(
    form.getByRole("button", { name: "Test against the catalog example" }),
  ).toBeDisabled();
  await screenshotThemes(page, testInfo, "filter-syntax-error");
  await expectAccessibleEditor(page, "syntax error");

  // Fixed: the error goes, and the catalog example can be tested.
  await editor.fill('amount > 1000 and region = "us"');
  await expect(editor).not.toHaveAttribute("aria-invalid", "true");
  await form.getByRole("button", { name: "Test against the catalog example" }).click();
  const result = form.getByTestId("filter-editor").getByRole("status");
  await expect(result).toContainText("does not match");
  await expect(result).toContainText("inv_example");
  await editor.fill('amount > 1000 and region = "eu"');
  await form.getByRole("button", { name: "Test against the catalog example" }).click();
  await expect(result).toContainText("matches");
  await expect(result).not.toContainText("does not match");
  await screenshotThemes(page, testInfo, "filter-tested");
  await expectAccessibleEditor(page, "tested");

  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByTestId("created-notice")).toBeVisible();

  // The backend sees the JSON form.
  const endpoints = await backend.call<{ data: { id: string; filter: unknown }[] }>(
    "GET",
    `/apps/${slug}/endpoints`,
  );
  expect(endpoints.data).toHaveLength(1);
  expect(endpoints.data[0]!.filter).toEqual({
    and: [
      { field: "amount", gt: 1000 },
      { field: "region", eq: "eu" },
    ],
  });

  await backend.trigger(slug, "invoice.paid", {
    invoice_id: "inv_match",
    amount: 5000,
    region: "eu",
  });
  await backend.trigger(slug, "invoice.paid", {
    invoice_id: "inv_small",
    amount: 10,
    region: "eu",
  });

  await page
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Deliveries" })
    .click();
  const rows = page.getByTestId("delivery-row");
  await expect(rows.and(page.locator('[data-status="success"]'))).toHaveCount(1);
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole("button").click();
  await expect(page.getByRole("dialog")).toContainText("inv_match");
  expect(receiver.requests.map((r) => JSON.parse(r.body).data.invoice_id)).toEqual(["inv_match"]);
  await page.keyboard.press("Escape");

  await page
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Analytics" })
    .click();
  await expect(page.getByTestId("stat-filtered")).toHaveText("1 filtered");
  const row = page.getByTestId("breakdown-row").filter({ hasText: `${receiver.url}/filtered` });
  await expect(row.locator('td[data-label="Filtered"]')).toHaveText("1");
  await expect(row.locator('td[data-label="Deliveries"]')).toHaveText("1");
  await screenshotThemes(page, testInfo, "analytics-filtered");
});

test("the endpoint page shows the filter in its text form and saves a removed one", async ({
  page,
}) => {
  const endpoints = await backend.call<{ data: { id: string }[] }>(
    "GET",
    `/apps/${slug}/endpoints`,
  );
  const id = endpoints.data[0]!.id;
  await openPortal(page, `/portal/endpoints/${id}`);
  await expect(page.getByTestId("endpoint-filter")).toContainText(
    'amount > 1000 and region = "eu"',
  );
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  const form = page.getByTestId("edit-endpoint-form");
  await expect(form.getByLabel("Payload filter")).toHaveValue('amount > 1000 and region = "eu"');
  await form.getByLabel("Payload filter").fill("");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByText("✓ Saved")).toBeVisible();
  await page.getByRole("link", { name: "Endpoint overview" }).click();
  await expect(page.getByTestId("endpoint-receives")).toContainText("None");
  await expect(page.getByTestId("endpoint-filter")).toHaveCount(0);
  const after = await backend.call<{ filter: unknown }>("GET", `/apps/${slug}/endpoints/${id}`);
  expect(after.filter).toBeNull();
});
