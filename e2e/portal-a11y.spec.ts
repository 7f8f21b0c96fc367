import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./support/axe";
import { Backend, startReceiver, uniqueSlug, type Receiver } from "./support/portal";

/**
 * axe (WCAG 2.0/2.1/2.2 A and AA rules) over every portal page, in light, dark and on a
 * 390×844 phone: no violation of serious or critical impact. Each page state is also saved as a
 * full-page screenshot under test-results (kept by CI as an artefact).
 */
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let backend: Backend;
let slug: string;
let good: Receiver;
let bad: Receiver;
let endpointId: string;
let deliveryId: string;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-a11y");
  slug = uniqueSlug("a11y");
  await backend.createApp(slug, { name: "Acme Accessible Webhooks Incorporated" });
  await backend.eventType(slug, {
    name: "invoice.paid",
    description: "An invoice was paid.",
    example: { invoice_id: "inv_1" },
  });
  await backend.eventType(slug, { name: "invoice.voided", description: "No longer sent." });
  await backend.call("PATCH", `/apps/${slug}/event-types/invoice.voided`, { archived: true });
  good = await startReceiver(200);
  bad = await startReceiver(500);
  const e = await backend.call<{ id: string }>("POST", `/apps/${slug}/endpoints`, {
    url: `${good.url}/good`,
    description: "Main receiver",
  });
  endpointId = e.id;
  await backend.call("POST", `/apps/${slug}/endpoints`, {
    url: `${bad.url}/bad`,
    description: "Broken receiver",
    max_retries: 0,
  });
  for (let i = 1; i <= 4; i++)
    await backend.trigger(slug, "invoice.paid", { invoice_id: `inv_${i}` });
  // Fan-out happens behind the trigger's 202: wait until both endpoints have all four.
  await expect.poll(() => backend.countDeliveries(slug, ""), { timeout: 60_000 }).toBe(8);
  const list = await backend.call<{ data: { id: string }[] }>(
    "GET",
    `/apps/${slug}/deliveries?limit=1`,
  );
  deliveryId = list.data[0]!.id;
});

test.afterAll(async () => {
  await Promise.all([good?.close(), bad?.close(), backend?.dispose()]);
});

interface PageState {
  name: string;
  path: () => string;
  ready: (page: Page) => Promise<void>;
}

const heading = (name: string) => async (page: Page) => {
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("loading")).toHaveCount(0);
};

const STATES: PageState[] = [
  { name: "endpoints", path: () => "/portal/endpoints", ready: heading("Endpoints") },
  {
    name: "endpoints-create",
    path: () => "/portal/endpoints",
    ready: async (page) => {
      await heading("Endpoints")(page);
      await page.getByRole("button", { name: "Add endpoint" }).click();
      await expect(page.getByTestId("create-endpoint-form")).toBeVisible();
    },
  },
  {
    name: "endpoint",
    path: () => `/portal/endpoints/${endpointId}`,
    ready: async (page) => {
      await expect(page.getByTestId("endpoint-overview")).toBeVisible();
      await expect(page.getByTestId("loading")).toHaveCount(0);
    },
  },
  {
    name: "endpoint-edit",
    path: () => `/portal/endpoints/${endpointId}/edit`,
    ready: async (page) => {
      await expect(page.getByTestId("edit-endpoint-form")).toBeVisible();
      await expect(page.getByTestId("loading")).toHaveCount(0);
    },
  },
  {
    name: "endpoint-test-dialog",
    path: () => `/portal/endpoints/${endpointId}`,
    ready: async (page) => {
      await expect(page.getByTestId("endpoint-overview")).toBeVisible();
      await page.getByRole("button", { name: "Send test event" }).click();
      await expect(page.getByRole("dialog", { name: "Send a test event" })).toBeVisible();
    },
  },
  { name: "deliveries", path: () => "/portal/deliveries", ready: heading("Deliveries") },
  {
    name: "delivery-drawer",
    path: () => `/portal/deliveries?delivery=${deliveryId}`,
    ready: async (page) => {
      await expect(page.getByTestId("delivery-drawer")).toBeVisible();
      await expect(page.getByTestId("delivery-drawer").getByTestId("loading")).toHaveCount(0);
    },
  },
  {
    name: "replay",
    path: () => "/portal/replay",
    ready: async (page) => {
      await heading("Replay")(page);
      await expect(page.getByTestId("replay-preview")).toContainText(/\d/);
    },
  },
  { name: "analytics", path: () => "/portal/analytics", ready: heading("Analytics") },
  {
    name: "catalog",
    path: () => "/portal/catalog",
    ready: async (page) => {
      await heading("Event catalog")(page);
      // Archived types stay subscribable, so the catalog shows them, marked.
      await expect(
        page.getByTestId("event-type").filter({ hasText: "invoice.voided" }),
      ).toContainText("Archived");
    },
  },
  {
    name: "analytics-table",
    path: () => "/portal/analytics",
    ready: async (page) => {
      await heading("Analytics")(page);
      // Every chart has its numbers as a table too.
      const toggles = page.getByRole("button", { name: "Show as table" });
      await expect(toggles).toHaveCount(3);
      await toggles.first().click();
      await expect(
        page.getByRole("table", { name: "Deliveries by outcome per bucket" }),
      ).toBeVisible();
    },
  },
];

