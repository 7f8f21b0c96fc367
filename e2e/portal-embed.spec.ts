import { expect, test, type Page } from "@playwright/test";
import {
  Backend,
  E2E_BASE_URL,
  startHostPage,
  startReceiver,
  uniqueSlug,
  type HostPage,
  type Receiver,
} from "./support/portal";

/**
 * The portal inside an iframe on another site (the host page on http://localhost:<port>, the
 * portal on http://127.0.0.1:<port>): the ticket logs in through the partitioned cookie, the
 * portal works and sizes the frame through postMessage; a host that is not one of the app's
 * embed origins cannot frame it (CSP frame-ancestors).
 */
test.describe.configure({ mode: "serial" });

let backend: Backend;
let slug: string;
let allowed: HostPage;
let other: HostPage;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-embed");
  allowed = await startHostPage();
  other = await startHostPage();
  receiver = await startReceiver(200);
  slug = uniqueSlug("embed");
  await backend.createApp(slug, {
    name: "Acme Embedded",
    embed_origins: [allowed.origin],
    branding: { theme: "light", primary_color: "#be185d" },
  });
  await backend.eventType(slug, {
    name: "order.shipped",
    description: "An order left the warehouse.",
  });
});

/**
 * A full-page screenshot of the host page. Chromium paints a cross-site iframe only within the
 * viewport in `fullPage` captures, so the viewport is made as tall as the page first.
 */
async function tallScreenshot(page: Page, path: string) {
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height });
  await page.screenshot({ path });
  await page.setViewportSize(size);
}

test.afterAll(async () => {
  await Promise.all([allowed?.close(), other?.close(), receiver?.close(), backend?.dispose()]);
});

