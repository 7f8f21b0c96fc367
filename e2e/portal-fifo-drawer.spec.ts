import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * FIFO in the drawer (issue 20, item 7): a delivery waiting in line gives no past "Next attempt"
 * time (it goes when the one ahead is done) and links the delivery it waits behind; that one's
 * drawer offers Skip; the endpoint page says how many deliveries wait in the line.
 */
let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-fifo-drawer");
  slug = uniqueSlug("fifo-drawer");
  await backend.createApp(slug, { name: "Acme In Line" });
  await backend.eventType(slug, { name: "order.updated" });
  receiver = await startReceiver(500);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

interface Endpoint {
  id: string;
  blocked_by: { delivery_id: string; attempts: number; waiting: number } | null;
}

test("a waiting delivery links what it waits behind, which can be skipped from its drawer", async ({
  page,
}) => {
  const endpoint = await backend.call<Endpoint>("POST", `/apps/${slug}/endpoints`, {
    url: `${receiver.url}/ordered`,
    ordering: "fifo",
    max_retries: 10,
  });
  for (let n = 1; n <= 3; n++) await backend.trigger(slug, "order.updated", { n });
  // The head failed once; the two after it (fanned out by then) wait behind it.
  await expect
    .poll(
      async () => {
        const b = (await backend.call<Endpoint>("GET", `/apps/${slug}/endpoints/${endpoint.id}`))
          .blocked_by;
        return b && { attempts: b.attempts, waiting: b.waiting };
      },
      { timeout: 20_000 },
    )
    .toEqual({ attempts: 1, waiting: 2 });
  const blocker = (await backend.call<Endpoint>("GET", `/apps/${slug}/endpoints/${endpoint.id}`))
    .blocked_by!;

  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${endpoint.id}?ticket=${encodeURIComponent(ticket)}`);
  await expect(page.getByTestId("fifo-waiting")).toHaveText(
    "2 deliveries wait in line behind it.",
    { timeout: FIRST_LOAD },
  );

  // The last delivery waits behind the head; its first attempt time has passed long ago.
  const deliveries = (
    await backend.call<{ data: { id: string; event_id: string }[] }>(
      "GET",
      `/apps/${slug}/deliveries?endpoint_id=${endpoint.id}&limit=10`,
    )
  ).data;
  const last = deliveries[0]!;
  expect(last.id).not.toBe(blocker.delivery_id);
  await page.goto(`/portal/deliveries?delivery=${last.id}&endpoint_id=${endpoint.id}`);
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer.getByTestId("drawer-next-attempt")).toHaveText(
    "When the delivery ahead of it in line is done",
    { timeout: FIRST_LOAD },
  );
  await expect(drawer).not.toContainText(/due .* ago/);
  await expect(drawer).toContainText("No attempt yet: it waits in line");
  await expectNoSeriousViolations(page, "drawer of a delivery waiting in line");
  const behind = drawer.getByTestId("waiting-behind");
  await expect(behind).toHaveRole("link");
  // It waits behind the head of the line: the link opens that delivery's drawer.
  await expect(behind).toHaveText(blocker.delivery_id);
  await behind.click();
  await expect(page).toHaveURL(new RegExp(`delivery=${blocker.delivery_id}`));
  await expect(drawer.getByTestId("drawer-next-attempt")).not.toHaveText(/ago|Due now/);
  await expect(drawer.getByTestId("waiting-behind")).toHaveCount(0);
  receiver.status = 200;
  await drawer.getByRole("button", { name: "Skip…" }).click();
  const dialog = page.getByTestId("skip-dialog");
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Skip delivery" }).click();
  await expect(dialog).toBeHidden();
  await expect(drawer.getByTestId("delivery-status").first()).toHaveText("Cancelled");
  await expect(drawer.getByTestId("drawer-next-attempt")).toHaveCount(0);
  await expect(drawer.getByRole("button", { name: "Skip…" })).toHaveCount(0);

  // The two behind it go out, in order.
  await expect
    .poll(
      () => receiver.requests.map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n),
      { timeout: 20_000 },
    )
    .toEqual([1, 2, 3]);
});
