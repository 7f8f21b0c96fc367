import { expect, test, type FrameLocator, type Locator, type Page } from "@playwright/test";
import {
  Backend,
  E2E_BASE_URL,
  HOST_HEADER,
  startHostPage,
  startReceiver,
  uniqueSlug,
  type HostPage,
  type Receiver,
} from "./support/portal";

/**
 * The host-side contract of docs/embedding.md, with the doc's own snippet on a host page
 * (http://localhost) under a sticky 51 px header, framing the portal cross-site
 * (http://127.0.0.1): navigation inside the frame, dialogs clear of the header and in view while
 * the host scrolls, small scrolls only, and a frame below the fold sized before it is seen.
 */
// Independent tests: each opens its own page on the app made in beforeAll.

const VIEWPORT = { width: 1280, height: 800 };

let backend: Backend;
let slug: string;
let host: HostPage;
let receiver: Receiver;

test.beforeAll(async () => {
  backend = await Backend.create("e2e-portal-embed-contract");
  host = await startHostPage();
  receiver = await startReceiver(200);
  slug = uniqueSlug("contract");
  await backend.createApp(slug, {
    name: "Acme Contract",
    embed_origins: [host.origin],
    branding: { theme: "light" },
  });
  await backend.eventType(slug, {
    name: "order.shipped",
    description: "An order left the warehouse.",
  });
  for (let i = 1; i <= 8; i++)
    await backend.call("POST", `/apps/${slug}/endpoints`, {
      url: `${receiver.url}/e${i}`,
      description: `Receiver ${i}`,
    });
  await backend.trigger(slug, "order.shipped", { order_id: "ord_1" });
});

test.afterAll(async () => {
  await Promise.all([host?.close(), receiver?.close(), backend?.dispose()]);
});

async function openFramed(
  page: Page,
  path: string,
  { spacer = 0, viewport = VIEWPORT } = {},
): Promise<FrameLocator> {
  await page.setViewportSize(viewport);
  const ticket = await backend.ticket(slug);
  const sep = path.includes("?") ? "&" : "?";
  await page.goto(
    host.url(`${E2E_BASE_URL}${path}${sep}ticket=${encodeURIComponent(ticket)}&embed=1`, spacer),
  );
  const portal = page.frameLocator("#hookline-portal");
  await expect(portal.locator(".hl-portal")).toHaveAttribute("data-framed", "true", {
    timeout: 15_000,
  });
  return portal;
}

const frameBox = (page: Page) =>
  page.locator("#hookline-portal").evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top, height: r.height };
  });

const hostScroll = (page: Page) => page.evaluate(() => window.scrollY);

/** `target` lies in the host's viewport below its sticky header: "ok", or where it is. */
async function clearOfHeader(page: Page, target: Locator): Promise<string> {
  const b = await target.boundingBox();
  if (!b) return "no box";
  const height = page.viewportSize()!.height;
  return b.y >= HOST_HEADER - 0.5 && b.y + b.height <= height + 0.5
    ? "ok"
    : `y ${Math.round(b.y)}..${Math.round(b.y + b.height)}`;
}

async function expectTitleAndCloseInView(page: Page, dialog: Locator, title: string) {
  await expect(dialog).toBeVisible();
  await expect
    .poll(() => clearOfHeader(page, dialog.getByRole("heading", { name: title })))
    .toBe("ok");
  await expect
    .poll(() => clearOfHeader(page, dialog.getByRole("button", { name: "Close" }).first()))
    .toBe("ok");
}

