import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Health numbers that agree (issue 20, item 2): an endpoint that delivered once and then failed
 * three times in a row (each delivery now retrying) cannot read "Success 100%". The endpoint
 * page counts attempts (retries included) and says how many deliveries are still pending or
 * retrying; Analytics counts them too, and its outcome chart has a series for them.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;
let endpointId: string;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-health-numbers");
  slug = uniqueSlug("health");
  await backend.createApp(slug, { name: "Acme Health" });
  await backend.eventType(slug, { name: "invoice.paid" });
  receiver = await startReceiver(200);
  endpointId = (
    await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
      url: `${receiver.url}/hook`,
      max_retries: 5,
    })
  ).id;
  await backend.trigger(slug, "invoice.paid", { n: 0 });
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(1);
  receiver.status = 500;
  for (let n = 1; n <= 3; n++) await backend.trigger(slug, "invoice.paid", { n });
  // Three failed first attempts; each delivery waits for its retry (minutes away on this server).
  await expect
    .poll(() => backend.countDeliveries(slug, "status=retrying"), { timeout: 20_000 })
    .toBe(3);
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
    .toBe(4);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function open(page: Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}?ticket=${encodeURIComponent(ticket)}`);
}

test("the endpoint page counts failed attempts: not 'Success 100%' beside 'failing'", async ({
  page,
}) => {
  await open(page, `/portal/endpoints/${endpointId}`);
  await expect(page.getByTestId("endpoint-status")).toHaveText("Failing", {
    timeout: FIRST_LOAD,
  });
  const health = page.getByTestId("endpoint-health");
  // 1 of 4 attempts succeeded.
  await expect(health.getByTestId("health-attempt-rate")).toHaveText("25%");
  await expect(health).not.toContainText("100%");
  await expect(health.getByTestId("health-counts")).toContainText(
    "1 of 4 attempts succeeded, retries included",
  );
  await expect(health.getByTestId("health-counts")).toContainText(
    "1 delivered, 0 failed, 3 pending or retrying",
  );
  await expectNoSeriousViolations(page, "endpoint health");
});

test("Analytics counts the deliveries still retrying, in the summary and the outcome chart", async ({
  page,
}) => {
  await open(page, "/portal/analytics");
  await expect(page.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible({
    timeout: FIRST_LOAD,
  });
  await expect(page.getByTestId("stat-total")).toContainText("4");
  await expect(page.getByTestId("stat-failed")).toContainText("0");
  const pending = page.getByTestId("stat-pending");
  await expect(pending).toContainText("Pending or retrying");
  await expect(pending).toContainText("3");
  await expect(pending).toContainText("3 failed attempts");
  await expect(page.getByTestId("stat-successful")).toContainText("of finished deliveries");
  await expect(page.getByTestId("analytics-counting")).toContainText("still pending or retrying");

  // The outcome chart's table has the series, with the three deliveries in it.
  const chart = page.getByRole("figure", { name: "Deliveries by outcome per bucket" });
  await expect(chart).toContainText("Pending or retrying");
  await chart.getByRole("button", { name: "Show as table" }).click();
  // One bucket holds them all (unless the hour turned between the triggers): sum the columns.
  const sums = await chart.locator("tbody tr").evaluateAll((rows) =>
    rows.reduce(
      (acc, r) => {
        const cells = [...r.querySelectorAll("td")].map((td) => Number(td.textContent));
        return acc.map((v, i) => v + (cells[i] ?? 0));
      },
      [0, 0, 0],
    ),
  );
  expect(sums, "successful, failed, pending or retrying").toEqual([1, 0, 3]);
  // The breakdown by endpoint has the column too.
  const breakdown = page.getByTestId("breakdown-row").first();
  await expect(breakdown.locator('[data-label="Pending or retrying"]')).toHaveText("3");
  await expectNoSeriousViolations(page, "analytics with deliveries retrying");
});
