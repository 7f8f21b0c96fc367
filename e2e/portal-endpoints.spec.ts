import { expect, test, type Page } from "@playwright/test";
import {
  Backend,
  expectNoHorizontalOverflow,
  screenshotThemes,
  startReceiver,
  uniqueSlug,
  type Receiver,
} from "./support/portal";

/**
 * The hosted portal opened by redirect: ticket entry and the access page, then the endpoint
 * lifecycle against a real receiver (create with server-side field errors, test, edit, pause,
 * secret reveal and rotation, delete) and the event catalog. Screenshots of each page in light
 * and dark go to the test's output directory.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-endpoints");
  slug = uniqueSlug("portal");
  await backend.createApp(slug, { name: "Acme Billing", branding: { primary_color: "#0f766e" } });
  await backend.eventType(slug, {
    name: "invoice.paid",
    description: "An invoice was paid in full.",
    schema: {
      type: "object",
      properties: { invoice_id: { type: "string" }, amount: { type: "integer" } },
      required: ["invoice_id"],
    },
    example: { invoice_id: "inv_123", amount: 4200 },
  });
  await backend.eventType(slug, {
    name: "invoice.failed",
    description: "A payment attempt for an invoice failed.",
  });
  await backend.eventType(slug, {
    name: "customer.created",
    description: "A new customer signed up.",
    example: { customer_id: "cus_42" },
  });
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await receiver?.close();
  await backend?.dispose();
});

async function openPortal(page: Page, path = "/portal") {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`);
  return ticket;
}

test("without a ticket, or with a bad one, the portal says access is needed", async ({
  page,
}, testInfo) => {
  await page.goto("/portal");
  await expect(page.getByRole("heading", { name: "Access needed" })).toBeVisible();
  await screenshotThemes(page, testInfo, "access-needed");

  await page.goto("/portal/endpoints?ticket=tkt_this-is-not-a-real-ticket-000000");
  await expect(page.getByRole("heading", { name: "This access link can't be used" })).toBeVisible();
  await expect(page).not.toHaveURL(/ticket=/);

  // A ticket works once: the second use is refused even though the first succeeded.
  const ticket = await openPortal(page);
  await expect(page).toHaveURL(/\/portal\/endpoints$/);
  await page.context().clearCookies();
  await page.goto(`/portal?ticket=${ticket}`);
  await expect(page.getByTestId("access-needed")).toHaveAttribute("data-reason", "invalid_ticket");
});

test("a ticket opens the portal on Endpoints and drops the ticket from the URL", async ({
  page,
}, testInfo) => {
  const response = page.waitForResponse((r) => r.url().includes("/portal?ticket="));
  await openPortal(page);
  const headers = (await response).headers();
  expect(headers["content-security-policy"]).toMatch(/(^|; )frame-ancestors 'self'$/);
  expect(headers["cache-control"]).toContain("no-store");

  await expect(page).toHaveURL(/\/portal\/endpoints$/);
  await expect(page.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  await expect(page.getByTestId("portal-app-name")).toContainText("Acme Billing");
  await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();
  await expect(
    page.getByRole("navigation", { name: "Webhooks" }).getByRole("link", { name: "Endpoints" }),
  ).toHaveAttribute("aria-current", "page");
  // The brand colour reaches the page through a CSS variable.
  await expect(page.locator(".hl-portal")).toHaveAttribute("style", /--hl-brand:\s*#0f766e/);
  await screenshotThemes(page, testInfo, "endpoints-empty");
});

test("creating an endpoint shows the server's field errors inline and keeps what was typed", async ({
  page,
}, testInfo) => {
  await openPortal(page);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const form = page.getByTestId("create-endpoint-form");

  await form.getByLabel("Endpoint URL").fill("https://user:secret@hooks.example.com/in");
  await form.getByLabel("Description").fill("Billing sync");
  // No events at all, a header Hookline reserves, and too many retries.
  await form.getByRole("checkbox", { name: /All events/ }).uncheck();
  await form.getByRole("button", { name: "Add header" }).click();
  await form.getByLabel("Header 1 name").fill("Content-Type");
  await form.getByLabel("Header 1 value").fill("text/plain");
  await form.getByRole("button", { name: "Delivery settings" }).click();
  await form.getByLabel("Retries").fill("50");
  await form.getByRole("button", { name: "Create endpoint" }).click();

  await expect(form.getByRole("group", { name: "Events to send" })).toContainText(
    "must name at least one event",
  );
  await expect(form.getByRole("group", { name: "Custom headers" })).toContainText(
    "“Content-Type” is set by Hookline",
  );
  await expect(form.getByLabel("Retries")).toHaveAccessibleDescription(/must be at most 20/);
  await expect(form.getByLabel("Retries")).toHaveAttribute("aria-invalid", "true");
  // The first field the server refused has the focus; nothing typed is lost.
  await expect(form.getByRole("group", { name: "Events to send" })).toBeFocused();
  await expect(form.getByLabel("Endpoint URL")).toHaveValue(
    "https://user:secret@hooks.example.com/in",
  );
  await expect(form.getByLabel("Description")).toHaveValue("Billing sync");
  await expect(form.getByLabel("Header 1 name")).toHaveValue("Content-Type");
  await expect(form.getByLabel("Retries")).toHaveValue("50");
  await screenshotThemes(page, testInfo, "endpoint-create-errors");

  // Fix those; the URL check comes next.
  await form.getByRole("checkbox", { name: /invoice\.paid/ }).check();
  await form.getByRole("checkbox", { name: /All customer events/ }).check();
  await form.getByLabel("Header 1 name").fill("X-Api-Key");
  await form.getByLabel("Header 1 value").fill("k_123");
  await form.getByLabel("Retries").fill("2");
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(form.getByLabel("Endpoint URL")).toHaveAccessibleDescription(
    "URL must not contain credentials",
  );
  await expect(form.getByLabel("Endpoint URL")).toBeFocused();
  await expect(form.getByRole("checkbox", { name: /invoice\.paid/ })).toBeChecked();

  await form.getByLabel("Endpoint URL").fill(`${receiver.url}/hooks/billing`);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByTestId("created-notice")).toBeVisible();
  await expect(page.getByTestId("created-secret")).toHaveText(/^whsec_/);
  const row = page.getByTestId("endpoint-row");
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`${receiver.url}/hooks/billing`);
  await expect(row).toContainText("Billing sync");
  await expect(row.getByTestId("endpoint-status")).toHaveText("Active");
  await expect(row.getByRole("list", { name: "Subscribed events" })).toContainText("invoice.paid");
  await expect(row.getByRole("list", { name: "Subscribed events" })).toContainText("customer.*");
  await screenshotThemes(page, testInfo, "endpoints-list");
});

test("testing an endpoint reaches the real receiver and shows its answer", async ({
  page,
}, testInfo) => {
  await openPortal(page);
  const row = page.getByTestId("endpoint-row").first();
  await row.getByRole("button", { name: /^Test / }).click();
  const dialog = page.getByRole("dialog", { name: "Send a test event" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel("Event type")).toBeFocused();

  // Bad input: an event name the server refuses, then a payload that is not JSON.
  await dialog.getByLabel("Event type").fill("not a valid name!");
  await dialog.getByRole("button", { name: "Send test event" }).click();
  await expect(dialog.getByLabel("Event type")).toHaveAccessibleDescription(
    /dot-separated segments/,
  );
  await dialog.getByLabel("Event type").fill("invoice.paid");
  await dialog.getByLabel("Payload (JSON)").fill("{ nope");
  await dialog.getByRole("button", { name: "Send test event" }).click();
  await expect(dialog.getByLabel("Payload (JSON)")).toHaveAccessibleDescription(
    /Not a JSON object/,
  );

  await dialog.getByLabel("Payload (JSON)").fill("");
  await dialog.getByRole("button", { name: "Use the example payload" }).click();
  await expect(dialog.getByLabel("Payload (JSON)")).toHaveValue(/inv_123/);
  const before = receiver.requests.length;
  await dialog.getByRole("button", { name: "Send test event" }).click();
  const result = dialog.getByTestId("test-result");
  await expect(result).toContainText("Delivered");
  await expect(result.getByTestId("test-status-code")).toHaveText("200");
  await expect(result).toContainText('"received": true');
  expect(receiver.requests.length).toBe(before + 1);
  const sent = receiver.requests.at(-1)!;
  expect(sent.path).toBe("/hooks/billing");
  expect(sent.headers["webhook-signature"]).toMatch(/^v1,/);
  expect(sent.headers["x-api-key"]).toBe("k_123");
  expect(JSON.parse(sent.body)).toMatchObject({
    type: "invoice.paid",
    data: { invoice_id: "inv_123" },
  });
  await screenshotThemes(page, testInfo, "endpoint-test-dialog");

  // Escape closes the dialog and gives the focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("button", { name: /^Test / })).toBeFocused();
});

test("the endpoint page edits settings, pauses, reveals and rotates the secret", async ({
  page,
}, testInfo) => {
  await openPortal(page);
  const createdSecretRow = page.getByTestId("endpoint-row").first();
  await createdSecretRow.getByRole("link", { name: `${receiver.url}/hooks/billing` }).click();
  await expect(page).toHaveURL(/\/portal\/endpoints\/ep_/);
  await expect(
    page.getByRole("heading", { name: `${receiver.url}/hooks/billing`, level: 1 }),
  ).toBeVisible();

  // Editing is apart from the overview, behind "Edit".
  await expect(page.getByTestId("edit-endpoint-form")).toHaveCount(0);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(/\/portal\/endpoints\/ep_[^/]+\/edit/);
  const form = page.getByTestId("edit-endpoint-form");
  await expect(form.getByLabel("Retries")).toHaveValue("2");
  await form.getByLabel("Description").fill("Billing sync (production)");
  await form.getByLabel("Timeout (seconds)").fill("0");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByLabel("Timeout (seconds)")).toHaveAccessibleDescription(
    /must be at least 1/,
  );
  await expect(form.getByLabel("Description")).toHaveValue("Billing sync (production)");
  await form.getByLabel("Timeout (seconds)").fill("10");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "Endpoint saved" })).toBeVisible();
  await page.getByRole("link", { name: "Endpoint overview" }).click();
  await expect(page.getByText("Billing sync (production)", { exact: true }).first()).toBeVisible();

  // Reveal, then rotate: a bad grace period first, then one hour.
  const secretPanel = page.getByTestId("secret-panel");
  await secretPanel.getByRole("button", { name: "Reveal" }).click();
  await expect(secretPanel.getByTestId("secret-value")).toHaveText(/^whsec_[A-Za-z0-9+/=]{20,}$/);
  const first = await secretPanel.getByTestId("secret-value").textContent();
  await secretPanel.getByRole("button", { name: "Rotate…" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate the signing secret" });
  await expect(rotate).toContainText("two signatures");
  await rotate.getByLabel("Grace period (hours)").fill("1000");
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(rotate.getByLabel("Grace period (hours)")).toHaveAttribute("aria-invalid", "true");
  await expect(rotate.getByLabel("Grace period (hours)")).toHaveValue("1000");
  await rotate.getByLabel("Grace period (hours)").fill("1");
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(rotate).toBeHidden();
  await expect(page.getByTestId("rotated-notice")).toContainText("keeps signing until");
  await expect(secretPanel.getByTestId("secret-value")).not.toHaveText(first!);
  await expect(secretPanel.getByTestId("secret-value")).toHaveText(/^whsec_/);

  // Pause and enable again.
  await page.getByRole("button", { name: "Pause", exact: true }).click();
  await expect(page.getByTestId("endpoint-status").first()).toHaveText("Paused");
  await page.getByRole("button", { name: "Enable", exact: true }).click();
  await expect(page.getByTestId("endpoint-status").first()).toHaveText("Active");
  await screenshotThemes(page, testInfo, "endpoint-detail");
});

test("the event catalog shows descriptions, schemas and examples", async ({ page }, testInfo) => {
  await openPortal(page, "/portal/catalog");
  await expect(page).toHaveURL(/\/portal\/catalog$/);
  await expect(page.getByRole("heading", { name: "Event catalog", level: 1 })).toBeVisible();
  const paid = page
    .getByTestId("event-type")
    .filter({ has: page.getByRole("heading", { name: "invoice.paid" }) });
  await expect(paid).toContainText("An invoice was paid in full.");
  // The schema's fields first, as a table.
  await expect(paid.getByRole("tabpanel").getByRole("table")).toContainText("invoice_id");
  await paid.getByRole("tab", { name: "Example payload" }).click();
  await expect(paid.getByRole("tabpanel")).toContainText('"invoice_id": "inv_123"');
  await paid.getByRole("tab", { name: "JSON Schema" }).click();
  await expect(paid.getByRole("tabpanel")).toContainText('"required"');
  // Arrow keys move between the tabs.
  await page.keyboard.press("ArrowLeft");
  await expect(paid.getByRole("tab", { name: "Example payload" })).toBeFocused();
  await expect(paid.getByRole("tab", { name: "Example payload" })).toHaveAttribute(
    "aria-selected",
    "true",
  );
  await expect(page.getByTestId("event-type")).toHaveCount(3);
  await screenshotThemes(page, testInfo, "catalog");
});

test("at 360 px every page fits without sideways scrolling", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openPortal(page);
  await expect(page.getByTestId("endpoint-row")).toHaveCount(1);
  await expectNoHorizontalOverflow(page);
  await page.screenshot({ path: testInfo.outputPath("mobile-endpoints.png"), fullPage: true });
  for (const [link, heading] of [
    ["Deliveries", "Deliveries"],
    ["Replay", "Replay"],
    ["Analytics", "Analytics"],
    ["Event catalog", "Event catalog"],
  ] as const) {
    await page
      .getByRole("navigation", { name: "Webhooks" })
      .getByRole("link", { name: link })
      .click();
    await expect(page.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(page.getByTestId("loading")).toHaveCount(0);
    await expectNoHorizontalOverflow(page);
    await page.screenshot({
      path: testInfo.outputPath(`mobile-${link.toLowerCase().replace(/ /g, "-")}.png`),
      fullPage: true,
    });
  }
  await page
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Endpoints" })
    .click();
  await page.getByTestId("endpoint-row").getByRole("link").click();
  await expect(page.getByTestId("endpoint-overview")).toBeVisible();
  await expect(page.getByTestId("loading")).toHaveCount(0);
  await expectNoHorizontalOverflow(page);
  await page.screenshot({
    path: testInfo.outputPath("mobile-endpoint-detail.png"),
    fullPage: true,
  });
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page.getByTestId("edit-endpoint-form")).toBeVisible();
  await expectNoHorizontalOverflow(page);
});

test("deleting an endpoint asks first, naming its URL", async ({ page }) => {
  await openPortal(page);
  const row = page.getByTestId("endpoint-row");
  await row.getByRole("button", { name: /^Delete / }).click();
  const dialog = page.getByRole("dialog", { name: "Delete this endpoint?" });
  await expect(dialog).toContainText(`${receiver.url}/hooks/billing`);
  // The safe choice has the focus.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(row).toHaveCount(1);

  await row.getByRole("button", { name: /^Delete / }).click();
  await dialog.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByRole("heading", { name: "No endpoints yet" })).toBeVisible();

  // Ending the session leaves nothing behind: a reload asks for access again.
  await page.getByRole("button", { name: "End session" }).click();
  await expect(
    page.getByRole("heading", { name: "You have left the webhook settings" }),
  ).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "Access needed" })).toBeVisible();
});