test("framed on an allowed origin, the portal logs in with a ticket and works", async ({
  page,
}, testInfo) => {
  const ticket = await backend.ticket(slug);
  const src = `${E2E_BASE_URL}/portal?ticket=${ticket}&embed=1&theme=dark`;
  const documentResponse = page.waitForResponse((r) =>
    r.url().startsWith(`${E2E_BASE_URL}/portal?ticket=`),
  );
  await page.goto(allowed.url(src));
  expect((await documentResponse).headers()["content-security-policy"]).toContain(
    `frame-ancestors 'self' ${allowed.origin}`,
  );

  const portal = page.frameLocator("#hookline-portal");
  await expect(portal.getByRole("heading", { name: "Endpoints", level: 1 })).toBeVisible();
  // embed=1: no header (the host has one), compact navigation; theme=dark from the query string
  // beats the app's light.
  await expect(portal.getByTestId("portal-app-name")).toHaveCount(0);
  await expect(portal.getByRole("navigation", { name: "Webhooks" })).toBeVisible();
  await expect(portal.locator(".hl-portal")).toHaveAttribute("data-theme", "dark");
  await expect(portal.locator(".hl-portal")).toHaveAttribute("data-framed", "true");
  await expect(portal.locator(".hl-portal")).toHaveAttribute("style", /--hl-brand:\s*#be185d/);
  const frame = page.frame({ url: /\/portal\// })!;
  await expect
    .poll(() => frame.url())
    .toMatch(/\/portal\/endpoints\?(embed=1&theme=dark|theme=dark&embed=1)$/);

  // The host hears the content height and sizes the frame to it.
  await expect
    .poll(() =>
      page.evaluate(() =>
        (window as unknown as { __hookline: { type: string }[] }).__hookline.some(
          (m) => m.type === "hookline:resize",
        ),
      ),
    )
    .toBe(true);
  const reported = async () =>
    page.evaluate(() => {
      const all = (
        window as unknown as { __hookline: { type: string; height?: number }[] }
      ).__hookline.filter((m) => m.type === "hookline:resize");
      return all.at(-1)?.height ?? 0;
    });
  const frameHeight = () =>
    page.locator("#hookline-portal").evaluate((el) => el.getBoundingClientRect().height);
  await expect
    .poll(async () => Math.abs((await frameHeight()) - (await reported())))
    .toBeLessThanOrEqual(1);
  await expect
    .poll(() => frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight))
    .toBeLessThanOrEqual(1);
  const heightBefore = await reported();

  // A mutation from inside the frame (cookie + CSRF token across sites): create an endpoint.
  await portal.getByRole("button", { name: "Add endpoint" }).click();
  await expect.poll(reported).toBeGreaterThan(heightBefore);
  const form = portal.getByTestId("create-endpoint-form");
  await form.getByLabel("Endpoint URL").fill(`${receiver.url}/embedded`);
  await form.getByRole("button", { name: "Create endpoint" }).click();
  await expect(portal.getByTestId("created-notice")).toBeVisible();
  await expect(portal.getByTestId("endpoint-row")).toContainText(`${receiver.url}/embedded`);

  // Navigation inside the frame keeps embed and theme.
  await portal.getByRole("link", { name: `${receiver.url}/embedded` }).click();
  await expect(portal.getByTestId("endpoint-overview")).toBeVisible();
  await expect.poll(() => frame.url()).toMatch(/embed=1/);
  await expect(portal.locator(".hl-portal")).toHaveAttribute("data-theme", "dark");

  // A dialog opens next to what opened it, and the frame grows to hold it.
  await portal.getByRole("button", { name: "Send test event" }).click();
  const dialog = portal.getByRole("dialog", { name: "Send a test event" });
  await dialog.getByRole("button", { name: "Send test event" }).click();
  await expect(dialog.getByTestId("test-result")).toContainText("Delivered");
  await expect
    .poll(async () => (await frameHeight()) >= ((await dialog.boundingBox())?.height ?? Infinity))
    .toBe(true);
  // The frame never scrolls inside: it is as tall as the portal's document.
  await expect
    .poll(() => frame.evaluate(() => document.documentElement.scrollHeight - window.innerHeight))
    .toBeLessThanOrEqual(1);
  await tallScreenshot(page, testInfo.outputPath("embedded-dark.png"));
  await page.keyboard.press("Escape");

  // A reload of the frame keeps the session (the partitioned cookie) and the frame policy.
  await frame.goto(`${E2E_BASE_URL}/portal/catalog?embed=1`);
  await expect(portal.getByRole("heading", { name: "Event catalog", level: 1 })).toBeVisible();
  await expect(portal.getByTestId("event-type")).toContainText("order.shipped");
  await expect(portal.locator(".hl-portal")).toHaveAttribute("data-theme", "light");
  await tallScreenshot(page, testInfo.outputPath("embedded-catalog-light.png"));
});

test("a page on an origin that is not allowed cannot frame the portal", async ({
  page,
  request,
}) => {
  const ticket = await backend.ticket(slug);
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (m.text().includes("frame-ancestors")) blocked.push(m.text());
  });
  const documentResponse = page.waitForResponse((r) =>
    r.url().startsWith(`${E2E_BASE_URL}/portal?ticket=`),
  );
  await page.goto(other.url(`${E2E_BASE_URL}/portal?ticket=${ticket}`));
  expect((await documentResponse).headers()["content-security-policy"]).toContain(
    `frame-ancestors 'self' ${allowed.origin}`,
  );
  await expect.poll(() => blocked.length).toBeGreaterThan(0);

  // Nothing of the portal ran in the frame: no heading, no messages, and the ticket is unspent.
  await expect(page.frameLocator("#hookline-portal").locator(".hl-portal")).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as unknown as { __hookline: unknown[] }).__hookline.length),
  ).toBe(0);
  const exchange = await request.post(`${E2E_BASE_URL}/api/session/ticket/exchange`, {
    data: { ticket },
  });
  expect(exchange.status()).toBe(200);
});

test("without a ticket or session the portal names no app, so no host can frame it", async ({
  page,
}) => {
  // The page cannot know which app it is for: its policy lists no tenant's origins (issue 23).
  const documentResponse = page.waitForResponse((r) =>
    r.url().startsWith(`${E2E_BASE_URL}/portal/deliveries`),
  );
  await page.goto(allowed.url(`${E2E_BASE_URL}/portal/deliveries?embed=1`));
  expect((await documentResponse).headers()["content-security-policy"]).toMatch(
    /(^|; )frame-ancestors 'self'(;|$)/,
  );
  await expect(page.frameLocator("#hookline-portal").locator(".hl-portal")).toHaveCount(0);
  expect(
    await page.evaluate(() => (window as unknown as { __hookline: unknown[] }).__hookline.length),
  ).toBe(0);
});