test("every page is reachable from the embedded portal's navigation", async ({ page }) => {
  const portal = await openFramed(page, "/portal/endpoints");
  const nav = portal.getByRole("navigation", { name: "Webhooks" });
  await expect(nav).toBeVisible();
  const frame = () => page.frame({ url: /\/portal\// })!;
  for (const [link, heading] of [
    ["Deliveries", "Deliveries"],
    ["Replay", "Replay"],
    ["Analytics", "Analytics"],
    ["Event catalog", "Event catalog"],
    ["Endpoints", "Endpoints"],
  ] as const) {
    await nav.getByRole("link", { name: link, exact: true }).click();
    await expect(portal.getByRole("heading", { name: heading, level: 1 })).toBeVisible();
    await expect(nav.getByRole("link", { name: link, exact: true })).toHaveAttribute(
      "aria-current",
      "page",
    );
    // Still embedded: the host's header is the only one.
    await expect.poll(() => frame().url()).toMatch(/[?&]embed=1/);
    await expect(portal.getByTestId("portal-app-name")).toHaveCount(0);
  }
  // The tabs fit on one line.
  const tabs = await nav
    .getByRole("link")
    .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(new Set(tabs).size).toBe(1);
});

test("a dialog opens below the host's sticky header, keeps the host still, and follows a scroll", async ({
  page,
}) => {
  const portal = await openFramed(page, "/portal/endpoints");
  await expect(portal.getByTestId("endpoint-row")).toHaveCount(8);
  // The host scrolled so that the frame's top is 300 px above its viewport, under the header.
  await page.evaluate(() => {
    const f = document.getElementById("hookline-portal")!;
    window.scrollBy({ top: f.getBoundingClientRect().top + 300, behavior: "instant" });
  });
  await expect.poll(async () => Math.round((await frameBox(page)).top)).toBe(-300);
  const row = portal.getByTestId("endpoint-row").nth(3);
  expect(await clearOfHeader(page, row)).toBe("ok");
  const scrollBefore = await hostScroll(page);

  await row.getByRole("button", { name: /^Test / }).click();
  const dialog = portal.getByRole("dialog", { name: "Send a test event" });
  await expectTitleAndCloseInView(page, dialog, "Send a test event");
  expect(await hostScroll(page)).toBe(scrollBefore);
  await page.screenshot({ path: test.info().outputPath("dialog-below-sticky-header.png") });

  // The wheel over the page does not scroll the host behind the open dialog.
  await page.mouse.move(640, 700);
  await page.mouse.wheel(0, 300);
  await page.mouse.move(20, 300);
  await page.mouse.wheel(0, 300);
  // (A wheel that did scroll shows at once; give it the time the test dialog's send takes.)
  await dialog.getByRole("button", { name: "Send test event" }).click();
  await expect(dialog.getByTestId("test-result")).toContainText("Delivered");
  expect(await hostScroll(page)).toBe(scrollBefore);

  // The host's own code scrolls anyway: the dialog follows, title and Close still in view.
  await page.evaluate(() => window.scrollBy({ top: 300, behavior: "instant" }));
  await expect.poll(() => hostScroll(page)).toBe(scrollBefore + 300);
  await expectTitleAndCloseInView(page, dialog, "Send a test event");
  await page.evaluate(() => window.scrollBy({ top: -450, behavior: "instant" }));
  await expectTitleAndCloseInView(page, dialog, "Send a test event");

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  // Closed: the host scrolls again.
  await page.mouse.move(20, 300);
  const closedAt = await hostScroll(page);
  await page.mouse.wheel(0, 200);
  await expect.poll(() => hostScroll(page)).toBeGreaterThan(closedAt);
});

test("with 360-400 px of the frame in view, a dialog fits there and scrolls inside", async ({
  page,
}) => {
  // 440 px tall window, 51 px of it the host's header: 389 px of the frame show.
  const portal = await openFramed(page, "/portal/endpoints", {
    viewport: { width: 1000, height: 440 },
  });
  await expect(portal.getByTestId("endpoint-row")).toHaveCount(8);
  await page.evaluate(() => {
    const f = document.getElementById("hookline-portal")!;
    window.scrollBy({ top: f.getBoundingClientRect().top + 200, behavior: "instant" });
  });
  const scrollBefore = await hostScroll(page);
  await portal
    .getByTestId("endpoint-row")
    .nth(2)
    .getByRole("button", { name: /^Test / })
    .click();
  const dialog = portal.getByRole("dialog", { name: "Send a test event" });
  await expectTitleAndCloseInView(page, dialog, "Send a test event");
  // Nothing asked the host to move: 389 px are enough.
  expect(await hostScroll(page)).toBe(scrollBefore);
  // The whole dialog, its buttons included, is in view; its body scrolls to show the rest.
  await expect.poll(() => clearOfHeader(page, dialog.locator("> div").first())).toBe("ok");
  await expect
    .poll(() => clearOfHeader(page, dialog.getByRole("button", { name: "Send test event" })))
    .toBe("ok");
  const body = dialog.locator("[data-modal-body]");
  await expect.poll(() => clearOfHeader(page, body)).toBe("ok");
  expect(
    await body.evaluate((el) => {
      el.scrollTo({ top: el.scrollHeight, behavior: "instant" });
      return el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
    }),
  ).toBe(true);
  await page.screenshot({ path: test.info().outputPath("dialog-in-389px.png") });
  await page.keyboard.press("Escape");
});

test("with little of the frame in view, the host scrolls only a little to show a dialog", async ({
  page,
}) => {
  // The frame starts 250 px above the bottom of the host's viewport.
  const portal = await openFramed(page, "/portal/endpoints", { spacer: 700 });
  await expect(portal.getByTestId("endpoint-row")).toHaveCount(8);
  await page.evaluate(() => {
    const f = document.getElementById("hookline-portal")!;
    window.scrollBy({
      top: f.getBoundingClientRect().top - (window.innerHeight - 250),
      behavior: "instant",
    });
  });
  await expect.poll(async () => Math.round((await frameBox(page)).top)).toBe(550);
  const scrollBefore = await hostScroll(page);
  await portal
    .getByTestId("endpoint-row")
    .first()
    .getByRole("button", { name: /^Test / })
    .click();
  const dialog = portal.getByRole("dialog", { name: "Send a test event" });
  await expectTitleAndCloseInView(page, dialog, "Send a test event");
  await expect
    .poll(() => clearOfHeader(page, dialog.getByRole("button", { name: "Send test event" })))
    .toBe("ok");
  const moved = (await hostScroll(page)) - scrollBefore;
  // 360 px must show: 110 more than the 250 that did, not a jump to the frame's top.
  expect(moved).toBeGreaterThan(0);
  expect(moved).toBeLessThanOrEqual(150);
  await page.keyboard.press("Escape");
});

test("a frame first shown below the fold has its content's height before it is scrolled to", async ({
  page,
}) => {
  const portal = await openFramed(page, "/portal/endpoints", { spacer: 2500 });
  // Loaded while off screen (nothing scrolled the host).
  await expect(portal.getByTestId("endpoint-row")).toHaveCount(8);
  expect(await hostScroll(page)).toBe(0);
  const { top } = await frameBox(page);
  expect(top).toBeGreaterThan(VIEWPORT.height + 1000);
  const contentHeight = () =>
    page
      .frame({ url: /\/portal\// })!
      .evaluate(() =>
        Math.ceil(document.querySelector(".hl-portal")!.getBoundingClientRect().height),
      );
  await expect
    .poll(async () => Math.abs((await frameBox(page)).height - (await contentHeight())))
    .toBeLessThanOrEqual(1);
  const before = await frameBox(page);
  expect(before.height).toBeGreaterThan(1000);

  // Scrolled to, nothing shifts: same height.
  await page.locator("#hookline-portal").evaluate((el) => el.scrollIntoView({ block: "start" }));
  await expect(portal.getByRole("heading", { name: "Endpoints", level: 1 })).toBeInViewport();
  const after = await frameBox(page);
  expect(Math.abs(after.height - before.height)).toBeLessThanOrEqual(1);
});
