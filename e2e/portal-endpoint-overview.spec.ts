import { expect, test, type Locator, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Issue 20, item 10: the endpoint page is an overview (what it receives, event types in full,
 * health a customer can read, recent attempts) with editing apart, behind "Edit". Item 12: the
 * delivery log names a deleted endpoint in words, and its rows read their status code and
 * attempt count with labels.
 */
test.describe.configure({ mode: "serial" });

const LONG_EVENT = "customer.subscription.renewed.annually";

let backend: Backend;
let slug: string;
let receiver: Receiver;
let endpointId: string;
let goneId: string;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-endpoint-overview");
  slug = uniqueSlug("overview");
  await backend.createApp(slug, { name: "Acme Overview" });
  for (const name of ["customer.created", LONG_EVENT, "customer.deleted"])
    await backend.eventType(slug, { name });
  receiver = await startReceiver(200);
  endpointId = (
    await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
      url: `${receiver.url}/crm`,
      subscriptions: ["customer.created", LONG_EVENT],
      max_retries: 5,
    })
  ).id;
  goneId = (
    await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
      url: `${receiver.url}/gone`,
      subscriptions: ["customer.deleted"],
    })
  ).id;
  await backend.trigger(slug, "customer.created", { id: "cus_1" });
  await backend.trigger(slug, "customer.deleted", { id: "cus_0" });
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(2);
  await backend.call("DELETE", `/apps/${slug}/endpoints/${goneId}`);
  // Two failed first attempts; each delivery then waits minutes for its retry.
  receiver.status = 500;
  for (let n = 1; n <= 2; n++) await backend.trigger(slug, LONG_EVENT, { n });
  await expect
    .poll(
      async () =>
        (
          await backend.call<{ total_attempts: number }>(
            "GET",
            `/apps/${slug}/analytics?endpoint_id=${endpointId}`,
          )
        ).total_attempts,
      { timeout: 20_000 },
    )
    .toBe(3);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function open(page: Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}?ticket=${encodeURIComponent(ticket)}`);
}

/** The element shows all its text: nothing cut off with an ellipsis. */
async function expectNotClipped(locator: Locator) {
  const clipped = await locator.evaluateAll((els) =>
    els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent),
  );
  expect(clipped).toEqual([]);
}

/** Sums a column of a chart's table, found by its header. */
async function columnSum(table: Locator, header: string): Promise<number> {
  return table.evaluate((t, name) => {
    const headers = [...t.querySelectorAll("thead th")].map((th) => th.textContent?.trim());
    const i = headers.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return [...t.querySelectorAll("tbody tr")].reduce(
      (sum, tr) => sum + Number(tr.children[i]?.textContent ?? 0),
      0,
    );
  }, header);
}

test("the endpoint opens on an overview; editing is behind Edit", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await open(page, `/portal/endpoints/${endpointId}`);
  const overview = page.getByTestId("endpoint-overview");
  await expect(overview).toBeVisible({ timeout: FIRST_LOAD });
  await expect(page.getByTestId("loading")).toHaveCount(0);

  // Nothing to edit by accident: no form fields on the overview.
  await expect(page.getByTestId("edit-endpoint-form")).toHaveCount(0);
  await expect(overview.getByRole("textbox")).toHaveCount(0);
  await expect(overview.getByRole("spinbutton")).toHaveCount(0);

  // What it receives: every event type in full, on a phone too.
  const receives = page.getByTestId("endpoint-receives");
  const types = receives.getByRole("list", { name: "Subscribed event types" });
  await expect(types.getByRole("listitem")).toHaveText(["customer.created", LONG_EVENT]);
  await expectNotClipped(types.getByRole("listitem"));
  await expect(receives).toContainText("5 after a failed attempt");

  // Recent attempts: the event names are not cut to "customer.su…".
  const recent = page.getByRole("list", { name: "Recent deliveries" });
  await expect(recent.getByRole("listitem")).toHaveCount(3);
  await expect(recent.getByRole("listitem").filter({ hasText: LONG_EVENT })).toHaveCount(2);
  await expectNotClipped(recent.locator("code"));

  // Health: attempts per hour with the failed ones counted, and a table of the same numbers.
  const health = page.getByTestId("endpoint-health");
  await expect(health.getByTestId("health-counts")).toContainText(
    "1 of 3 attempts succeeded, retries included",
  );
  const chart = health.getByRole("figure", { name: /Attempts per hour/ });
  await expect(chart).toBeVisible();
  await chart.getByRole("button", { name: "Show as table" }).click();
  const table = chart.getByRole("table");
  await expect(table).toBeVisible();
  expect(await columnSum(table, "Failed")).toBe(2);
  expect(await columnSum(table, "Succeeded")).toBe(1);
  await expectNoSeriousViolations(page, "endpoint overview");

  // Edit opens the settings on a page of its own, and leads back.
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/portal/endpoints/${endpointId}/edit`));
  await expect(page.getByRole("heading", { name: "Edit endpoint", level: 1 })).toBeFocused();
  const form = page.getByTestId("edit-endpoint-form");
  await expect(form.getByLabel("Description")).toBeVisible();
  await expect(page.getByTestId("signing-panel")).toBeVisible();
  await expectNoSeriousViolations(page, "endpoint edit");
  await form.getByLabel("Description").fill("CRM sync");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByText("✓ Saved")).toBeVisible();
  await page.getByRole("link", { name: "Endpoint overview" }).click();
  await expect(overview).toBeVisible();
  await expect(overview).toContainText("CRM sync");
});

test("delivery rows read their status code and attempts with labels; a deleted endpoint is named so", async ({
  page,
}) => {
  await open(page, "/portal/deliveries");
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(4, { timeout: FIRST_LOAD });

  const failed = rows.filter({ hasText: LONG_EVENT }).first().getByRole("button");
  await expect(failed).toHaveAccessibleName(/HTTP 500\b.*\b1 attempt\b/);
  const delivered = rows.filter({ hasText: "customer.created" }).getByRole("button");
  await expect(delivered).toHaveAccessibleName(/HTTP 200\b.*\b1 attempt\b/);

  const gone = rows.filter({ hasText: "customer.deleted" });
  await expect(gone.getByTestId("deleted-endpoint")).toContainText("Deleted endpoint");
  await expect(gone.getByTestId("deleted-endpoint")).toContainText(goneId);
  await expect(gone.getByRole("button")).toHaveAccessibleName(/Deleted endpoint/);
  await expectNoSeriousViolations(page, "delivery log with a deleted endpoint");

  await gone.getByRole("button").click();
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer.getByTestId("deleted-endpoint")).toContainText("Deleted endpoint");
  await expect(drawer.getByTestId("deleted-endpoint")).toContainText(goneId);
});