const MODES = [
  { mode: "light", theme: "light", viewport: DESKTOP },
  { mode: "dark", theme: "dark", viewport: DESKTOP },
  { mode: "phone", theme: "light", viewport: PHONE },
  { mode: "phone-dark", theme: "dark", viewport: PHONE },
] as const;

for (const { mode, theme, viewport } of MODES) {
  test(`every page passes axe WCAG 2.2 AA in ${mode}`, async ({ page }, testInfo) => {
    // Thirteen page states, each screenshotted and axed: 10 s apiece on a busy machine.
    test.setTimeout(240_000);
    await page.setViewportSize(viewport);
    // No transitions: axe measures colours as they settle, not halfway through a fade.
    await page.emulateMedia({ reducedMotion: "reduce" });
    const notFound: string[] = [];
    page.on("response", (r) => {
      if (r.status() === 404) notFound.push(r.url());
    });
    // One session for all pages of this mode.
    const ticket = await backend.ticket(slug);
    await page.goto(`/portal?ticket=${encodeURIComponent(ticket)}&theme=${theme}`);
    await heading("Endpoints")(page);
    for (const state of STATES) {
      const path = state.path();
      await page.goto(`${path}${path.includes("?") ? "&" : "?"}theme=${theme}`);
      await expect(page.locator(".hl-portal")).toHaveAttribute("data-theme", theme);
      await state.ready(page);
      await page.screenshot({
        path: testInfo.outputPath(`${state.name}-${mode}.png`),
        fullPage: true,
        animations: "disabled",
      });
      await expectNoSeriousViolations(page, `${state.name} (${mode})`);
      expect(notFound, "no 404s (favicon included)").toEqual([]);
      if (viewport === PHONE) {
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow, `${state.name} (${mode}) scrolls sideways`).toBeLessThanOrEqual(0);
      }
    }
  });
}

test("the page without a session passes axe in light, dark and phone", async ({
  page,
}, testInfo) => {
  await page.emulateMedia({ reducedMotion: "reduce" });
  for (const { mode, theme, viewport } of MODES) {
    await page.setViewportSize(viewport);
    await page.goto(`/portal/endpoints?theme=${theme}`);
    await expect(page.getByRole("heading", { name: "Access needed" })).toBeVisible();
    // Without an app the header names the product once ("Webhooks", not "Webhooks Webhooks").
    await expect(page.getByTestId("portal-app-name")).toHaveText("Webhooks");
    await page.screenshot({
      path: testInfo.outputPath(`access-needed-${mode}.png`),
      fullPage: true,
      animations: "disabled",
    });
    await expectNoSeriousViolations(page, `access needed (${mode})`);
  }
});
