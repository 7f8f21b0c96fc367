import { expect, test } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * A FIFO endpoint whose first delivery fails: the portal's endpoint page says which delivery
 * blocks it, shows the ordering choice, and Skip (confirmed in a dialog) lets the next through.
 */
let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-fifo");
  slug = uniqueSlug("fifo");
  await backend.createApp(slug, { name: "Acme Ordered" });
  await backend.eventType(slug, { name: "order.updated" });
  receiver = await startReceiver(500);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

interface Endpoint {
  id: string;
  ordering: string;
  blocked_by: { delivery_id: string; attempts: number } | null;
}

test("a failing head shows 'Blocked by delivery …' and Skip lets the next delivery through", async ({
  page,
}) => {
  const endpoint = await backend.call<Endpoint>("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/ordered`,
    ordering: "fifo",
  });
  expect(endpoint.ordering).toBe("fifo");
  await backend.trigger(slug, "order.updated", { n: 1 });
  await backend.trigger(slug, "order.updated", { n: 2 });
  // The first attempt fails (its retry is a minute away); the second event waits behind it.
  await expect
    .poll(
      async () =>
        (await backend.call<Endpoint>("GET", `/apps/${slug}/endpoints/${endpoint.id}`)).blocked_by
          ?.attempts ?? 0,
      { timeout: 20_000 },
    )
    .toBe(1);
  const blocker = (await backend.call<Endpoint>("GET", `/apps/${slug}/endpoints/${endpoint.id}`))
    .blocked_by!;
  expect(
    receiver.requests.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n),
  ).toEqual([1]);
  receiver.status = 200;

  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${endpoint.id}?ticket=${encodeURIComponent(ticket)}`);
  const notice = page.getByTestId("fifo-blocked");
  await expect(notice).toContainText(`Blocked by delivery ${blocker.delivery_id}`);
  await expect(notice).toContainText("failed once");
  // The overview says how it delivers (the choice itself is under Edit).
  await expect(page.getByTestId("endpoint-receives")).toContainText("In order (FIFO)");
  await expect(notice.getByRole("link", { name: blocker.delivery_id })).toHaveAttribute(
    "href",
    new RegExp(`delivery=${blocker.delivery_id}`),
  );

  // The delivery behind it says what it waits for.
  const waiting = (
    await backend.call<{ data: { id: string }[] }>(
      "GET",
      `/apps/${slug}/deliveries?endpoint_id=${endpoint.id}&limit=10`,
    )
  ).data.find((d) => d.id !== blocker.delivery_id)!;
  await page.goto(`/portal/deliveries?delivery=${waiting.id}&endpoint_id=${endpoint.id}`);
  const drawer = page.getByRole("dialog");
  await expect(drawer).toContainText("Waiting behind");
  await expect(drawer).toContainText(blocker.delivery_id);
  await page.goto(`/portal/endpoints/${endpoint.id}`);

  await notice.getByRole("button", { name: "Skip this delivery" }).click();
  const dialog = page.getByTestId("skip-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.screenshot({ path: test.info().outputPath("fifo-skip-dialog.png"), fullPage: true });
  await dialog.getByRole("button", { name: "Skip delivery" }).click();
  await expect(dialog).toBeHidden();
  await expect(notice).toBeHidden();

  // The next in line goes out; the skipped one is cancelled and was not sent again.
  await expect
    .poll(
      () => receiver.requests.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n),
      { timeout: 20_000 },
    )
    .toEqual([1, 2]);
  const skipped = await backend.call<{ status: string; last_error: string }>(
    "GET",
    `/apps/${slug}/deliveries/${blocker.delivery_id}`,
  );
  expect(skipped).toMatchObject({ status: "cancelled", last_error: "Skipped by hand" });
});

test("the endpoint form switches an endpoint to FIFO", async ({ page }) => {
  const endpoint = await backend.call<Endpoint>("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/switch`,
    subscriptions: ["order.updated"],
  });
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${endpoint.id}/edit?ticket=${encodeURIComponent(ticket)}`);
  const form = page.getByTestId("edit-endpoint-form");
  await form.getByRole("button", { name: "Delivery settings" }).click();
  await form.getByRole("radio", { name: /In order \(FIFO\)/ }).check();
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  expect(
    (await backend.call<Endpoint>("GET", `/apps/${slug}/endpoints/${endpoint.id}`)).ordering,
  ).toBe("fifo");
});
