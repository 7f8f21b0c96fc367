import { expect, test, type Page, type Request } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * The delivery list does not move under the pointer (issue 20, item 6). Behind a blocked FIFO
 * endpoint deliveries stay pending for good, which used to refetch the list every 2 s and insert
 * new rows at the top. Now new deliveries wait behind "N new deliveries"; after several "Load
 * more" the loaded pages are not fetched again on a timer.
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let receiver: Receiver;
const EVENTS = 80;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-live-list");
  slug = uniqueSlug("live-list");
  await backend.createApp(slug, { name: "Acme Live List" });
  await backend.eventType(slug, { name: "order.updated" });
  receiver = await startReceiver(500);
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/ordered`,
    ordering: "fifo",
    max_retries: 10,
  });
  for (let n = 0; n < EVENTS; n++) await backend.trigger(slug, "order.updated", { n });
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function openDeliveries(page: Page) {
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByTestId("delivery-row")).toHaveCount(25, { timeout: FIRST_LOAD });
}

const rowIds = (page: Page) =>
  page
    .getByTestId("delivery-row")
    .evaluateAll((rows) =>
      rows.map((r) => r.querySelector("[data-testid=row-event-id]")?.textContent),
    );

test("a new delivery waits behind 'N new deliveries' instead of pushing the rows down", async ({
  page,
}) => {
  await openDeliveries(page);
  const before = await rowIds(page);
  const first = page.getByTestId("delivery-row").first();
  await first.hover();

  const { event_id } = await backend.trigger(slug, "order.updated", { n: EVENTS });
  const show = page.getByTestId("show-new-deliveries");
  await expect(show).toHaveText(/^1 new delivery/, { timeout: 20_000 });
  // Nothing moved: the same rows, in the same order, the hovered one still first.
  expect(await rowIds(page)).toEqual(before);
  await expectNoSeriousViolations(page, "deliveries with new ones waiting");
  await expect(first.getByTestId("row-event-id")).toHaveText(before[0]!);

  await show.click();
  await expect(page.getByTestId("delivery-row").first().getByTestId("row-event-id")).toHaveText(
    event_id,
  );
  await expect(show).toBeHidden();
});

test("after three 'Load more' the loaded pages are not refetched every few seconds", async ({
  page,
}) => {
  await openDeliveries(page);
  const loadMore = page.getByRole("button", { name: "Load more" });
  for (const shown of [50, 75, EVENTS + 1]) {
    await loadMore.click();
    await expect(page.getByTestId("delivery-row")).toHaveCount(shown);
  }
  const seen: string[] = [];
  const record = (r: Request) => {
    if (new URL(r.url()).pathname === "/api/frontend/webhook/deliveries") seen.push(r.url());
  };
  page.on("request", record);
  // Wait for 3 polls of the newest page (3 s apart while rows are pending), then look back.
  await expect.poll(() => seen.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
  page.off("request", record);
  const pagesRefetched = seen.filter((u) => new URL(u).searchParams.has("cursor"));
  expect(pagesRefetched, "older pages fetched again on a timer").toEqual([]);
  await expect(page.getByTestId("delivery-row")).toHaveCount(EVENTS + 1);
});
