import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * The event made visible (issue 20, item 5): delivery rows and the drawer show the event id
 * (`msg_…`) and copy it; "This event on every endpoint" lists the event's deliveries across
 * endpoints; the drawer copies the payload, an attempt's headers and a ready `curl` of the
 * request, which sends the same body to the receiver again.
 */
let backend: Backend;
let slug: string;
let a: Receiver;
let b: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-event-view");
  slug = uniqueSlug("event");
  await backend.createApp(slug, { name: "Acme Events" });
  await backend.eventType(slug, { name: "invoice.paid" });
  a = await startReceiver(200);
  b = await startReceiver(200);
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${a.url}/a` });
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${b.url}/b?team=it's` });
});

test.afterAll(async () => {
  await Promise.all([a?.close(), b?.close(), backend?.dispose()]);
});

test("event id in rows and drawer, copy payload/headers/curl, one event across its endpoints", async ({
  page,
  context,
}) => {
  const payload = { invoice_id: "inv_42", amount: 1250, note: 'it\'s "quoted"' };
  const { event_id } = await backend.trigger(slug, "invoice.paid", payload);
  await expect.poll(() => a.requests.length + b.requests.length, { timeout: 20_000 }).toBe(2);

  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/deliveries?ticket=${encodeURIComponent(ticket)}`);
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(2, { timeout: FIRST_LOAD });
  await expect(rows.getByTestId("row-event-id")).toHaveText([event_id, event_id]);

  // The drawer of the delivery to receiver b.
  await rows.filter({ hasText: "/b?team" }).getByRole("button").click();
  const drawer = page.getByTestId("delivery-drawer");
  await expect(drawer.getByTestId("drawer-event-id")).toHaveText(event_id, { timeout: FIRST_LOAD });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

  await drawer.getByRole("button", { name: "Copy event id" }).click();
  await expect.poll(clipboard).toBe(event_id);
  await drawer.getByRole("button", { name: "Copy payload" }).click();
  await expect.poll(async () => JSON.parse(await clipboard()) as unknown).toEqual(payload);
  await drawer.getByRole("button", { name: "Copy headers" }).click();
  await expect.poll(clipboard).toContain("webhook-id: ");

  // The curl, run in a shell, sends the receiver the same body as the attempt did.
  await drawer.getByRole("button", { name: "Copy as curl" }).click();
  await expect.poll(clipboard).toMatch(/^curl -X POST /);
  const curl = await clipboard();
  await drawer.getByText("This request as curl").click();
  await expect(drawer.getByLabel("Attempt 1 as curl")).toContainText("--data-raw");
  await expectNoSeriousViolations(page, "delivery drawer with the curl shown");
  const sent = b.requests[0]!;
  // Asynchronously: the receiver answers from this process.
  await promisify(execFile)("sh", ["-c", `${curl} --silent --output /dev/null --max-time 10`]);
  expect(b.requests).toHaveLength(2);
  const again = b.requests[1]!;
  expect(again.path).toBe(sent.path);
  expect(again.body).toBe(sent.body);
  expect(again.headers["webhook-id"]).toBe(sent.headers["webhook-id"]);

  // One event across its endpoints.
  await drawer.getByRole("link", { name: "This event on every endpoint" }).click();
  const view = page.getByTestId("event-view");
  await expect(view).toContainText(event_id);
  await expect(view.getByTestId("event-view-endpoints")).toHaveText("2 endpoints");
  await expect(view).toContainText("2 delivered");
  await expect(page.getByTestId("delivery-row")).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`event_id=${event_id}`));
  await expectNoSeriousViolations(page, "one event across its endpoints");
});
