import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * The endpoint page's delivery format: it says what the endpoint receives, the customer switches
 * it to Svix's format in the portal (through the frontend API) and the next delivery arrives as
 * Svix sends it; "App default" brings back the app's.
 */
test.describe.configure({ mode: "serial" });

type EndpointBody = {
  id: string;
  delivery_format: string | null;
  effective_delivery_format: string;
};

let backend: Backend;
let slug: string;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-delivery-format");
  slug = uniqueSlug("format");
  await backend.createApp(slug, { name: "Acme Format" });
  receiver = await startReceiver(200);
});

test.afterAll(async () => {
  await receiver?.close();
  await backend?.dispose();
});

test("the customer switches an endpoint to the Svix format and back to the app's", async ({
  page,
}) => {
  const created = await backend.call<EndpointBody>(
    "POST",
    `/apps/${slug}/endpoints`,
    { url: receiver.url, events: ["invoice.paid"] },
    201,
  );
  const ticket = await backend.ticket(slug);
  await page.goto(`/portal/endpoints/${created.id}/edit?ticket=${encodeURIComponent(ticket)}`);
  const panel = page.getByTestId("delivery-format-panel");
  await expect(panel.getByTestId("effective-format")).toHaveText("Hookline (Standard Webhooks)");
  await expect(panel.getByTestId("delivery-format-details")).toContainText("webhook-id");

  const axe = await new AxeBuilder({ page })
    .include('[data-testid="delivery-format-panel"]')
    .include('[data-testid="signing-panel"]')
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await panel.getByLabel("Delivery format").selectOption("svix");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByTestId("effective-format")).toHaveText("Svix");
  await expect(panel.getByTestId("delivery-format-details")).toContainText("svix-id");
  await expect(page.getByTestId("signing-panel")).toContainText("svix-signature");
  const after = await backend.call<EndpointBody>("GET", `/apps/${slug}/endpoints/${created.id}`);
  expect(after).toMatchObject({ delivery_format: "svix", effective_delivery_format: "svix" });

  const payload = { invoice: "in_1" };
  const event = await backend.trigger(slug, "invoice.paid", payload);
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBeGreaterThan(0);
  const [delivery] = receiver.requests;
  expect(delivery!.headers["svix-id"]).toBe(event.event_id);
  expect(JSON.parse(delivery!.body)).toEqual(payload);

  await panel.getByLabel("Delivery format").selectOption("inherit");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect(panel.getByTestId("effective-format")).toHaveText("Hookline (Standard Webhooks)");
  await expect(panel).toContainText("the app's default");
  const reset = await backend.call<EndpointBody>("GET", `/apps/${slug}/endpoints/${created.id}`);
  expect(reset).toMatchObject({ delivery_format: null, effective_delivery_format: "hookline" });
});
