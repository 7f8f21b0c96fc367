import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations, WCAG_TAGS } from "./support/axe";
import { Backend, FIRST_LOAD, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * Issue 20, item 13: the catalog reads an event type's JSON Schema as a table of fields (nested
 * ones by dotted path), copies the schema and the example, and subscribes an endpoint to the
 * type; the filter tester runs against a recent real event of the type or pasted JSON, not only
 * the catalog example.
 */
test.describe.configure({ mode: "serial" });

const SCHEMA = {
  type: "object",
  required: ["id", "address"],
  properties: {
    id: { type: "string", description: "The customer id." },
    address: {
      type: "object",
      required: ["country"],
      properties: {
        city: { type: "string" },
        country: { type: "string", description: "ISO 3166 code." },
      },
    },
  },
};
const EXAMPLE = { id: "cus_example", address: { country: "US" } };

let backend: Backend;
let slug: string;
let receiver: Receiver;
let realEvents: string[];

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-catalog-tools");
  slug = uniqueSlug("catalog");
  await backend.createApp(slug, { name: "Acme Catalog" });
  await backend.eventType(slug, {
    name: "customer.created",
    description: "A customer signed up.",
    schema: SCHEMA,
    example: EXAMPLE,
  });
  receiver = await startReceiver(200);
  await backend.call("POST", `/apps/${slug}/endpoints`, { url: `${receiver.url}/all` });
  realEvents = [];
  for (const country of ["FR", "DE"]) {
    const e = await backend.trigger(slug, "customer.created", {
      id: `cus_real_${country}`,
      address: { country },
    });
    realEvents.push(e.event_id);
  }
  await expect.poll(() => receiver.requests.length, { timeout: 20_000 }).toBe(2);
});

test.afterAll(async () => {
  await Promise.all([receiver?.close(), backend?.dispose()]);
});

async function open(page: Page, path: string) {
  const ticket = await backend.ticket(slug);
  await page.goto(`${path}?ticket=${encodeURIComponent(ticket)}`);
}

test("the catalog shows the schema's fields, copies schema and example, and subscribes an endpoint", async ({
  page,
  context,
}) => {
  await open(page, "/portal/catalog");
  const card = page.getByTestId("event-type").filter({ hasText: "customer.created" });
  await expect(card).toBeVisible({ timeout: FIRST_LOAD });

  // Fields, nested ones by dotted path, with type, required and description.
  const table = card.getByRole("table", { name: "Fields of customer.created" });
  await expect(table.getByRole("rowheader")).toHaveText([
    "id",
    "address",
    "address.city",
    "address.country",
  ]);
  const country = table.getByRole("row").filter({ hasText: "address.country" });
  await expect(country.getByRole("cell")).toHaveText(["string", "Required", "ISO 3166 code."]);
  const city = table.getByRole("row").filter({ hasText: "address.city" });
  await expect(city.getByRole("cell").nth(1)).toHaveText("Optional");
  await expectNoSeriousViolations(page, "catalog with a field table");

  // Copy the example and the schema as JSON.
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const clipboard = async () =>
    JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as unknown;
  await card.getByRole("tab", { name: "Example payload" }).click();
  await card.getByRole("button", { name: "Copy example payload" }).click();
  await expect(card.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await clipboard()).toEqual(EXAMPLE);
  await card.getByRole("tab", { name: "JSON Schema" }).click();
  await card.getByRole("button", { name: "Copy JSON Schema" }).click();
  await expect(card.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await clipboard()).toEqual(SCHEMA);

  // Subscribe an endpoint: the new-endpoint form with this event type chosen.
  await card.getByRole("link", { name: "Subscribe an endpoint to customer.created" }).click();
  const form = page.getByTestId("create-endpoint-form");
  await expect(form).toBeVisible();
  await expect(form.getByRole("checkbox", { name: /All events/ })).not.toBeChecked();
  await expect(form.getByRole("checkbox", { name: /customer\.created/ })).toBeChecked();
  await form.getByLabel("Endpoint URL").fill(`${receiver.url}/customers`);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(page.getByTestId("created-notice")).toBeVisible();
  const endpoints = await backend.call<{ data: { url: string; subscriptions: string[] }[] }>(
    "GET",
    `/apps/${slug}/endpoints`,
  );
  expect(endpoints.data.find((e) => e.url.endsWith("/customers"))?.subscriptions).toEqual([
    "customer.created",
  ]);
});

test("the filter tester runs against a recent real event, pasted JSON, or the catalog example", async ({
  page,
}) => {
  await open(page, "/portal/endpoints");
  await page.getByRole("button", { name: "Add endpoint" }).click({ timeout: FIRST_LOAD });
  const form = page.getByTestId("create-endpoint-form");
  const editor = form.getByTestId("filter-editor");
  await form.getByLabel("Payload filter").fill('address.country = "DE"');
  const result = editor.getByRole("status");

  // A recent event first: the newest one (DE) is sent, the older one (FR) filtered out.
  await expect(editor.getByLabel("Test against")).toHaveValue("recent");
  await expect(editor.getByLabel("Recent event")).toHaveValue(realEvents[1]!);
  await editor.getByRole("button", { name: "Test against this event" }).click();
  await expect(result).toContainText("matches");
  await expect(result).not.toContainText("does not match");
  await expect(result).toContainText("cus_real_DE");
  await editor.getByLabel("Recent event").selectOption(realEvents[0]!);
  await editor.getByRole("button", { name: "Test against this event" }).click();
  await expect(result).toContainText("does not match");
  await expect(result).toContainText("cus_real_FR");
  const axe = await new AxeBuilder({ page })
    .include('[data-testid="filter-editor"]')
    .withTags(WCAG_TAGS)
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Pasted JSON: refused until it is an object, then tested.
  await editor.getByLabel("Test against").selectOption("paste");
  const pasted = editor.getByLabel("Payload to test (JSON)");
  await pasted.fill("[1, 2]");
  await expect(pasted).toHaveAccessibleDescription(/Not a JSON object/);
  await expect(editor.getByRole("button", { name: "Test against this JSON" })).toBeDisabled();
  await pasted.fill('{ "address": { "country": "DE" }, "id": "cus_pasted" }');
  await editor.getByRole("button", { name: "Test against this JSON" }).click();
  await expect(result).toContainText("matches");
  await expect(result).toContainText("cus_pasted");

  // The catalog example still works (US: filtered out).
  await editor.getByLabel("Test against").selectOption("example");
  await editor.getByRole("button", { name: "Test against the catalog example" }).click();
  await expect(result).toContainText("does not match");
  await expect(result).toContainText("cus_example");
});
