import { expect, test, type Page } from "@playwright/test";
import {
  Backend,
  screenshotThemes,
  startReceiver,
  uniqueSlug,
  type Receiver,
} from "./support/portal";
import { connectE2eDatabase } from "./support/server";

/**
 * The delivery side of the portal end to end against real receivers: create an endpoint, trigger
 * events, watch deliveries (filters, detail drawer with every attempt, replay one), bulk-replay
 * the failed ones with a preview count and live progress, cancel a replay, and read the counts
 * in Analytics.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let good: Receiver;
let flaky: Receiver;
let flakyEndpointId: string;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-flows");
  slug = uniqueSlug("flows");
  await backend.createApp(slug, { name: "Acme Shop" });
  await backend.eventType(slug, {
    name: "invoice.paid",
    description: "An invoice was paid.",
    example: { invoice_id: "inv_1", amount: 100 },
  });
  await backend.eventType(slug, { name: "customer.created", description: "A customer signed up." });
  good = await startReceiver(200);
  flaky = await startReceiver(500);
  // No retries: a failure is final at once, so the test does not wait for the retry schedule.
  const flakyEndpoint = await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
    url: `${flaky.url}/flaky`,
    description: "Flaky receiver",
    subscriptions: ["invoice.paid"],
    max_retries: 0,
    timeout_seconds: 5,
  });
  flakyEndpointId = flakyEndpoint.id;
});

test.afterAll(async () => {
  await Promise.all([good?.close(), flaky?.close(), backend?.dispose()]);
});

async function openPortal(page: Page, path = "/portal") {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}ticket=${encodeURIComponent(ticket)}`);
}

const rows = (page: Page) => page.getByTestId("delivery-row");
const filter = (page: Page, label: string) =>
  page.getByTestId("delivery-filters").getByLabel(label, { exact: true });

test("events triggered after creating an endpoint show up as deliveries, with every attempt", async ({
  page,
}, testInfo) => {
  await openPortal(page);
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const form = page.getByTestId("create-endpoint-form");
  await form.getByLabel("Endpoint URL").fill(`${good.url}/good`);
  await form.getByLabel("Description").fill("Main receiver");
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByTestId("created-notice")).toBeVisible();

  for (let i = 1; i <= 3; i++)
    await backend.trigger(slug, "invoice.paid", { invoice_id: `inv_${i}`, amount: i * 100 });
  for (let i = 1; i <= 2; i++)
    await backend.trigger(slug, "customer.created", { customer_id: `cus_${i}` });

  await page
    .getByRole("navigation", { name: "Webhooks" })
    .getByRole("link", { name: "Deliveries" })
    .click();
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  // 5 to the good receiver (all events), 3 to the flaky one (invoice.paid); the list refreshes
  // itself while any is pending.
  await expect(rows(page)).toHaveCount(8);
  await expect(rows(page).and(page.locator('[data-status="success"]'))).toHaveCount(5);
  await expect(rows(page).and(page.locator('[data-status="failed"]'))).toHaveCount(3);
  expect(good.requests.length).toBe(5);
  await screenshotThemes(page, testInfo, "deliveries");

  // Filters: status, then endpoint; both live in the URL.
  await filter(page, "Status").selectOption("failed");
  await expect(page).toHaveURL(/status=failed/);
  await expect(rows(page)).toHaveCount(3);
  await filter(page, "Endpoint").selectOption({ label: `${good.url}/good` });
  await expect(
    page.getByRole("heading", { name: "No deliveries match these filters" }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(8);

  // A date range the server refuses is shown at the field.
  await filter(page, "From").fill("2026-06-02T10:00");
  await filter(page, "To").fill("2026-06-01T10:00");
  await expect(
    filter(page, "To").or(filter(page, "From")).and(page.locator('[aria-invalid="true"]')).first(),
  ).toBeVisible();
  await expect(page.getByText("Fix the filters above to see deliveries.")).toBeVisible();
  // In the form's words, at the field just changed.
  await expect(filter(page, "To")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("delivery-filters")).toContainText("must be later than From");
  await filter(page, "From").fill("2026-06-03T10:00");
  await expect(filter(page, "From")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("delivery-filters")).toContainText("must be earlier than To");
  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await expect(rows(page)).toHaveCount(8);

  // The detail drawer: payload and the failed attempt's request and response.
  await filter(page, "Status").selectOption("failed");
  await expect(rows(page)).toHaveCount(3);
  await rows(page).first().getByRole("button").click();
  const drawer = page.getByRole("dialog");
  await expect(drawer).toBeVisible();
  await expect(page).toHaveURL(/delivery=/);
  await expect(drawer.getByRole("region", { name: "Payload" })).toContainText('"invoice_id"');
  const attempt = drawer.getByTestId("attempt").first();
  await expect(attempt).toContainText("500");
  await expect(attempt.getByLabel(/response body/)).toContainText("receiver is down");
  await expect(attempt.getByLabel(/request headers/)).toContainText("webhook-signature: v1,");
  await screenshotThemes(page, testInfo, "delivery-drawer");

  // Replay this one after the receiver recovered.
  flaky.status = 200;
  await drawer.getByRole("button", { name: "Replay" }).click();
  await expect(page.getByTestId("toast").filter({ hasText: "queued" })).toBeVisible();
  await expect(drawer.getByTestId("attempt")).toHaveCount(2);
  await expect(drawer.getByTestId("delivery-status").first()).toHaveText("Delivered");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(page).not.toHaveURL(/delivery=/);
  await expect(rows(page)).toHaveCount(2);
});

test("failed deliveries are replayed in bulk after a preview count, with progress", async ({
  page,
}, testInfo) => {
  await openPortal(page, "/portal/replay");
  await expect(page.getByRole("heading", { name: "Replay", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No replays yet" })).toBeVisible();

  // Bad input first: the range ends before it starts.
  const form = page.getByTestId("replay-form");
  const from = await form.getByRole("textbox", { name: "From", exact: true }).inputValue();
  await form.getByRole("textbox", { name: "To", exact: true }).fill("2020-01-01T00:00");
  await expect(form.getByRole("textbox", { name: "To", exact: true })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByTestId("replay-preview")).toContainText("Fix the highlighted fields");
  await expect(form.getByRole("button", { name: /^Replay/ })).toBeDisabled();

  // The last 24 hours, failed deliveries of the flaky endpoint: the 2 still failed.
  const to = new Date(Date.now() + 5 * 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  await form
    .getByRole("textbox", { name: "To", exact: true })
    .fill(
      `${to.getFullYear()}-${pad(to.getMonth() + 1)}-${pad(to.getDate())}T${pad(to.getHours())}:${pad(to.getMinutes())}`,
    );
  expect(await form.getByRole("textbox", { name: "From", exact: true }).inputValue()).toBe(from);
  await form.getByLabel("Endpoint").selectOption(flakyEndpointId);
  await expect(page.getByTestId("replay-preview")).toContainText("This would replay 2 deliveries");
  await form.getByRole("checkbox", { name: "customer.created" }).check();
  await expect(page.getByTestId("replay-preview")).toContainText("No deliveries match");
  await form.getByRole("checkbox", { name: "customer.created" }).uncheck();
  await expect(page.getByTestId("replay-preview")).toContainText("This would replay 2 deliveries");

  await form.getByRole("button", { name: "Replay 2 deliveries" }).click();
  const task = page.getByTestId("replay-task").first();
  await expect(task).toBeVisible();
  await expect(task.getByRole("progressbar")).toBeVisible();
  await expect(task.getByTestId("task-status")).toHaveText("Completed");
  await expect(task.getByTestId("task-progress")).toContainText("2 of 2 processed (100%)");
  await expect(task.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("replay-preview")).toContainText("No deliveries match");

  // The replayed deliveries reach the recovered receiver.
  await expect.poll(() => flaky.requests.length).toBe(3 + 1 + 2);
  await screenshotThemes(page, testInfo, "replay");
});

test("analytics show the counts, over time and per endpoint", async ({ page }, testInfo) => {
  // The replays of the test before reached the receiver, but their attempts may not be recorded
  // yet: wait until no delivery is pending, so these totals and the page's agree.
  type Totals = { total_deliveries: number; failed: number; successful: number; pending: number };
  let totals!: Totals;
  await expect
    .poll(async () => {
      totals = await backend.call<Totals>("GET", `/apps/${slug}/analytics`);
      return totals.pending;
    })
    .toBe(0);
  // 5 to the good receiver, 3 to the flaky one.
  expect(totals.total_deliveries).toBe(8);
  await openPortal(page, "/portal/analytics");
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  await expect(page.getByTestId("stat-total")).toContainText(String(totals.total_deliveries));
  await expect(page.getByTestId("stat-successful")).toContainText(String(totals.successful));
  await expect(page.getByTestId("stat-failed")).toContainText(String(totals.failed));
  await expect(
    page
      .getByRole("region", { name: "Deliveries by outcome" })
      .locator(".recharts-bar-rectangle")
      .first(),
  ).toBeVisible();
  const breakdown = page.getByTestId("breakdown-row");
  await expect(breakdown).toHaveCount(2);
  await expect(
    breakdown
      .filter({ hasText: `${good.url}/good` })
      .locator("td")
      .first(),
  ).toHaveText("5");
  await expect(
    breakdown
      .filter({ hasText: `${flaky.url}/flaky` })
      .locator("td")
      .first(),
  ).toHaveText("3");
  await screenshotThemes(page, testInfo, "analytics");

  await page.getByText("Day", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "Day" })).toBeChecked();
  await expect(page.getByText("last 30 days, per day")).toBeVisible();
  await expect(page.getByTestId("stat-total")).toContainText(String(totals.total_deliveries));
  await screenshotThemes(page, testInfo, "analytics-day");
});

test("a single page embeds on its own: deliveries without navigation", async ({
  page,
}, testInfo) => {
  // embed=1 keeps compact tabs (every page reachable); nav=0 drops them for a single page.
  await openPortal(page, "/portal/deliveries?embed=1&nav=0&status=failed");
  await expect(page).toHaveURL(
    /\/portal\/deliveries\?(?=.*embed=1)(?=.*nav=0)(?=.*status=failed)(?!.*ticket=)/,
  );
  await expect(page.getByRole("navigation", { name: "Webhooks" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Deliveries", level: 1 })).toBeVisible();
  await expect(filter(page, "Status")).toHaveValue("failed");
  await page.screenshot({ path: testInfo.outputPath("deliveries-embed.png"), fullPage: true });
});

test("a running bulk replay can be cancelled", async ({ page }, testInfo) => {
  await openPortal(page, "/portal/replay");
  const form = page.getByTestId("replay-form");
  await form.getByLabel("Endpoint").selectOption(flakyEndpointId);
  await expect(page.getByTestId("replay-preview")).toContainText("No deliveries match");

  // "To" defaults to the end of the current minute; the failures below arrive after the page
  // opened, so widen it as a person would (otherwise a page opened late in a minute misses them).
  const later = await page.evaluate(() => {
    const d = new Date(Date.now() + 10 * 60_000);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  });
  await form.getByRole("textbox", { name: "To", exact: true }).fill(later);

  // Eight new failures, replayed and cancelled while the task runs.
  flaky.status = 500;
  for (let i = 0; i < 8; i++)
    await backend.trigger(slug, "invoice.paid", { invoice_id: `inv_bulk_${i}`, amount: 1 });
  await expect(async () => {
    await page.getByRole("button", { name: "Count again" }).click();
    await expect(page.getByTestId("replay-preview")).toContainText(
      "This would replay 8 deliveries",
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 15_000 });
  flaky.status = 200;
  // The cancel must land while the task runs, and the task must not race it to the end. The test
  // holds the eight delivery rows: the task's first batch waits for them (holding the task's row),
  // so the task cannot finish; they are let go once the cancel is answered (no batch had begun)
  // or is itself waiting for that batch.
  const db = await connectE2eDatabase();
  let cancelAnswered = false;
  const cancelResponse = page
    .waitForResponse(
      (r) =>
        r.request().method() === "POST" &&
        /\/replay-tasks\/[^/]+\/cancel$/.test(new URL(r.url()).pathname),
    )
    .then((r) => {
      cancelAnswered = true;
      return r;
    });
  const second = page.getByTestId("replay-task").first();
  try {
    await db.query("BEGIN");
    const held = await db.query(
      "SELECT id FROM deliveries WHERE endpoint_id = $1 AND status = 'failed' FOR UPDATE",
      [flakyEndpointId],
    );
    expect(held.rowCount).toBe(8);
    await form.getByRole("button", { name: "Replay 8 deliveries" }).click();
    await expect(second.getByTestId("task-status")).toHaveText(/Queued|Running/);
    await second.getByRole("button", { name: "Cancel" }).click();
    await expect
      .poll(async () => {
        if (cancelAnswered) return true;
        // pg_stat_activity is read once per transaction, and this client is inside one.
        await db.query("SELECT pg_stat_clear_snapshot()");
        const waiting = await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND query ILIKE '%from replay_tasks%for update%'`,
        );
        return waiting.rows[0]!.n > 0;
      })
      .toBe(true);
  } finally {
    await db.query("ROLLBACK").catch(() => {});
    await db.end();
  }
  expect((await cancelResponse).status()).toBe(200);
  await expect(second.getByTestId("task-status")).toHaveText("Cancelled");
  await expect(second.getByTestId("task-progress")).not.toContainText("8 of 8");
  await expect(page.getByTestId("replay-task")).toHaveCount(2);
  await screenshotThemes(page, testInfo, "replay-cancelled");
});
